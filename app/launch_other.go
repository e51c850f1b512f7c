//go:build !unix

package app

// Main runs seqview. On this system a process whose share stopped
// answering can still be ended, so the window runs in this process.
func Main(opts Options) { Run(opts) }

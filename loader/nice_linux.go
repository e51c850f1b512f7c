package loader

import (
	"runtime"
	"syscall"
)

// decoderNice is how much lower than the rest of the process decoding
// threads run: the UI thread and the X server get the cores first, so a
// frame already in memory paints at once even while read-ahead decodes.
const decoderNice = 10

// lowerPriority pins the calling goroutine to its thread and lowers that
// thread's priority. The thread ends with the goroutine.
func lowerPriority() {
	runtime.LockOSThread()
	tid := syscall.Gettid()
	if prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid); err == nil {
		// Getpriority returns 20 - nice on Linux.
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, 20-prio+decoderNice)
	}
}

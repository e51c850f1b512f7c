package app

import "io/fs"

// shareFS is how an opened folder is read: as it is, or, in a binary built
// with -tags slowshare for benchmarks, through a simulated slow share (see
// slowshare.go).
var shareFS = func(fsys fs.FS) fs.FS { return fsys }

// Package loader finds numbered image sequences and loads their frames in
// the background for display.
//
// A Sequence is the ordered list of a sequence's files (Scan, Open). A
// Service turns frame indices into display-ready frames: it reads files
// through an fs.FS on several goroutines (reads hide a network share's
// latency), decodes on one goroutine per core into *image.RGBA scaled to the
// view, keeps the last decoded frames and the files' compressed bytes in two
// LRU caches, reads ahead in the direction the person is stepping, and
// cancels work for frames the person has left. The frame asked for last
// always goes first.
package loader

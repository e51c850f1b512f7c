// Package loader finds numbered image sequences and loads their frames in
// the background for display.
//
// A Sequence is the ordered list of a sequence's files (Scan, Open). A
// Service turns frame indices into display-ready frames: it reads files
// through an fs.FS on several goroutines (reads hide a network share's
// latency), decodes them on one goroutine per core straight to the size of
// the view (package loader/decode), keeps view frames, the files' bytes and
// a couple of full-resolution frames in LRU caches (and, for a share, the
// files on local disk, cache/disk), reads ahead in the
// direction the person is stepping, and cancels work for frames the person
// has left. The frame asked for last always goes first.
//
// # Concurrency
//
// A Service's methods are safe for concurrent use and never block on I/O or
// decoding. Inside it:
//
//   - Service.mu guards the sequence, the plan and the pace, the jobs in
//     flight, the bytes read and not yet decoded, the failures, the view
//     size and the outbox of callbacks (the fields below mu in Service).
//   - Each cache (views, raw, fulls, and Config.Disk, the local copies of
//     a share's files) has its own lock. Lock order: Service.mu, then a
//     cache's lock; a cache never calls back into the Service (the Service
//     registers no cache callback). Reading or writing a local copy (Get,
//     PutWait) happens without Service.mu.
//   - Functions whose names end in "Locked" are called with Service.mu held;
//     so are the job bookkeeping helpers whose comments say so.
//   - Config.Deliver and Config.Changed are never called with a lock held:
//     what they must be told is collected under Service.mu (the outbox) and
//     sent by unlock after the mutex is released, in order. Deliver runs on
//     a loader goroutine (a worker that finished a load, or the watchdog
//     that gave up on a read). Changed runs on a loader goroutine, or on the
//     goroutine that called the method which changed a frame's state (Show,
//     SetSequence, Invalidate, SetFullSize). Both may call back into the
//     Service.
//   - Frames handed out are never modified afterwards: a new view size or a
//     full-resolution decode makes a new Frame.
//   - Readers may block in the file system for as long as the share takes,
//     and a dead share may never answer: Close does not wait for them (they
//     end when their read returns); it waits for the decoders, which give
//     up within a few rows. Done reports when every goroutine has ended.
package loader

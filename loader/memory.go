package loader

// memoryHeadroom is the Go memory beyond what a Service holds in its caches:
// files being read and decoded, the rows of a decode, Fyne's own heap, and
// room for the collector to work without running back to back.
const memoryHeadroom = 96 << 20

// MemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit) for
// a process whose services hold held bytes (Stats.Held). It follows what
// the caches hold rather than their budgets, which they may never fill:
// left to GOGC alone, the heap of a process holding 400 MB of frames may
// grow to twice that before a collection.
func MemoryLimit(held int64) int64 { return held + memoryHeadroom }

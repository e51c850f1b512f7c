package look

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling thread has used, so benchmarks
// can report it beside wall time on a machine busy with other work.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

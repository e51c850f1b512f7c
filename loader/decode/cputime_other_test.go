//go:build !unix

package decode

import "time"

// cpuTime is not measured here: the benchmarks report 0 CPU ms/op.
func cpuTime() time.Duration { return 0 }

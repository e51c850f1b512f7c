//go:build !linux

package look

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }

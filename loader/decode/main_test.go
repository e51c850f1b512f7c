package decode

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a decode leaves a goroutine behind: the
// inflating goroutine of a decode that failed, was cancelled or crashed
// must end with it.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

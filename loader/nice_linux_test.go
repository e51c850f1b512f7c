package loader

import (
	"syscall"
	"testing"
)

// TestDecodersRunNiced: decoding threads run at a lower priority than the
// rest of the process, so painting a ready frame never waits for them.
func TestDecodersRunNiced(t *testing.T) {
	done := make(chan int)
	go func() {
		lowerPriority()
		prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
		if err != nil {
			t.Error(err)
		}
		done <- 20 - prio
	}()
	self, _ := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if nice := <-done; nice != 20-self+decoderNice {
		t.Fatalf("decoder thread nice %d, process nice %d", nice, 20-self)
	}
}

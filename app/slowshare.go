//go:build slowshare

package app

import (
	"fmt"
	"os"

	"seqview/internal/slowfs"
)

// In a benchmark build (go build -tags slowshare), SEQVIEW_SLOWSHARE puts
// every opened folder behind an in-process slow share, so the real window
// can be measured against a share without a FUSE mount:
//
//	SEQVIEW_SLOWSHARE=open=40ms,read=10ms,mbps=60
//
// open is paid per open, read per 1 MiB read request, and mbps (megabytes
// per second) is shared by all reads.
func init() {
	wrap, err := slowfs.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "seqview:", err)
		os.Exit(2)
	}
	if wrap != nil {
		shareFS = wrap
	}
}

//go:build slowshare

package app

import (
	"fmt"
	"io/fs"
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
	spec, ok := os.LookupEnv("SEQVIEW_SLOWSHARE")
	if !ok {
		return
	}
	cfg, err := slowfs.ParseConfig(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "seqview: SEQVIEW_SLOWSHARE:", err)
		os.Exit(2)
	}
	shareFS = func(fsys fs.FS) fs.FS { return slowfs.New(fsys, cfg) }
}

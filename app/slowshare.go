//go:build slowshare

package app

import (
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

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
	cfg, err := parseShare(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "seqview: SEQVIEW_SLOWSHARE:", err)
		os.Exit(2)
	}
	shareFS = func(fsys fs.FS) fs.FS { return slowfs.New(fsys, cfg) }
}

func parseShare(spec string) (slowfs.Config, error) {
	var cfg slowfs.Config
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		var err error
		switch k {
		case "open":
			cfg.OpenLatency, err = time.ParseDuration(v)
		case "read":
			cfg.ReadLatency, err = time.ParseDuration(v)
		case "mbps":
			var mb float64
			mb, err = strconv.ParseFloat(v, 64)
			cfg.BytesPerSecond = int64(mb * 1e6)
		default:
			err = fmt.Errorf("unknown setting %q (want open=, read=, mbps=)", k)
		}
		if err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

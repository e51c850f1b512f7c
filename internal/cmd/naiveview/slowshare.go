//go:build slowshare

package main

import (
	"fmt"
	"io/fs"
	"os"

	"seqview/internal/slowfs"
)

// SEQVIEW_SLOWSHARE puts the folder behind the in-process slow share, as in
// seqview's slowshare build (app/slowshare.go), with the same parser.
func init() {
	spec, ok := os.LookupEnv("SEQVIEW_SLOWSHARE")
	if !ok {
		return
	}
	cfg, err := slowfs.ParseConfig(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "naiveview: SEQVIEW_SLOWSHARE:", err)
		os.Exit(2)
	}
	shareFS = func(fsys fs.FS) fs.FS { return slowfs.New(fsys, cfg) }
}

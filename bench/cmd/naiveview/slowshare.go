//go:build slowshare

package main

import (
	"fmt"
	"os"

	"seqview/internal/slowfs"
)

// SEQVIEW_SLOWSHARE puts the folder behind the in-process slow share, as in
// seqview's slowshare build (app/slowshare.go).
func init() {
	wrap, err := slowfs.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "naiveview:", err)
		os.Exit(2)
	}
	if wrap != nil {
		shareFS = wrap
	}
}

// Command charts draws the loader benchmark's report (docs/bench.md,
// written by internal/cmd/seqbench) as PNG charts, for `make bench`:
//
//	go run ./internal/cmd/charts -bench docs/bench.md -o docs/bench.png
//
// The real-window benchmark (internal/cmd/uibench) draws its own charts.
package main

import (
	"flag"
	"fmt"
	"os"

	"seqview/bench/charts"
)

func main() {
	in := flag.String("bench", "docs/bench.md", "the loader benchmark's report to chart")
	out := flag.String("o", "docs/bench.png", "the PNG to write")
	flag.Parse()
	if err := charts.Bench(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "chart:", *out)
}

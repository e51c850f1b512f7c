// Command charts draws the loader benchmark's report (docs/bench.md,
// written by bench/cmd/seqbench) as PNG charts, for `make bench`:
//
//	go run ./cmd/charts -bench ../docs/bench.md -o ../docs/bench.png   (in bench/)
//
// The real-window benchmark (bench/cmd/uibench) draws its own charts.
package main

import (
	"flag"
	"fmt"
	"os"

	"seqview/bench/charts"
)

func main() {
	in := flag.String("bench", "../docs/bench.md", "the loader benchmark's report to chart")
	out := flag.String("o", "../docs/bench.png", "the PNG to write")
	flag.Parse()
	if err := charts.Bench(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "chart:", *out)
}

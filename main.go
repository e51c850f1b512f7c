// Command seqview is a desktop viewer for numbered image sequences
// (1.png, 2.png, … or shot_0001.png, …) that keeps the next frames decoded
// in the background, so stepping through them is instant even on a slow
// network share.
//
// Usage:
//
//	seqview [flags] [folder | image file] [folder or image file to compare with]
package main

import (
	"flag"

	"seqview/app"
)

func main() {
	var o app.Options
	o.AddFlags(flag.CommandLine)
	flag.Parse()
	o.Path, o.PathB = flag.Arg(0), flag.Arg(1)
	app.Main(o)
}

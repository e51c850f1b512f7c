// Command seqview is a desktop viewer for numbered image sequences
// (1.png, 2.png, … or shot_0001.png, …) that keeps the next frames decoded
// in the background, so stepping through them is instant even on a slow
// network share.
//
// Usage:
//
//	seqview [flags] [folder | image file]
package main

import (
	"flag"

	"seqview/app"
)

func main() {
	var o app.Options
	flag.IntVar(&o.CacheFrames, "cache", 10, "decoded frames kept in memory")
	flag.IntVar(&o.CacheMB, "cache-mb", 512, "memory budget for decoded frames, in MB")
	flag.IntVar(&o.RawMB, "raw-mb", 256, "memory budget for the files' compressed bytes, in MB (0 = off)")
	flag.IntVar(&o.Preload, "preload", 0, "frames to read ahead (0 = adapt to load time and pace)")
	flag.Float64Var(&o.FPS, "fps", 24, "playback rate in frames per second")
	flag.Parse()
	o.Path = flag.Arg(0)
	app.Run(o)
}

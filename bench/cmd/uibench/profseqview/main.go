// Command profseqview is seqview with profiling, for uibench -profile: the
// same flags as seqview, plus -cpuprofile and -trace, which record from
// start until the window closes or the process gets SIGTERM or SIGINT (as
// the benchmark stops it). Build it with -tags slowshare to read through
// the slow share, as uibench does.
//
// It lives beside the benchmark rather than in seqview's main so that the
// shipped program carries no profiling code.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"syscall"

	"seqview/app"
)

func main() {
	var o app.Options
	o.AddFlags(flag.CommandLine)
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	tr := flag.String("trace", "", "write an execution trace here")
	flag.Parse()
	o.Path = flag.Arg(0)

	var stops []func()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatal(err)
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if *tr != "" {
		f, err := os.Create(*tr)
		if err != nil {
			fatal(err)
		}
		if err := trace.Start(f); err != nil {
			fatal(err)
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			for _, s := range stops {
				s()
			}
		})
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		stop()
		os.Exit(0)
	}()
	app.Run(o)
	stop()
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "profseqview:", err)
	os.Exit(1)
}

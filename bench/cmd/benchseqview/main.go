// Command benchseqview is seqview as the benchmarks run it: the product's
// app.Run with the same flags, plus
//
//   - SEQVIEW_SLOWSHARE=open=40ms,read=10ms,mbps=60 puts every opened folder
//     behind the in-process slow share (internal/slowfs), through
//     app.Options.WrapFS, so the real window can be measured against a
//     share without a FUSE mount: open is paid per open, read per 1 MiB
//     read request, and mbps (megabytes per second) is shared by all reads;
//   - -cpuprofile and -trace, for uibench -profile, which record from start
//     until the window closes or the process gets SIGTERM or SIGINT (as the
//     benchmark stops it).
//
// It lives in the bench module rather than in seqview's main so that the
// shipped program carries neither the slow share nor profiling code.
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
	"seqview/internal/slowfs"
)

func main() {
	var o app.Options
	o.AddFlags(flag.CommandLine)
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	tr := flag.String("trace", "", "write an execution trace here")
	flag.Parse()
	o.Path = flag.Arg(0)
	wrap, err := slowfs.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchseqview:", err)
		os.Exit(2)
	}
	o.WrapFS = wrap

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
	fmt.Fprintln(os.Stderr, "benchseqview:", err)
	os.Exit(1)
}

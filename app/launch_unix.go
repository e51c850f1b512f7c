//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// windowEnv marks the child process that runs the window.
const windowEnv = "SEQVIEW_WINDOW_PROCESS"

// Main runs seqview: the window in a child process of this program, so
// that the command the person started ends as soon as the window is closed.
//
// Why: Linux cannot end a process while one of its threads waits for a
// FUSE file system that does not answer (the kernel waits uninterruptibly
// once the request is with the file system's server), and a share that
// stopped answering may hold a read, a listing or a stat of seqview's for
// minutes. The child saves what must survive, says the window is closed,
// and ends when the kernel lets it; this process returns at once. NFS and
// SMB waits are killable, so there the child ends at once too.
//
// If the child cannot be started, the window runs in this process.
func Main(opts Options) {
	if os.Getenv(windowEnv) != "" {
		closed := os.NewFile(3, "window-closed")
		opts.onClosed = func() {
			if closed != nil {
				closed.Write([]byte{1})
				closed.Close()
			}
		}
		Run(opts)
		return
	}
	code, err := runWindowProcess()
	if err != nil {
		fmt.Fprintln(os.Stderr, "seqview: running the window in this process:", err)
		Run(opts)
		return
	}
	os.Exit(code)
}

// runWindowProcess starts this program again as the window's process and
// returns when it ends, or as soon as it says its window is closed.
func runWindowProcess() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), windowEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{w}
	// Signals meant for seqview reach the window's process too.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return 0, err
	}
	w.Close() // the child holds the write end; EOF once it ends
	closed := make(chan bool, 1)
	go func() {
		var b [1]byte
		n, _ := r.Read(b[:])
		closed <- n > 0
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			cmd.Process.Signal(s)
		case ok := <-closed:
			if ok {
				return 0, nil // the window is closed; the child ends on its own
			}
		case err := <-exited:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return ee.ExitCode(), nil
			}
			if err != nil {
				return 1, nil
			}
			return 0, nil
		}
	}
}

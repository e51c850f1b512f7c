package app

import (
	"fmt"
	"os"
	"sync"

	"seqview/cache/disk"
)

// diskTier is the local disk cache of shares' files that every session
// shares: opened the first time a folder needs it, on that open's
// goroutine (reading its index takes a moment), never on the UI goroutine.
type diskTier struct {
	mode     string // Options.DiskCache
	maxBytes int64
	onOff    func(error) // told once, on a disk cache goroutine, that it turned itself off

	once  sync.Once
	cache *disk.Cache // nil when off or not opened
	err   error       // why it could not be opened
}

func newDiskTier(opts Options, onOff func(error)) *diskTier {
	mode := opts.DiskCache
	if mode == "" {
		mode = "auto"
	}
	if opts.DiskMB <= 0 {
		mode = "off"
	}
	return &diskTier{mode: mode, maxBytes: int64(opts.DiskMB) << 20, onOff: onOff}
}

// forFolder returns the cache to use for folder, or nil: with "auto" only
// for folders on network and FUSE file systems (local disks are never
// copied). It asks the file system, which a dead share may not answer: call
// it off the UI goroutine.
func (d *diskTier) forFolder(folder string) *disk.Cache {
	switch d.mode {
	case "on":
	case "auto":
		if remote, _, err := disk.Remote(folder); err != nil || !remote {
			return nil
		}
	default:
		return nil
	}
	d.once.Do(func() {
		dir, err := disk.DefaultDir()
		if err == nil {
			d.cache, err = disk.Open(dir, d.maxBytes)
		}
		if err != nil {
			d.err = err
			fmt.Fprintln(os.Stderr, "seqview: no local cache:", err)
			d.onOff(err)
			return
		}
		d.cache.SetOnDisabled(d.onOff)
	})
	return d.cache
}

// close writes what is queued, for at most about a second, and stops.
func (d *diskTier) close() {
	if d.cache != nil {
		d.cache.Close()
	}
}

// diskOff says once, quietly, in the status line, that the local cache is
// off; frames keep coming from the share.
func (u *ui) diskOff(err error) {
	u.diskNote = "local cache off: " + err.Error()
	u.updateStatus()
}

// toggleKeepLocal starts or stops copying the open sequence to local disk
// (File → Keep Sequence Local).
func (u *ui) toggleKeepLocal() {
	s := u.sess
	if s == nil || s.disk == nil {
		return
	}
	s.keeping, s.keepStopped = !s.keeping, ""
	s.svc.KeepLocal(s.keeping)
	s.keepProgress = s.svc.KeepProgress()
	u.setMenu()
	u.updateStatus()
}

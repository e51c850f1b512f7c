package disk

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Remote reports whether the folder or file at path is on a network or FUSE
// file system, where keeping a local copy pays, and names the file system
// (from statfs's f_type; "0x…" when unknown, taken as local).
func Remote(path string) (remote bool, fsType string, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return false, "", fmt.Errorf("disk: statfs %s: %w", path, err)
	}
	fsType, remote = remoteMagic(int64(st.Type))
	return remote, fsType, nil
}

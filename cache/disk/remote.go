package disk

import (
	"fmt"
	"strings"
)

// The rules that tell a network or FUSE folder from a local one, as pure
// functions on the data each system gives, so every platform's rule is
// tested on any platform. Remote (per OS, in remote_*.go) feeds them.

// fsMagic names the Linux file systems by their statfs f_type (from
// linux/magic.h and statfs(2)); remote marks those whose reads cross a
// network (or a user-space server, for FUSE) and pay for a local copy.
var fsMagic = map[uint32]struct {
	name   string
	remote bool
}{
	// Network and cluster file systems.
	0x6969:     {"nfs", true},
	0x517b:     {"smb", true},
	0xff534d42: {"cifs", true},
	0xfe534d42: {"smb2", true},
	0x01021997: {"9p", true},
	0x00c36400: {"ceph", true},
	0x5346414f: {"afs", true},
	0x6b414653: {"kafs", true},
	0x73757245: {"coda", true},
	0x564c:     {"ncp", true},
	0x01161970: {"gfs2", true},
	0x7461636f: {"ocfs2", true},
	0x0bd00bd0: {"lustre", true},
	0x47504653: {"gpfs", true},
	0x20030528: {"orangefs", true},
	0xaad7aaea: {"panfs", true},
	0x19830326: {"beegfs", true},
	0x786f4256: {"vboxsf", true},
	// FUSE: sshfs, rclone, gluster, virtiofs and others; also local ones
	// such as ntfs-3g, which statfs cannot tell apart.
	0x65735546: {"fuse", true},

	// Local file systems, named for the info overlay.
	0xef53:     {"ext4", false}, // also ext2, ext3
	0x58465342: {"xfs", false},
	0x9123683e: {"btrfs", false},
	0x01021994: {"tmpfs", false},
	0x794c7630: {"overlayfs", false},
	0x2fc12fc1: {"zfs", false},
	0xf2f52010: {"f2fs", false},
	0xca451a4e: {"bcachefs", false},
	0x4d44:     {"vfat", false},
	0x2011bab0: {"exfat", false},
	0x5346544e: {"ntfs", false},
	0x7366746e: {"ntfs3", false},
	0x52654973: {"reiserfs", false},
	0x3153464a: {"jfs", false},
	0x3434:     {"nilfs", false},
	0x482b:     {"hfsplus", false},
	0x15013346: {"udf", false},
	0x9660:     {"iso9660", false},
	0x73717368: {"squashfs", false},
	0xe0f5e1e2: {"erofs", false},
	0x858458f6: {"ramfs", false},
	0x9fa0:     {"proc", false},
	0x62656572: {"sysfs", false},
}

// remoteMagic names the file system with statfs f_type magic and says
// whether it is remote. Only the low 32 bits count: f_type is signed on
// some 32-bit systems, where CIFS's magic reads negative.
func remoteMagic(magic int64) (name string, remote bool) {
	m := uint32(magic)
	if fs, ok := fsMagic[m]; ok {
		return fs.name, fs.remote
	}
	return fmt.Sprintf("0x%x", m), false
}

// Windows drive types (GetDriveTypeW), named here so the rule needs no
// Windows package.
const (
	driveUnknown   = 0
	driveNoRootDir = 1
	driveRemovable = 2
	driveFixed     = 3
	driveRemote    = 4
	driveCDROM     = 5
	driveRAMDisk   = 6
)

// driveTypeName names a GetDriveType result.
func driveTypeName(t uint32) string {
	switch t {
	case driveNoRootDir:
		return "no root"
	case driveRemovable:
		return "removable"
	case driveFixed:
		return "fixed"
	case driveRemote:
		return "remote"
	case driveCDROM:
		return "cdrom"
	case driveRAMDisk:
		return "ramdisk"
	}
	return "unknown"
}

// winSlashes turns a Windows path's forward slashes into backslashes, which
// Windows accepts alike.
func winSlashes(p string) string { return strings.ReplaceAll(p, "/", `\`) }

// isUNC reports whether the Windows path p names a network share:
// \\server\share\…, \\?\UNC\server\share\… or the same with forward
// slashes. Device paths (\\?\C:\…, \\.\…) are not.
func isUNC(p string) bool {
	p = winSlashes(p)
	upper := strings.ToUpper(p)
	if strings.HasPrefix(upper, `\\?\UNC\`) || strings.HasPrefix(upper, `\\.\UNC\`) {
		return len(p) > len(`\\?\UNC\`)
	}
	if strings.HasPrefix(p, `\\?\`) || strings.HasPrefix(p, `\\.\`) {
		return false
	}
	if !strings.HasPrefix(p, `\\`) {
		return false
	}
	server, _, _ := strings.Cut(p[2:], `\`)
	return server != ""
}

// driveRoot is the root of the Windows path p's drive letter ("C:\"), as
// GetDriveType wants it, or "" when p has none (UNC, relative).
func driveRoot(p string) string {
	p = winSlashes(p)
	if len(p) >= 4 && (p[:4] == `\\?\` || p[:4] == `\\.\`) {
		p = p[4:]
	}
	if len(p) >= 2 && p[1] == ':' && ('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z') {
		return p[:2] + `\`
	}
	return ""
}

// remoteWindows is the Windows rule: a UNC path is remote, and so is any
// path on a drive whose GetDriveType is DRIVE_REMOTE (a mapped network
// drive). driveType is ignored for UNC paths.
func remoteWindows(path string, driveType uint32) bool {
	return isUNC(path) || driveType == driveRemote
}

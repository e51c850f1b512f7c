package disk

import (
	"os"
	"runtime"
	"testing"
)

func TestRemoteMagic(t *testing.T) {
	for _, tc := range []struct {
		magic  int64
		name   string
		remote bool
	}{
		{0x6969, "nfs", true},
		{0x517b, "smb", true},
		{0xff534d42, "cifs", true},
		{int64(int32(-0x00acb2be)), "cifs", true}, // 0xff534d42 as a signed 32-bit f_type
		{0xfe534d42, "smb2", true},
		{0x65735546, "fuse", true},
		{0x01021997, "9p", true},
		{0x00c36400, "ceph", true},
		{0x5346414f, "afs", true},
		{0x6b414653, "kafs", true},
		{0x73757245, "coda", true},
		{0x564c, "ncp", true},
		{0x01161970, "gfs2", true},
		{0x7461636f, "ocfs2", true},
		{0x0bd00bd0, "lustre", true},
		{0x47504653, "gpfs", true},
		{0xef53, "ext4", false},
		{0x58465342, "xfs", false},
		{0x9123683e, "btrfs", false},
		{0x01021994, "tmpfs", false},
		{0x794c7630, "overlayfs", false},
		{0x2fc12fc1, "zfs", false},
		{0x1234, "0x1234", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name, remote := remoteMagic(tc.magic)
			if name != tc.name || remote != tc.remote {
				t.Errorf("remoteMagic(%#x) = %q, %v; want %q, %v", tc.magic, name, remote, tc.name, tc.remote)
			}
		})
	}
}

func TestRemoteWindows(t *testing.T) {
	for _, tc := range []struct {
		path      string
		driveType uint32
		unc       bool
		root      string
		remote    bool
	}{
		{`\\server\renders\shot_010\shot_0001.png`, driveUnknown, true, "", true},
		{`//server/renders/shot_010`, driveUnknown, true, "", true},
		{`\\server\share`, driveNoRootDir, true, "", true},
		{`\\?\UNC\server\share\shot`, driveUnknown, true, "", true},
		{`\\?\unc\server\share`, driveUnknown, true, "", true},
		{`\\?\C:\renders\shot`, driveFixed, false, `C:\`, false},
		{`\\.\PhysicalDrive0`, driveUnknown, false, "", false},
		{`R:\renders\shot 010\ä_0001.png`, driveRemote, false, `R:\`, true},
		{`r:/renders/shot`, driveRemote, false, `r:\`, true},
		{`C:\Users\me\shot`, driveFixed, false, `C:\`, false},
		{`D:\`, driveRemovable, false, `D:\`, false},
		{`E:`, driveCDROM, false, `E:\`, false},
		{`Z:\x`, driveRAMDisk, false, `Z:\`, false},
		{`relative\shot`, driveUnknown, false, "", false},
		{`\\`, driveUnknown, false, "", false},
		{`\\\share`, driveUnknown, false, "", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if got := isUNC(tc.path); got != tc.unc {
				t.Errorf("isUNC = %v, want %v", got, tc.unc)
			}
			if got := driveRoot(tc.path); got != tc.root {
				t.Errorf("driveRoot = %q, want %q", got, tc.root)
			}
			if got := remoteWindows(tc.path, tc.driveType); got != tc.remote {
				t.Errorf("remoteWindows(%s) = %v, want %v", driveTypeName(tc.driveType), got, tc.remote)
			}
		})
	}
}

func TestDriveTypeName(t *testing.T) {
	for typ, want := range map[uint32]string{
		driveUnknown: "unknown", driveNoRootDir: "no root", driveRemovable: "removable",
		driveFixed: "fixed", driveRemote: "remote", driveCDROM: "cdrom", driveRAMDisk: "ramdisk", 99: "unknown",
	} {
		if got := driveTypeName(typ); got != want {
			t.Errorf("driveTypeName(%d) = %q, want %q", typ, got, want)
		}
	}
}

func TestRemoteHere(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("statfs rule")
	}
	for _, tc := range []struct {
		path string
		want map[string]bool // file systems accepted
	}{
		{t.TempDir(), map[string]bool{"ext4": true, "xfs": true, "btrfs": true, "tmpfs": true, "overlayfs": true, "zfs": true, "f2fs": true, "bcachefs": true}},
		{"/proc/self", map[string]bool{"proc": true}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			remote, fsType, err := Remote(tc.path)
			if err != nil || remote || !tc.want[fsType] {
				t.Errorf("Remote = %v, %q, %v; want a local file system", remote, fsType, err)
			}
		})
	}
	if _, _, err := Remote("/nonexistent/seqview"); err == nil {
		t.Error("Remote of a missing folder: no error")
	}
}

// TestRemoteMount checks a real share or FUSE mount, when given one:
// SEQVIEW_REMOTE_DIR=/mnt/share go test -run RemoteMount ./cache/disk/
// (../shared/tools/slowfs makes a FUSE one).
func TestRemoteMount(t *testing.T) {
	dir := os.Getenv("SEQVIEW_REMOTE_DIR")
	if dir == "" {
		t.Skip("SEQVIEW_REMOTE_DIR not set")
	}
	remote, fsType, err := Remote(dir)
	if err != nil || !remote {
		t.Errorf("Remote(%s) = %v, %q, %v; want remote", dir, remote, fsType, err)
	}
	t.Logf("%s: %s", dir, fsType)
}

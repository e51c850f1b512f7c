package disk

import (
	"os"
	"testing"
)

// TestRemoteWindowsHere runs Remote on Windows itself (make windows
// compiles it; run the cache/disk tests on a Windows machine): UNC paths
// in each spelling are remote without a look at the network, and the
// temporary folder, on a fixed drive, is not.
func TestRemoteWindowsHere(t *testing.T) {
	for _, tc := range []struct {
		path   string
		remote bool
		fsType string
	}{
		{`\\server\share\shot\shot_0001.png`, true, "unc"},
		{`//server/share/shot`, true, "unc"},
		{`\\?\UNC\server\share\shot`, true, "unc"},
		{os.TempDir(), false, "fixed"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			remote, fsType, err := Remote(tc.path)
			if err != nil || remote != tc.remote || fsType != tc.fsType {
				t.Errorf("Remote = %v, %q, %v; want %v, %q", remote, fsType, err, tc.remote, tc.fsType)
			}
		})
	}
}

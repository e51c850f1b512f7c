package disk

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// Remote reports whether the folder or file at path is on a network share:
// a UNC path (\\server\share\…) or a drive GetDriveType calls remote (a
// mapped network drive). fsType is "unc" or the drive type's name.
func Remote(path string) (remote bool, fsType string, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false, "", fmt.Errorf("disk: %w", err)
	}
	if isUNC(abs) {
		return true, "unc", nil
	}
	root := driveRoot(abs)
	if root == "" {
		return false, driveTypeName(driveUnknown), nil
	}
	p, err := windows.UTF16PtrFromString(root)
	if err != nil {
		return false, "", fmt.Errorf("disk: %w", err)
	}
	t := windows.GetDriveType(p)
	return remoteWindows(abs, t), driveTypeName(t), nil
}

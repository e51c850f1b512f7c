package disk

import (
	"errors"

	"golang.org/x/sys/windows"
)

// busy reports whether err is Windows refusing to rename over or remove a
// file another reader holds open (Go opens files without FILE_SHARE_DELETE):
// a passing state, not a broken cache folder.
func busy(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}

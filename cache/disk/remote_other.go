//go:build !linux && !windows

package disk

// Remote reports false on this system: seqview tells network folders apart
// only on Linux and Windows, and caches elsewhere only when told to.
func Remote(path string) (remote bool, fsType string, err error) {
	return false, "", nil
}

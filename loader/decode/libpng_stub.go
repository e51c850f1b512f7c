//go:build !cgo || !linux || purego

package decode

// haveLibpng: View's PNG rows come from the pure-Go reader.
const haveLibpng = false

// newNativeRows is the pure-Go reader in builds without libpng.
func newNativeRows(data []byte, h pngHeader, iend bool) (rowDecoder, error) {
	g, err := newGoRows(data, h, iend)
	if err != nil {
		return nil, err // not a nil *goRows in a non-nil interface
	}
	return g, nil
}

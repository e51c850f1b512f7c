//go:build !cgo || !linux || purego

package decode

// haveCInflater: View inflates and unfilters PNG rows in Go.
const haveCInflater = false

// newCInflater is the Go inflater in builds without the C one.
func newCInflater(idat *idatReader, rowBytes, bpp int) (*goInflater, error) {
	return newGoInflater(idat, rowBytes, bpp)
}

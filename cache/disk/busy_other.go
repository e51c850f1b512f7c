//go:build !windows

package disk

// busy reports whether err is a passing refusal to rename over or remove a
// file; only Windows has those.
func busy(error) bool { return false }

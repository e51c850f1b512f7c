//go:build !linux

package loader

// lowerPriority does nothing where threads have no priority of their own
// to set.
func lowerPriority() {}

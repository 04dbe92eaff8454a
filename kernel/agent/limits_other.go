//go:build !linux

package agent

// setAddressSpace is a no-op where RLIMIT_AS is not available.
func setAddressSpace(n int64) error { return nil }

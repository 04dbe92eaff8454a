package agent

import "syscall"

func setAddressSpace(n int64) error {
	lim := syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &old); err == nil && old.Max < lim.Max {
		lim.Max = old.Max
		lim.Cur = min(lim.Cur, old.Max)
	}
	return syscall.Setrlimit(syscall.RLIMIT_AS, &lim)
}

package ipc

import (
	"fmt"
	"strconv"
	"strings"
)

// The environment variables that carry a worker's start-up settings from
// the kernel to the worker process. A user may set the limits in the
// kernelspec's env too.
const (
	// EnvMemory caps the worker's address space (bytes, or with a unit:
	// "4GiB", "512MiB", "8G"); "0" or "none" means no cap.
	EnvMemory = "GOTRANN_WORKER_MEMORY"
	// EnvStack caps a goroutine's stack in the worker (runtime/debug.SetMaxStack).
	EnvStack = "GOTRANN_WORKER_STACK"
	// EnvNonce is the nonce of the worker's sync markers.
	EnvNonce = "GOTRANN_WORKER_NONCE"
)

// ParseSize parses a byte count with an optional unit: B, K/KB/KiB,
// M/MB/MiB, G/GB/GiB, T/TB/TiB (all powers of 1024); "none" is 0.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "none") {
		return 0, nil
	}
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := strings.TrimSpace(t[:i]), strings.ToLower(strings.TrimSpace(t[i:]))
	mult := int64(1)
	switch unit {
	case "", "b":
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	case "t", "tb", "tib":
		mult = 1 << 40
	default:
		return 0, fmt.Errorf("bad size %q: unknown unit %q (use B, KiB, MiB, GiB or TiB)", s, unit)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q: want a non-negative whole number with an optional unit, e.g. 4GiB", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q: too large", s)
	}
	return n * mult, nil
}

// FormatSize writes n bytes the way ParseSize reads them, in the largest
// unit that divides it.
func FormatSize(n int64) string {
	for _, u := range []struct {
		s string
		m int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.m && n%u.m == 0 {
			return strconv.FormatInt(n/u.m, 10) + u.s
		}
	}
	return strconv.FormatInt(n, 10)
}

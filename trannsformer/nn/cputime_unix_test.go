//go:build unix

package nn

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time used so far by this process, all
// threads together, or 0 if it cannot be read.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

//go:build unix

package runner

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used (user and system),
// which, unlike the wall clock, does not count the time other processes
// on a busy machine take.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

//go:build !unix

package session

import (
	"os/exec"
	"time"
)

// setProcessGroup: only the command itself is killed on interrupt.
func setProcessGroup(cmd *exec.Cmd) {}

// cpuTimes is not measured on this system.
func cpuTimes() (user, sys time.Duration) { return 0, 0 }

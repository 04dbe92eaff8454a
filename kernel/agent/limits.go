package agent

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/trannsformer/gotrann/kernel/ipc"
)

// Limits are a worker's resource limits.
type Limits struct {
	// Memory caps the process's address space (RLIMIT_AS) in bytes, so
	// that a runaway allocation ends in the Go runtime's "out of memory"
	// instead of the machine's OOM killer; 0 means no cap.
	Memory int64
	// Stack caps one goroutine's stack (debug.SetMaxStack), so that
	// runaway recursion ends in "stack overflow" quickly; 0 keeps Go's
	// default (1 GB).
	Stack int64
}

// LimitsFromEnv reads the limits the kernel set in ipc.EnvMemory and
// ipc.EnvStack.
func LimitsFromEnv() (Limits, error) {
	var l Limits
	for _, v := range []struct {
		env string
		dst *int64
	}{{ipc.EnvMemory, &l.Memory}, {ipc.EnvStack, &l.Stack}} {
		if s := os.Getenv(v.env); s != "" {
			n, err := ipc.ParseSize(s)
			if err != nil {
				return l, fmt.Errorf("%s: %w", v.env, err)
			}
			*v.dst = n
		}
	}
	return l, nil
}

// Apply sets the limits on the calling process. Under the race detector,
// whose shadow memory needs terabytes of address space, the memory cap is
// not applied.
func (l Limits) Apply() error {
	if l.Stack > 0 {
		debug.SetMaxStack(int(l.Stack))
	}
	if l.Memory > 0 && !raceEnabled {
		if err := setAddressSpace(l.Memory); err != nil {
			return fmt.Errorf("agent: memory limit: %w", err)
		}
	}
	return nil
}

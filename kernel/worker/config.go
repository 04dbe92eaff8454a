package worker

import (
	"bufio"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config configures a Supervisor. The zero value is the default.
type Config struct {
	// Command is the worker's argv; nil means the running executable with
	// the argument "worker".
	Command []string
	// Env is the worker's environment (the limits and the marker nonce
	// are added); nil means os.Environ().
	Env []string
	// Dir is the worker's working directory; "" means the kernel's.
	Dir string
	// MemoryLimit caps the worker's address space in bytes; 0 means
	// DefaultMemoryLimit(), negative means no cap. The environment
	// variable GOTRANN_WORKER_MEMORY, when set, wins over 0.
	MemoryLimit int64
	// MaxStack caps a goroutine's stack in the worker; 0 means
	// DefaultMaxStack. GOTRANN_WORKER_STACK, when set, wins over 0.
	MaxStack int64
	// InterruptGrace is how long an interrupted cell may take to return
	// before the worker is replaced; 0 means 2 s.
	InterruptGrace time.Duration
	// StartTimeout bounds a worker's start-up (until it is ready); 0
	// means 60 s.
	StartTimeout time.Duration
	// CallTimeout bounds complete, inspect and is_complete; 0 means 5 s.
	CallTimeout time.Duration
	// CrashWait is how long stderr text that looks like the start of a
	// crash report is held back, waiting for the worker to die, before it
	// is shown as ordinary output; 0 means 1 s.
	CrashWait time.Duration
	// Logger receives the worker's output between cells and the
	// supervisor's own messages; nil discards.
	Logger *log.Logger
}

// DefaultMaxStack is the worker's default stack cap: deep enough for any
// reasonable recursion, small enough that runaway recursion ends within a
// fraction of a second.
const DefaultMaxStack = 64 << 20

// DefaultMemoryLimit is the worker's default address-space cap: three
// quarters of the machine's memory, at least 1 GiB, so that a runaway
// allocation kills the worker with "out of memory" and leaves memory for
// the kernel.
func DefaultMemoryLimit() int64 {
	total := memTotal()
	if total <= 0 {
		return 0
	}
	return max(total/4*3, 1<<30)
}

// memTotal returns MemTotal from /proc/meminfo, 0 if unknown.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			fs := strings.Fields(rest)
			if len(fs) >= 1 {
				kb, err := strconv.ParseInt(fs[0], 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

func (c Config) withDefaults() Config {
	if c.InterruptGrace == 0 {
		c.InterruptGrace = 2 * time.Second
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = 60 * time.Second
	}
	if c.CallTimeout == 0 {
		c.CallTimeout = 5 * time.Second
	}
	if c.CrashWait == 0 {
		c.CrashWait = time.Second
	}
	if c.Logger == nil {
		c.Logger = log.New(io.Discard, "", 0)
	}
	return c
}

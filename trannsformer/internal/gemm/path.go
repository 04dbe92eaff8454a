package gemm

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
)

// EnvPath is the environment variable that chooses the path (the
// micro-kernel and the vector helpers) every product of this package runs
// on: "avx512", "avx2" or "go". Unset or empty, the fastest path this CPU
// runs is used. All paths give the same bits; the variable is there to
// test that.
const EnvPath = "GOTRANN_GEMM"

// current is the kernel products run on; envErr, when not nil, says why
// $GOTRANN_GEMM could not be honoured, and every product panics with it.
var (
	current atomic.Pointer[kernel]
	envErr  atomic.Pointer[error]
)

func init() {
	current.Store(kernels[0])
	if name := os.Getenv(EnvPath); name != "" {
		if err := SetPath(name); err != nil {
			err = fmt.Errorf("$%s: %w", EnvPath, err)
			envErr.Store(&err)
		}
	}
}

// allPaths names every path of the package, fastest first.
var allPaths = []string{"avx512", "avx2", "go"}

// Paths returns the names of the paths this CPU can run, the default
// first; "go" is always last.
func Paths() []string {
	names := make([]string, len(kernels))
	for i, k := range kernels {
		names[i] = k.name
	}
	return names
}

// Path returns the name of the path products run on.
func Path() string { return active().name }

// SetPath makes every later product run on the named path ("" for the
// default, the first of Paths), as $GOTRANN_GEMM does at start-up, and
// clears an error that the variable caused. It returns an error, and
// changes nothing, for a name that is not a path or that this CPU cannot
// run. It is meant for tests and diagnostics: the paths give the same bits,
// so switching while products are running changes no result.
func SetPath(name string) error {
	if name == "" {
		current.Store(kernels[0])
		envErr.Store(nil)
		return nil
	}
	for _, k := range kernels {
		if k.name == name {
			current.Store(k)
			envErr.Store(nil)
			return nil
		}
	}
	for _, n := range allPaths {
		if n == name {
			return fmt.Errorf("gemm: path %q: this CPU cannot run it (it runs %s)", name, strings.Join(Paths(), ", "))
		}
	}
	return fmt.Errorf("gemm: unknown path %q (want one of %s; this CPU runs %s)", name, strings.Join(allPaths, ", "), strings.Join(Paths(), ", "))
}

// active returns the kernel products run on. It panics if $GOTRANN_GEMM
// named a path that is unknown or that this CPU cannot run: a run that asked
// for a path must not silently get another.
func active() *kernel {
	if e := envErr.Load(); e != nil {
		panic(*e)
	}
	return current.Load()
}

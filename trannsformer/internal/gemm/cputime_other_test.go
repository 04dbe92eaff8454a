//go:build !unix

package gemm

import "time"

// processCPU cannot be measured here: benchmarks omit GFLOP/cpu-s.
func processCPU() time.Duration { return 0 }

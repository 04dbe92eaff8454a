//go:build !unix

package nn

import "time"

// processCPU cannot be measured here: benchmarks omit samples/cpu-s.
func processCPU() time.Duration { return 0 }

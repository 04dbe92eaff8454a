//go:build race

package nn

// raceEnabled reports a -race build, where sync.Pool (used by the GEMM)
// drops items at random and allocation counts mean nothing.
const raceEnabled = true

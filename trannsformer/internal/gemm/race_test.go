//go:build race

package gemm

// raceEnabled reports a -race build, in which the pure-Go kernel runs an
// order of magnitude slower: the bit-for-bit tests then do less.
const raceEnabled = true

//go:build race

package session

// raceEnabled: the interrupt tests are skipped under the race detector,
// which flags yaegi v0.16.1's own cancellation path (ExecuteWithContext's
// goroutine writes its named results after the call returned on cancel)
// and the hand-over from an interrupted cell to the next one (ordered by a
// runtime check the detector cannot see). The goroutine-panic variants are
// skipped too: yaegi resizes the global frame at every cell while
// goroutines started by earlier cells may still read global variables.
const raceEnabled = true

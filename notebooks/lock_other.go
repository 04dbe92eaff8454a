//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package notebooks

import "os"

// lockTemp does nothing here: on Windows a file that is open cannot be
// removed, which protects a write in progress as well.
func lockTemp(f *os.File) error { return nil }

// lockedByOther reports false: removing a file in use fails on its own.
func lockedByOther(f *os.File) bool { return false }

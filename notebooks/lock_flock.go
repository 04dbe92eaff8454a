//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package notebooks

import (
	"errors"
	"os"
	"syscall"
)

// lockTemp takes an exclusive advisory lock on a temporary file being
// written, held until the file is closed or the process ends (also when
// it is killed), so that removeStaleTemps leaves it alone. It fails on
// file systems without locks.
func lockTemp(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// lockedByOther reports whether f is locked by a write in progress.
func lockedByOther(f *os.File) bool {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return errors.Is(err, syscall.EWOULDBLOCK)
}

//go:build linux

package session

import (
	"fmt"
	"os"
	"syscall"
)

// redirect makes file descriptors 1 and 2 point at out and errw. It returns
// a function restoring them and a file on the original stderr.
func redirect(out, errw *os.File) (restore func() error, log *os.File, err error) {
	var orig [2]int
	for i, fd := range []int{1, 2} {
		o, err := syscall.Dup(fd)
		if err != nil {
			if i == 1 {
				syscall.Close(orig[0])
			}
			return nil, nil, fmt.Errorf("session: dup fd %d: %w", fd, err)
		}
		orig[i] = o
	}
	for i, f := range []*os.File{out, errw} {
		if err := syscall.Dup3(int(f.Fd()), i+1, 0); err != nil {
			for j := 0; j < i; j++ {
				syscall.Dup3(orig[j], j+1, 0)
			}
			syscall.Close(orig[0])
			syscall.Close(orig[1])
			return nil, nil, fmt.Errorf("session: dup3 onto fd %d: %w", i+1, err)
		}
	}
	log = os.NewFile(uintptr(orig[1]), "original-stderr")
	restore = func() error {
		var first error
		for i := range orig {
			if err := syscall.Dup3(orig[i], i+1, 0); err != nil && first == nil {
				first = fmt.Errorf("session: restore fd %d: %w", i+1, err)
			}
		}
		syscall.Close(orig[0])
		// orig[1] stays open: it is the log file callers may still hold.
		return first
	}
	return restore, log, nil
}

//go:build !linux

package session

import (
	"errors"
	"os"
)

// redirect is only implemented on Linux: elsewhere Options.CaptureStdio
// makes New fail, and the caller can retry without it.
func redirect(out, errw *os.File) (restore func() error, log *os.File, err error) {
	return nil, nil, errors.New("session: CaptureStdio is only supported on linux")
}

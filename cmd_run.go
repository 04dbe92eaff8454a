package main

import (
	"context"
	"errors"
)

// cmdRun implements "gotrann run".
func cmdRun(ctx context.Context, args []string) error {
	return errors.New("run: not implemented yet")
}

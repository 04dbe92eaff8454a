package main

import (
	"context"
	"errors"
)

// cmdPaper implements "gotrann paper".
func cmdPaper(ctx context.Context, args []string) error {
	return errors.New("paper: not implemented yet")
}

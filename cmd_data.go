package main

import (
	"context"
	"errors"
)

// cmdData implements "gotrann data".
func cmdData(ctx context.Context, args []string) error {
	return errors.New("data: not implemented yet")
}

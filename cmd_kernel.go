package main

import (
	"context"
	"errors"
)

// cmdKernel implements "gotrann kernel".
func cmdKernel(ctx context.Context, args []string) error {
	return errors.New("kernel: not implemented yet")
}

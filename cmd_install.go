package main

import (
	"context"
	"errors"
)

// cmdInstall implements "gotrann install".
func cmdInstall(ctx context.Context, args []string) error {
	return errors.New("install: not implemented yet")
}

// cmdUninstall implements "gotrann uninstall".
func cmdUninstall(ctx context.Context, args []string) error {
	return errors.New("uninstall: not implemented yet")
}

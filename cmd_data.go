package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/trannsformer/gotrann/trannsformer/data"
)

// cmdData implements "gotrann data mnist|fashion-mnist [--dir DIR] [--from DIR]":
// it places a data set in the cache and verifies its checksums.
func cmdData(ctx context.Context, args []string) error {
	return runData(ctx, args, os.Stdout)
}

func runData(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("data", flag.ContinueOnError)
	dir := fs.String("dir", "", "cache `DIR` (default $"+data.CacheEnv+" or the user cache directory/gotrann)")
	from := fs.String("from", "", "`DIR` holding the four .gz files (default: the Go module proxy for mnist, Debian's dataset-fashion-mnist for fashion-mnist)")
	// The data set name may come before or after the flags.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if helped, err := parseFlags(fs, args, "gotrann data mnist|fashion-mnist [--dir DIR] [--from DIR]",
		"Places a data set where the loaders find it (the per-user cache by default) and verifies its checksums."); helped || err != nil {
		return err
	}
	rest := fs.Args()
	if name == "" && len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "" {
		return usagef("data: which data set? mnist or fashion-mnist")
	}
	if len(rest) != 0 {
		return usagef("data: unexpected arguments %v", rest)
	}
	switch name {
	case "mnist", "fashion-mnist":
	default:
		return usagef("data: unknown data set %q (want mnist or fashion-mnist)", name)
	}
	d, err := data.Fetch(ctx, name, *dir, *from)
	if err != nil {
		return err
	}
	train, test, err := loadByName(name, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d training and %d test images of %d pixels, checksums verified, in %s\n", name, train.Len(), test.Len(), train.Features, d)
	if def, err := data.CacheDir(); *dir != "" && (err != nil || *dir != def) {
		fmt.Fprintf(stdout, "loaders find it with %s=%s, or given that directory\n", data.CacheEnv, *dir)
	}
	return nil
}

func loadByName(name, dir string) (*data.Dataset, *data.Dataset, error) {
	if name == "mnist" {
		return data.MNIST(dir)
	}
	return data.FashionMNIST(dir)
}

//go:build ignore

// gen writes godoc.bin: the documentation of the standard library packages
// that yaegi exposes (the keys of stdlib.Symbols, restricted to the names in
// those tables), of the preloaded gonum and gonum/plot packages and of this
// module's preloaded packages (see package pkglist and docgen.Preloaded).
//
// Usage (from go generate, in kernel/godoc): go run gen.go [-o godoc.bin]
//
// It also writes godoc.toolchain beside it: the Go version that ran it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/trannsformer/gotrann/kernel/godoc/internal/docgen"
)

func main() {
	out := flag.String("o", "godoc.bin", "output `file`")
	flag.Parse()
	if err := run(context.Background(), *out); err != nil {
		fmt.Fprintln(os.Stderr, "godoc/gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string) error {
	cfg, err := docgen.Preloaded(ctx, ".")
	if err != nil {
		return err
	}
	data, err := docgen.Generate(ctx, cfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	// The standard library's documentation comes from GOROOT: record which
	// toolchain wrote it, so that the up-to-date check compares like with like.
	return os.WriteFile(strings.TrimSuffix(out, ".bin")+".toolchain", []byte(runtime.Version()+"\n"), 0o644)
}

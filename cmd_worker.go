package main

import (
	"context"

	"github.com/trannsformer/gotrann/kernel/workermain"
)

// cmdWorker implements the hidden "gotrann worker" command: the
// interpreter process that "gotrann kernel" and "gotrann run" start (see
// package kernel/worker). It serves the kernel on descriptors 3 and 4;
// cells write to its standard output and error, which the kernel reads.
// "gotrann worker extract PKG..." writes yaegi symbol tables for a worker
// build (package kernel/modules); workers built that way run the same
// code, package kernel/workermain.
func cmdWorker(ctx context.Context, args []string) error {
	if len(args) != 0 && args[0] != "extract" {
		return usagef("worker takes no arguments (it is started by the kernel)")
	}
	return workermain.Main(ctx, args, workermain.Config{})
}

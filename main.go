// Command gotrann is a Jupyter kernel for Go with a built-in implementation of
// TraNNsformer (Ankit, Sengupta, Roy, ICCAD 2017).
//
//	gotrann install [--user | --sys-prefix | --prefix DIR]
//	gotrann uninstall
//	gotrann kernel --connection-file FILE
//	gotrann run NOTEBOOK.ipynb [-o OUT.ipynb] [-p name=value]
//	gotrann export NOTEBOOK.ipynb [-o DIR] [--build]
//	gotrann paper [flags]
//	gotrann data mnist|fashion-mnist [--dir DIR]
//	gotrann version
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	// SIGINT cancels the command's context, except for the kernel, which
	// handles SIGINT itself as "interrupt the running cell".
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if len(os.Args) > 1 && os.Args[1] == "kernel" {
		sigs = sigs[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), sigs...)
	defer stop()
	go func() {
		// After the first signal, restore the default handling so that a
		// second Ctrl-C kills a command that is slow to stop.
		<-ctx.Done()
		stop()
	}()
	err := Run(ctx, os.Args[1:])
	stop()
	if err == nil {
		return
	}
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintln(os.Stderr, "gotrann:", err)
		if cmd, _, ok := strings.Cut(err.Error(), ":"); ok && commands[cmd] != nil && cmd != "worker" {
			fmt.Fprintf(os.Stderr, "run 'gotrann %s --help' for its flags\n", cmd)
		} else {
			fmt.Fprint(os.Stderr, usage)
		}
		os.Exit(2)
	}
	fmt.Fprintln(os.Stderr, "gotrann:", err)
	os.Exit(1)
}

// Command gotrann is a Jupyter kernel for Go with a built-in implementation of
// TraNNsformer (Ankit, Sengupta, Roy, ICCAD 2017).
//
//	gotrann install [--user | --sys-prefix | --prefix DIR]
//	gotrann uninstall
//	gotrann kernel --connection-file FILE
//	gotrann run NOTEBOOK.ipynb [-o OUT.ipynb] [-p name=value]
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := Run(ctx, os.Args[1:])
	stop()
	if err == nil {
		return
	}
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintln(os.Stderr, "gotrann:", err)
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	fmt.Fprintln(os.Stderr, "gotrann:", err)
	os.Exit(1)
}

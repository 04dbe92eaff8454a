package main

import (
	"context"
	"os"

	"github.com/trannsformer/gotrann/kernel/agent"
	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
)

// cmdWorker implements the hidden "gotrann worker" command: the
// interpreter process that "gotrann kernel" and "gotrann run" start (see
// package kernel/worker). It serves the kernel on descriptors 3 and 4;
// cells write to its standard output and error, which the kernel reads.
func cmdWorker(ctx context.Context, args []string) error {
	if len(args) != 0 {
		return usagef("worker takes no arguments (it is started by the kernel)")
	}
	if err := agent.Setup(); err != nil {
		return err
	}
	sess, err := newWorkerSession()
	if err != nil {
		return err
	}
	defer sess.Close()
	return agent.Run(context.WithoutCancel(ctx), sess)
}

// newWorkerSession makes the worker's Go session: cells write straight to
// the process's standard output and error.
func newWorkerSession() (*session.Session, error) {
	return session.New(session.Options{Stdout: os.Stdout, Stderr: os.Stderr, Packages: symbols.Symbols, Docs: godoc.Docs{}})
}

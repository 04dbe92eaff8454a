package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/trannsformer/gotrann/kernel"
	"github.com/trannsformer/gotrann/kernel/ipc"
	"github.com/trannsformer/gotrann/kernel/wire"
	"github.com/trannsformer/gotrann/kernel/worker"
)

// workerFlags are the worker's resource limits, shared by "gotrann
// kernel" and "gotrann run".
type workerFlags struct{ memory, stack string }

func (w *workerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&w.memory, "worker-memory", "", "cap the interpreter worker's address space to `SIZE`, e.g. 8GiB or none (default: 3/4 of the machine's memory, or $"+ipc.EnvMemory+")")
	fs.StringVar(&w.stack, "worker-stack", "", "cap a goroutine's stack in the worker to `SIZE`, e.g. 64MiB (default 64MiB, or $"+ipc.EnvStack+")")
}

// config returns the supervisor configuration of the flags.
func (w *workerFlags) config(cmd string) (worker.Config, error) {
	var c worker.Config
	if w.memory != "" {
		n, err := ipc.ParseSize(w.memory)
		if err != nil {
			return c, usagef("%s: --worker-memory: %v", cmd, err)
		}
		c.MemoryLimit = n
		if n == 0 {
			c.MemoryLimit = -1
		}
	}
	if w.stack != "" {
		n, err := ipc.ParseSize(w.stack)
		if err != nil || n == 0 {
			return c, usagef("%s: --worker-stack: want a size such as 64MiB", cmd)
		}
		c.MaxStack = n
	}
	return c, nil
}

// cmdKernel implements "gotrann kernel --connection-file FILE", what
// Jupyter launches. The kernel process serves the sockets; cells run in a
// worker process (the hidden "gotrann worker" command) that the kernel
// replaces when it dies. SIGINT interrupts the running cell; SIGTERM and
// shutdown_request stop the kernel.
func cmdKernel(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	var file string
	fs.StringVar(&file, "connection-file", "", "the Jupyter connection `FILE`")
	fs.StringVar(&file, "f", "", "short for --connection-file `FILE`")
	var wf workerFlags
	wf.register(fs)
	if helped, err := parseFlags(fs, args, "gotrann kernel --connection-file FILE [--worker-memory N] [--worker-stack N]",
		"What Jupyter launches: serves the connection file's five sockets and runs cells in a worker process."); helped || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("kernel: unexpected argument %q", fs.Arg(0))
	}
	if file == "" {
		return usagef("kernel: --connection-file is required")
	}
	wcfg, err := wf.config("kernel")
	if err != nil {
		return err
	}
	info, err := wire.ReadConnectionFile(file)
	if err != nil {
		return err
	}
	// SIGINT must interrupt the cell, not end the kernel: detach from the
	// command's context (main cancels it on SIGINT) and handle the signals
	// here.
	ctx, stop := signal.NotifyContext(context.WithoutCancel(ctx), syscall.SIGTERM)
	defer stop()
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)

	logger := log.New(os.Stderr, "gotrann kernel: ", log.LstdFlags)
	// The worker starts in the background: the sockets are bound and
	// kernel_info answered at once; the first cell waits for the worker.
	wcfg.Logger = logger
	sup, err := worker.New(wcfg)
	if err != nil {
		return err
	}
	defer sup.Close()
	srv, err := kernel.NewServer(info, sup, kernel.Config{Logger: logger, Version: Version})
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for {
			select {
			case <-interrupts:
				srv.Interrupt()
			case <-ctx.Done():
				return
			}
		}
	}()
	err = srv.Serve(ctx)
	cancel()
	if errors.Is(err, context.Canceled) {
		return nil // SIGTERM: a clean stop
	}
	return err
}

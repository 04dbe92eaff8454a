package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/trannsformer/gotrann/kernel"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/wire"
)

// cmdKernel implements "gotrann kernel --connection-file FILE", what
// Jupyter launches. SIGINT interrupts the running cell; SIGTERM and
// shutdown_request stop the kernel.
func cmdKernel(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var file string
	fs.StringVar(&file, "connection-file", "", "the Jupyter connection `FILE`")
	fs.StringVar(&file, "f", "", "short for --connection-file")
	if err := fs.Parse(args); err != nil {
		return usagef("kernel: %v", err)
	}
	if fs.NArg() > 0 {
		return usagef("kernel: unexpected argument %q", fs.Arg(0))
	}
	if file == "" {
		return usagef("kernel: --connection-file is required")
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

	// The interpreter is built in the background: the sockets are bound and
	// kernel_info answered at once; the first cell waits for the session.
	logw := &logWriter{w: os.Stderr}
	logger := log.New(logw, "gotrann kernel: ", log.LstdFlags)
	engine := kernel.NewLazy(func() (kernel.Engine, error) {
		sess, err := session.New(session.Options{CaptureStdio: true})
		if err != nil {
			return nil, err
		}
		// The session captures file descriptor 2; log to the real stderr.
		logw.set(sess.LogWriter())
		return sess, nil
	})
	defer func() {
		if eng, err := engine.Wait(context.Background()); err == nil {
			if c, ok := eng.(io.Closer); ok {
				c.Close()
			}
		}
	}()
	srv, err := kernel.NewServer(info, engine, kernel.Config{Logger: logger, Version: Version})
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var sessErr error // set before cancel when the session cannot be made
	go func() {
		if _, err := engine.Wait(ctx); err != nil && ctx.Err() == nil {
			sessErr = fmt.Errorf("kernel: %w", err)
			cancel() // no interpreter: stop
		}
	}()
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
	cancel() // ends the goroutines above
	if sessErr != nil {
		return sessErr
	}
	if errors.Is(err, context.Canceled) {
		return nil // SIGTERM: a clean stop
	}
	return err
}

// logWriter is the kernel's log destination, switched to the session's
// log writer once the session captures file descriptor 2.
type logWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logWriter) set(w io.Writer) {
	l.mu.Lock()
	l.w = w
	l.mu.Unlock()
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/trannsformer/gotrann/kernel/ipc"
)

// Setup prepares the worker process before its engine is made: it applies
// the limits the kernel set in the environment and leaves SIGINT to the
// kernel (interrupts arrive as ipc messages).
func Setup() error {
	signal.Ignore(os.Interrupt)
	l, err := LimitsFromEnv()
	if err != nil {
		return err
	}
	return l.Apply()
}

// Run serves the kernel on the worker's descriptors 3 (requests) and 4
// (replies) with eng until the kernel says shutdown or goes away. It is
// the body of the hidden "gotrann worker" command; the kernel side is
// package kernel/worker.
func Run(ctx context.Context, eng Engine) error {
	in := os.NewFile(3, "ipc-requests")
	out := os.NewFile(4, "ipc-replies")
	if in == nil || out == nil {
		return errors.New("agent: descriptors 3 and 4 are not open: this command is started by the kernel")
	}
	var st [2]syscall.Stat_t
	var marks [2]io.Writer
	for i := range st {
		if err := syscall.Fstat(i+1, &st[i]); err != nil {
			return fmt.Errorf("agent: descriptor %d: %w", i+1, err)
		}
		fd, err := syscall.Dup(i + 1)
		if err != nil {
			return fmt.Errorf("agent: dup %d: %w", i+1, err)
		}
		syscall.CloseOnExec(fd)
		marks[i] = os.NewFile(uintptr(fd), "sync")
	}
	stdout, stderr := os.Stdout, os.Stderr
	check := func() error {
		for i, f := range []*os.File{stdout, stderr} {
			name := [2]string{"os.Stdout", "os.Stderr"}[i]
			cur := [2]*os.File{os.Stdout, os.Stderr}[i]
			if cur != f {
				return fmt.Errorf("%s was replaced by the cell", name)
			}
			var now syscall.Stat_t
			if err := syscall.Fstat(i+1, &now); err != nil || now.Dev != st[i].Dev || now.Ino != st[i].Ino {
				return fmt.Errorf("%s was closed by the cell", name)
			}
		}
		return nil
	}
	conn := ipc.NewConn(in, out)
	if err := conn.Send(&ipc.Msg{Type: ipc.Ready, PID: os.Getpid()}); err != nil {
		return err
	}
	return Serve(ctx, eng, Options{
		Conn: conn, Stdout: marks[0], Stderr: marks[1], Nonce: os.Getenv(ipc.EnvNonce),
		CheckStdio: check, Logger: log.New(marks[1], "gotrann worker: ", 0),
	})
}

package runner

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/trannsformer/gotrann/kernel/agent"
	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
	"github.com/trannsformer/gotrann/kernel/worker"
)

// The test binary is also an interpreter worker, as "gotrann worker" is:
// TestNotebooks executes the notebooks in a worker process, as "gotrann
// run" does (one process per notebook, so that process-wide state such as
// the widgets' default kit is the notebook's own).
const envWorker = "GOTRANN_TEST_AS_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(envWorker) == "1" {
		if err := serveWorker(); err != nil {
			fmt.Fprintln(os.Stderr, "test worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func serveWorker() error {
	if err := agent.Setup(); err != nil {
		return err
	}
	s, err := session.New(session.Options{Stdout: os.Stdout, Stderr: os.Stderr, Packages: symbols.Symbols, Docs: godoc.Docs{}})
	if err != nil {
		return err
	}
	defer s.Close()
	return agent.Run(context.Background(), s)
}

// newWorker starts this test binary as a worker.
func newWorker(t *testing.T) *worker.Supervisor {
	t.Helper()
	s, err := worker.New(worker.Config{
		Command:     []string{os.Args[0], "-test.run=^$"},
		Env:         append(os.Environ(), envWorker+"=1"),
		MemoryLimit: 8 << 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

package worker

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/trannsformer/gotrann/kernel/agent"
	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
)

// The test binary is also the worker: with envWorker set, TestMain serves
// the kernel as "gotrann worker" does.
const envWorker = "GOTRANN_TEST_AS_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(envWorker) == "1" {
		if err := runTestWorker(); err != nil {
			fmt.Fprintln(os.Stderr, "test worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runTestWorker() error {
	if err := agent.Setup(); err != nil {
		return err
	}
	sess, err := session.New(session.Options{Stdout: os.Stdout, Stderr: os.Stderr, Packages: symbols.Symbols, Docs: godoc.Docs{}})
	if err != nil {
		return err
	}
	defer sess.Close()
	return agent.Run(context.Background(), testEngine{sess})
}

type testEngine struct{ *session.Session }

// hangCell makes the test worker block without watching the cell's
// context, as a compiled call that ignores it would.
const hangCell = "// hang"

func (e testEngine) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	if req.Code == hangCell {
		select {}
	}
	return e.Session.Execute(ctx, req, out)
}

// testConfig starts the test binary as the worker, with a 2 GiB memory
// cap: a fault test never takes more of the machine.
func testConfig(t testing.TB) Config {
	return Config{
		Command:     []string{os.Args[0], "-test.run=^$"},
		Env:         append(os.Environ(), envWorker+"=1"),
		MemoryLimit: 2 << 30,
	}
}

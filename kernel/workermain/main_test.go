package workermain_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/modules/modtest"
	"github.com/trannsformer/gotrann/kernel/worker"
	"github.com/trannsformer/gotrann/kernel/workermain"
)

// The test binary is also the worker: with envWorker set, TestMain runs
// workermain.Main as "gotrann worker" does (its extract command too).
const envWorker = "GOTRANN_TEST_AS_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(envWorker) == "1" {
		var args []string
		for _, a := range os.Args[1:] {
			if !strings.HasPrefix(a, "-test.") {
				args = append(args, a)
			}
		}
		if err := workermain.Main(context.Background(), args, workermain.Config{Self: []string{os.Args[0]}}); err != nil {
			fmt.Fprintln(os.Stderr, "test worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// recorder is an engine.Output that keeps the streams.
type recorder struct {
	mu     sync.Mutex
	stdout strings.Builder
	stderr strings.Builder
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "stdout" {
		r.stdout.WriteString(text)
	} else {
		r.stderr.WriteString(text)
	}
}
func (r *recorder) Display(engine.Bundle, string)      {}
func (r *recorder) Update(engine.Bundle, string)       {}
func (r *recorder) Clear(bool)                         {}
func (r *recorder) Input(string, bool) (string, error) { return "", fmt.Errorf("no input") }
func (r *recorder) streams() (stdout, stderr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stdout.String(), r.stderr.String()
}

// env is a worker environment that uses the test proxy (no network), the
// real module cache (which holds gotrann's dependencies) and cache as
// the worker cache.
func env(t testing.TB, proxyURL, cache string, extra ...string) []string {
	e := append(os.Environ(), modtest.Env(proxyURL)...)
	e = append(e, "GOTRANN_CACHE="+cache, envWorker+"=1")
	return append(e, extra...)
}

func proxy(t testing.TB) string {
	url, err := modtest.WriteProxy(modtest.ModsDir(), t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	return url
}

func newSupervisor(t testing.TB, env []string) *worker.Supervisor {
	t.Helper()
	s, err := worker.New(worker.Config{Command: []string{os.Args[0], "-test.run=^$"}, Env: env, MemoryLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// run executes code and returns its streams; a failed cell fails the test
// unless wantErr is the start of its ename: value.
func run(t testing.TB, s *worker.Supervisor, code, wantErr string) (stdout, stderr string) {
	t.Helper()
	var r recorder
	res := s.Execute(context.Background(), engine.Request{Code: code}, &r)
	stdout, stderr = r.streams()
	switch {
	case res.Err != nil && wantErr == "":
		t.Fatalf("%s: %s: %s\nstderr: %s", code, res.Err.Name, res.Err.Value, stderr)
	case res.Err == nil && wantErr != "":
		t.Fatalf("%s: no error, want %s\nstdout: %s\nstderr: %s", code, wantErr, stdout, stderr)
	case res.Err != nil && !strings.HasPrefix(res.Err.Name+": "+res.Err.Value, wantErr):
		t.Fatalf("%s: error %s: %s, want %s", code, res.Err.Name, res.Err.Value, wantErr)
	case res.Err != nil:
		stderr += res.Err.Name + ": " + res.Err.Value
	}
	return stdout, stderr
}

package worker

import (
	"context"
	"fmt"
	"log"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// recorder is an engine.Output that keeps everything.
type recorder struct {
	mu       sync.Mutex
	events   []string // "stdout:text", "stderr:text", "display:text/plain", ...
	input    func(prompt string) (string, error)
	displays int
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

func (r *recorder) Stream(name, text string) { r.add(name + ":" + text) }
func (r *recorder) Display(b engine.Bundle, id string) {
	r.add(fmt.Sprintf("display:%v", b.Data["text/plain"]))
}
func (r *recorder) Update(b engine.Bundle, id string) {
	r.add(fmt.Sprintf("update:%v", b.Data["text/plain"]))
}
func (r *recorder) Clear(wait bool) { r.add("clear") }
func (r *recorder) Input(prompt string, password bool) (string, error) {
	if r.input == nil {
		return "", fmt.Errorf("no input")
	}
	return r.input(prompt)
}

// text joins the stream text of name.
func (r *recorder) text(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		if t, ok := strings.CutPrefix(e, name+":"); ok {
			b.WriteString(t)
		}
	}
	return b.String()
}

// joined returns the events with consecutive stdout chunks merged.
func (r *recorder) joined() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if n := len(out); n > 0 && strings.HasPrefix(e, "stdout:") && strings.HasPrefix(out[n-1], "stdout:") {
			out[n-1] += strings.TrimPrefix(e, "stdout:")
			continue
		}
		out = append(out, e)
	}
	return out
}

func newSupervisor(t *testing.T, mod func(*Config)) *Supervisor {
	t.Helper()
	cfg := testConfig(t)
	cfg.Logger = log.New(testWriter{t}, "", 0)
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		checkNoLeaks(t)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkNoLeaks fails if goroutines of this package outlive a closed
// Supervisor.
func checkNoLeaks(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "kernel/worker.(*") && !strings.Contains(g, "checkNoLeaks") && !strings.Contains(g, "testing.tRunner") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left after Close:\n%s", strings.Join(leaked, "\n\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func run(t *testing.T, s *Supervisor, code string) (engine.Result, *recorder) {
	t.Helper()
	out := &recorder{}
	res := s.Execute(context.Background(), engine.Request{Code: code, StoreHistory: true}, out)
	return res, out
}

func mustRun(t *testing.T, s *Supervisor, code string) (engine.Result, *recorder) {
	t.Helper()
	res, out := run(t, s, code)
	if res.Err != nil {
		t.Fatalf("%s: %s: %s\n%s", code, res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
	}
	return res, out
}

func TestExecuteBasics(t *testing.T) {
	s := newSupervisor(t, nil)
	res, _ := mustRun(t, s, "1+1")
	if res.Value == nil || res.Value.Data["text/plain"] != "2" {
		t.Fatalf("1+1 = %+v", res.Value)
	}
	mustRun(t, s, "func double(x int) int { return 2 * x }")
	res, _ = mustRun(t, s, "double(21)")
	if res.Value.Data["text/plain"] != "42" {
		t.Fatalf("double(21) = %v", res.Value.Data)
	}
	// stdout of interpreted and compiled code, display data, in order
	_, out := mustRun(t, s, `import "os"
fmt.Println("one")
os.Stdout.WriteString("two\n")
display.Show(display.Markdown("three"))
fmt.Println("four")`)
	got := out.joined()
	want := []string{"stdout:one\ntwo\n", "display:three", "stdout:four\n"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events %q, want %q", got, want)
	}
	res, _ = mustRun(t, s, `_, err := os.Stderr.WriteString("x.go:10:5: panic: not really\n"); err`)
	_ = res
}

func TestCompleteInspectIsComplete(t *testing.T) {
	s := newSupervisor(t, nil)
	m, start, end := s.Complete("fmt.Prin", 8)
	if len(m) == 0 || start != 4 || end != 8 {
		t.Errorf("Complete = %v, %d, %d", m, start, end)
	}
	if st, _ := s.IsComplete("func f() {"); st != "incomplete" {
		t.Errorf("IsComplete = %q", st)
	}
	if _, found := s.Inspect("fmt.Println", 5, 0); !found {
		t.Errorf("Inspect fmt.Println: not found")
	}
}

func TestInput(t *testing.T) {
	s := newSupervisor(t, nil)
	out := &recorder{input: func(p string) (string, error) { return "gopher", nil }}
	res := s.Execute(context.Background(), engine.Request{Code: `var name string
fmt.Scanln(&name)
"hello " + name`, AllowStdin: true}, out)
	if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != "hello gopher" {
		t.Fatalf("got %+v %+v", res.Value, res.Err)
	}
}

// faults: each cell kills or wedges the worker; the supervisor answers
// with an error naming the cause within 5 s and the next cell runs.
func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		name, code, ename, evalue string
		mod                       func(*Config)
		skipRace                  bool
	}{
		{name: "recursion", code: "func rec(n int) int { return rec(n+1) + 1 }\nrec(0)", ename: "StackOverflow", evalue: "stack overflow"},
		{name: "oom", code: "b := make([]byte, 30<<30)\nb[1<<29] = 1", ename: "OutOfMemory", evalue: "out of memory",
			mod: func(c *Config) { c.MemoryLimit = 2 << 30 }, skipRace: true},
		{name: "concurrent map writes", code: `m := map[int]int{}
for i := 0; i < 4; i++ {
	go func() {
		for j := 0; ; j++ {
			m[j%100] = j
		}
	}()
}
time.Sleep(5 * time.Second)`, ename: "FatalError", evalue: "concurrent map"},
		{name: "stdout closed", code: "os.Stdout.Close()", ename: "StdioClosed", evalue: "os.Stdout was closed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skipRace && raceEnabled {
				t.Skip("the race detector needs more address space than the memory cap allows")
			}
			s := newSupervisor(t, tc.mod)
			mustRun(t, s, "func kept() int { return 7 }\nx := 5")
			start := time.Now()
			res, _ := run(t, s, tc.code)
			if res.Err == nil {
				t.Fatalf("no error")
			}
			if d := time.Since(start); d > 5*time.Second+startSlack() {
				t.Errorf("took %v", d)
			}
			if res.Err.Name != tc.ename || !strings.Contains(res.Err.Value, tc.evalue) {
				t.Errorf("error %s: %s\n%s", res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
			}
			if tc.ename != "StdioClosed" && !strings.Contains(strings.Join(res.Err.Traceback, "\n"), "values of x were lost") {
				t.Errorf("the traceback does not say that x was lost:\n%s", strings.Join(res.Err.Traceback, "\n"))
			}
			res, out := mustRun(t, s, "fmt.Println(\"alive\")\nkept()")
			if res.Value.Data["text/plain"] != "7" || out.text("stdout") != "alive\n" {
				t.Errorf("next cell: %v, %q", res.Value.Data, out.text("stdout"))
			}
		})
	}
}

// startSlack allows for a slow machine's process start.
func startSlack() time.Duration { return 2 * time.Second }

// A cell that ignores the interrupt (hangCell: the test engine blocks
// without watching its context) is stopped after InterruptGrace.
func TestInterruptGrace(t *testing.T) {
	s := newSupervisor(t, func(c *Config) { c.InterruptGrace = 300 * time.Millisecond })
	mustRun(t, s, "func kept() int { return 7 }")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	res := s.Execute(ctx, engine.Request{Code: hangCell}, &recorder{})
	if res.Err == nil || res.Err.Name != "Interrupted" || !strings.Contains(res.Err.Value, "did not stop within 300ms") {
		t.Fatalf("got %+v", res.Err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	mustRun(t, s, "1")
}

func TestSecondInterruptKills(t *testing.T) {
	s := newSupervisor(t, func(c *Config) { c.InterruptGrace = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, func() { cancel(); s.Interrupt() })
	time.AfterFunc(400*time.Millisecond, s.Interrupt)
	start := time.Now()
	res := s.Execute(ctx, engine.Request{Code: hangCell}, &recorder{})
	if res.Err == nil || !strings.Contains(res.Err.Value, "interrupted a second time") {
		t.Fatalf("got %+v", res.Err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	mustRun(t, s, "1")
}

func TestInterruptInterpretedLoop(t *testing.T) {
	s := newSupervisor(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	res := s.Execute(ctx, engine.Request{Code: "for {}"}, &recorder{})
	if res.Err == nil || res.Err.Name != "Interrupted" {
		t.Fatalf("got %+v", res.Err)
	}
	pid := s.PID()
	mustRun(t, s, "1")
	if s.PID() != pid {
		t.Errorf("the worker was replaced for an interpreted loop that stopped by itself")
	}
}

func TestDeathBetweenCells(t *testing.T) {
	s := newSupervisor(t, nil)
	mustRun(t, s, "1")
	pid := s.PID()
	syscall.Kill(pid, syscall.SIGKILL)
	deadline := time.Now().Add(10 * time.Second)
	for s.PID() == pid && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	res, out := mustRun(t, s, "1+1")
	if res.Value.Data["text/plain"] != "2" {
		t.Fatalf("got %v", res.Value.Data)
	}
	if !strings.Contains(out.text("stderr"), "died after the last cell") {
		t.Errorf("no note about the death: %q", out.text("stderr"))
	}
}

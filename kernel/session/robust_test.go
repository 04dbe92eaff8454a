package session

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitStderr waits until out's stderr contains want, or fails after d.
func waitStderr(t *testing.T, out *fakeOutput, want string, d time.Duration) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for !strings.Contains(out.errs(), want) {
		select {
		case <-out.notify:
		case <-deadline.C:
			t.Fatalf("no %q on stderr within %v: %q", want, d, out.errs())
		}
	}
}

// TestAfterFuncPanic: a panic in a time.AfterFunc callback is reported like
// a goroutine's instead of killing the process.
func TestAfterFuncPanic(t *testing.T) {
	if raceEnabled {
		t.Skip("goroutine panics race with yaegi's frame resizing (see race_on_test.go)")
	}
	s := newTestSession(t)
	out := &fakeOutput{notify: make(chan string, 64)}
	res := s.Execute(context.Background(), Request{Code: `time.AfterFunc(10*time.Millisecond, func() { panic("x") })
fmt.Println("armed")`}, out)
	if res.Err != nil {
		t.Fatalf("%s: %s", res.Err.Name, res.Err.Value)
	}
	waitStderr(t, out, "panic in goroutine (recovered, the session lives on): x", 5*time.Second)
	out = &fakeOutput{notify: make(chan string, 64)}
	res = s.Execute(context.Background(), Request{Code: `ctx, cancel := context.WithCancel(context.Background())
context.AfterFunc(ctx, func() { panic("y") })
cancel()`}, out)
	if res.Err != nil {
		t.Fatalf("%s: %s", res.Err.Name, res.Err.Value)
	}
	waitStderr(t, out, "panic in goroutine (recovered, the session lives on): y", 5*time.Second)
	if res, _ := execCell(t, s, "1 + 2"); value(res) != "3" {
		t.Fatalf("next cell: %+v", res.Err)
	}
}

// TestGoexit: runtime.Goexit ends the cell with an error and the rest of
// the cell does not run; in a goroutine it ends the goroutine quietly.
func TestGoexit(t *testing.T) {
	s := newTestSession(t)
	res, out := execCell(t, s, "fmt.Println(\"before\")\nruntime.Goexit()\nfmt.Println(\"after\")")
	if res.Err == nil || res.Err.Name != "Goexit" || res.Err.Value != "runtime.Goexit was called" {
		t.Fatalf("want a Goexit error, got %+v", res.Err)
	}
	if !strings.Contains(out.out(), "before") || strings.Contains(out.out(), "after") {
		t.Fatalf("stdout %q", out.out())
	}
	// a later statement run of the same cell is not run either
	res, out = execCell(t, s, "func f() { runtime.Goexit() }\nf()\nfunc g() {}\nfmt.Println(\"rest\")")
	if res.Err == nil || res.Err.Name != "Goexit" || strings.Contains(out.out(), "rest") {
		t.Fatalf("want a Goexit error and no rest, got %+v %q", res.Err, out.out())
	}
	if res, _ := execCell(t, s, "1 + 1"); value(res) != "2" {
		t.Fatalf("next cell: %+v", res.Err)
	}
	if raceEnabled {
		return
	}
	gout := &fakeOutput{notify: make(chan string, 64)}
	res = s.Execute(context.Background(), Request{Code: "done := make(chan bool)\ngo func() { defer close(done); runtime.Goexit() }()\n<-done\nfmt.Fprintln(os.Stderr, \"joined\")"}, gout)
	if res.Err != nil {
		t.Fatalf("%s: %s", res.Err.Name, res.Err.Value)
	}
	waitStderr(t, gout, "joined", 5*time.Second)
	if strings.Contains(gout.errs(), "panic") {
		t.Fatalf("Goexit in a goroutine reported: %q", gout.errs())
	}
}

// TestRedefineCyclicAndAliased: redefining a type whose values are cyclic
// or shared carries them over with their cycles and their sharing.
func TestRedefineCyclicAndAliased(t *testing.T) {
	runSteps(t, []step{
		{code: "type N struct{ V int; Next *N }\nn := &N{V: 1}\nn.Next = n\nm := n\nns := []*N{n, n}\nbyName := map[string]*N{\"a\": n}"},
		{code: "type S struct{ X int }\nvar s S\nps := &s\nxs := []int{1, 2, 3}\nys := xs"},
		// redefinitions: every variable is carried by a replay
		{code: "type N struct{ V int; Next *N; W int }", value: "<none>"},
		{code: "type S struct{ X, Y int }", value: "<none>"},
		{code: "n.Next == n && m == n && ns[0] == n && ns[1] == n && byName[\"a\"] == n && n.V == 1", value: "true"},
		{code: "ps.X = 7\ns.X", value: "7"},
		{code: "xs[0] = 9\nys[0]", value: "9"},
	})
}

// TestCopierCycles checks the copier on values of compiled types that
// differ only in a field, as the interpreter's old and new types do.
func TestCopierCycles(t *testing.T) {
	type oldT struct {
		V    int
		Next *oldT
		M    map[string]*oldT
	}
	type newT struct {
		V    int
		Next *newT
		M    map[string]*newT
		W    int
	}
	a := &oldT{V: 1}
	a.Next = a
	a.M = map[string]*oldT{"self": a}
	b := &oldT{V: 2, Next: a}
	var na, nb *newT
	c := newCopier()
	if !c.copy(reflect.ValueOf(&na).Elem(), reflect.ValueOf(a)) || !c.copy(reflect.ValueOf(&nb).Elem(), reflect.ValueOf(b)) {
		t.Fatal("copy failed")
	}
	if na.Next != na || na.M["self"] != na || nb.Next != na || na.V != 1 || nb.V != 2 {
		t.Fatalf("cycles or sharing lost: %+v %+v", na, nb)
	}
}

// TestDeferUnderCellContext: calls deferred at the top level of a cell run
// under the cell's context: Execute returns on interrupt even when a
// deferred compiled call blocks, an interpreted loop in a deferred call
// stops by itself, and the session goes on.
func TestDeferUnderCellContext(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi's cancellation path races (see race_on_test.go)")
	}
	for _, code := range []string{
		"fmt.Println(\"body\")\ndefer time.Sleep(time.Hour)",
		"fmt.Println(\"body\")\ndefer func() { for {} }()",
	} {
		s := newTestSession(t)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		start := time.Now()
		res := s.Execute(ctx, Request{Code: code, StoreHistory: true}, &fakeOutput{})
		took := time.Since(start)
		cancel()
		if res.Err == nil || res.Err.Name != "Interrupted" || took > 2*time.Second {
			t.Fatalf("%q: %+v after %v, want Interrupted within 2s", code, res.Err, took)
		}
		if strings.Contains(code, "for {}") {
			// the interpreted loop stopped: no rebuild needed
			for deadline := time.Now().Add(5 * time.Second); s.executing(); {
				if time.Now().After(deadline) {
					t.Fatalf("%q: the deferred loop did not stop", code)
				}
				runtime.Gosched()
			}
		}
		if res, _ := execCell(t, s, "1 + 1"); value(res) != "2" {
			t.Fatalf("%q: next cell: %+v", code, res.Err)
		}
	}
	// deferred calls still run, last first, when nothing interrupts
	runSteps(t, []step{{code: "defer fmt.Println(\"second\")\ndefer fmt.Println(\"first\")\nfmt.Println(\"body\")", stdout: "body\nfirst\nsecond\n"}})
}

// TestExecutingCheckIsO1: the check whether an interrupted cell is still
// running does not depend on how many goroutines exist (it used to dump
// every goroutine's stack: 3.4 s with 10,000 sleeping goroutines).
func TestExecutingCheckIsO1(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi's cancellation path races (see race_on_test.go)")
	}
	s := newTestSession(t)
	interrupt := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if res := s.Execute(ctx, Request{Code: "for {}"}, &fakeOutput{}); res.Err == nil || res.Err.Name != "Interrupted" {
			t.Fatalf("want Interrupted, got %+v", res.Err)
		}
	}
	// the fastest of a few rounds: a busy machine only ever adds time
	measure := func() time.Duration {
		const n = 1000
		best := time.Duration(1<<63 - 1)
		for round := 0; round < 5; round++ {
			start := time.Now()
			for i := 0; i < n; i++ {
				s.executing()
			}
			best = min(best, time.Since(start)/n)
		}
		return best
	}
	// the first cell after an interrupt, end to end
	firstCell := func() time.Duration {
		interrupt()
		start := time.Now()
		res, out := execCell(t, s, "1")
		took := time.Since(start)
		if value(res) != "1" {
			t.Fatalf("next cell: %+v", res.Err)
		}
		// the interpreted loop stopped by itself: the goroutine was seen
		// leaving the program, and nothing was rebuilt
		if strings.Contains(out.errs(), "rebuilt") {
			t.Fatalf("rebuilt after an interrupted interpreted loop: %q", out.errs())
		}
		return took
	}
	bestCell := func() time.Duration { return min(firstCell(), firstCell(), firstCell()) }
	base, baseCell := measure(), bestCell()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 10000; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); <-stop }()
	}
	defer func() { close(stop); wg.Wait() }()
	many, manyCell := measure(), bestCell()
	t.Logf("check: %v with 0, %v with 10,000 goroutines; first cell after an interrupt: %v, %v", base, many, baseCell, manyCell)
	// (the stack dump took 100 ms a check with 10,000 goroutines)
	if many > 20*base+10*time.Microsecond {
		t.Errorf("check: %v with 10,000 goroutines vs %v with none", many, base)
	}
	if manyCell > 20*baseCell+200*time.Millisecond {
		t.Errorf("first cell after an interrupt: %v with 10,000 goroutines vs %v with none", manyCell, baseCell)
	}
}

// TestExecuteRetainsLittle: executing cells does not keep what yaegi
// compiled for them (it kept ~2 KB per `x := 1`: every program's nodes,
// block scopes and file position tables).
func TestExecuteRetainsLittle(t *testing.T) {
	n := 2000
	if raceEnabled {
		n = 300
	}
	s := newTestSession(t)
	for i := 0; i < 50; i++ {
		execCell(t, s, "x := 1")
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	h0 := heap()
	for i := 0; i < n; i++ {
		if res, _ := execCell(t, s, "x := 1"); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	h1 := heap()
	per := (int64(h1) - int64(h0)) / int64(n)
	t.Logf("heap %d -> %d over %d executes: %d bytes per execute", h0, h1, n, per)
	if per > 400 {
		t.Errorf("%d bytes retained per execute, want at most 400", per)
	}
}

package session

import (
	"bytes"
	"context"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWorkerStdio: with Options.Stdout and Stderr, cells write straight to
// the files; yaegi's panic lines become the traceback and never reach the
// file; whatever a cell writes to stderr, however it looks, does; yaegi's
// "nil type" log line is dropped while compiling only.
func TestWorkerStdio(t *testing.T) {
	var pipes [2][2]*os.File
	var read [2]string
	var wg sync.WaitGroup
	for i := range pipes {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		pipes[i] = [2]*os.File{r, w}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b, _ := io.ReadAll(r)
			read[i] = string(b)
		}(i)
	}
	stdLog := &lockedBuffer{}
	oldOut, oldFlags := log.Writer(), log.Flags()
	log.SetOutput(stdLog)
	t.Cleanup(func() { log.SetOutput(oldOut); log.SetFlags(oldFlags) })

	s, err := New(withTables(Options{Stdout: pipes[0][1], Stderr: pipes[1][1]}))
	if err != nil {
		t.Fatal(err)
	}
	cells := []struct {
		code    string
		errName string
	}{
		{code: "fmt.Println(\"fmt-out\")\nos.Stdout.WriteString(\"os-out\\n\")\nfmt.Fprintln(os.Stdout, \"fprint-out\")"},
		{code: "fmt.Fprintln(os.Stderr, \"os-err\")\nos.Stderr.WriteString(\"file.go:10:5: panic: looks like yaegi\\n\")\nlog.Print(\"user-log\")"},
		{code: "log.SetFlags(log.LstdFlags)\nlog.Print(\"nil type\")\nlog.SetFlags(0)\nlog.Print(\"x.go:1:2: panic: user log\")"},
		// compiled code using the standard logger while user code runs
		{code: "log.Default().Print(\"nil type\")"},
		{code: "func f() { panic(\"boom\") }\nf()", errName: "panic"},
		// yaegi v0.16.1's compiler logs "nil type" and panics on this
		{code: "func it3(yield func(int, int, int) bool) {}\nfor a := range it3 { _ = a }", errName: "CompileError"},
	}
	for _, c := range cells {
		out := &fakeOutput{}
		res := s.Execute(context.Background(), Request{Code: c.code, StoreHistory: true}, out)
		switch {
		case c.errName == "" && res.Err != nil:
			t.Fatalf("%q: %s: %s", c.code, res.Err.Name, res.Err.Value)
		case c.errName != "" && (res.Err == nil || res.Err.Name != c.errName):
			t.Fatalf("%q: %+v, want %s", c.code, res.Err, c.errName)
		}
		if c.errName == "panic" && !strings.Contains(strings.Join(res.Err.Traceback, "\n"), "line 1, in main.f") {
			t.Errorf("traceback without yaegi's frames: %q", res.Err.Traceback)
		}
		if out.out() != "" || out.errs() != "" {
			t.Errorf("%q: streamed through Output: %q %q", c.code, out.out(), out.errs())
		}
	}
	s.Close()
	pipes[0][1].Close()
	pipes[1][1].Close()
	wg.Wait()
	stdout, stderr := read[0], read[1]
	for _, want := range []string{"fmt-out\n", "os-out\n", "fprint-out\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout %q lacks %q", stdout, want)
		}
	}
	for _, want := range []string{"os-err\n", "file.go:10:5: panic: looks like yaegi\n", "user-log\n", " nil type\n", "x.go:1:2: panic: user log\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "In[") {
		t.Errorf("yaegi's panic lines reached stderr: %q", stderr)
	}
	if got := stdLog.String(); strings.Count(got, "nil type") != 1 {
		t.Errorf("standard logger: %q, want only the user's nil type line", got)
	}
}

// TestWorkerModeNoPipes: worker mode starts no pumps and closes nothing of
// the caller's.
func TestWorkerModeNoPipes(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	s, err := New(withTables(Options{Stdout: w, Stderr: w}))
	if err != nil {
		t.Fatal(err)
	}
	if s.io.pumps != [2]*pump{} || s.io.restore != nil {
		t.Fatal("worker mode made pumps or redirected")
	}
	s.Close()
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatalf("Close closed the caller's file: %v", err)
	}
}

// TestPipeModeKeepsUserStderr: in pipe mode too, a line a cell writes to
// stderr reaches the cell's stderr however it looks.
func TestPipeModeKeepsUserStderr(t *testing.T) {
	s := newTestSession(t)
	res, out := execCell(t, s, "fmt.Fprintln(os.Stderr, \"a.go:1:2: panic: mine\")\nlog.SetFlags(0)\nlog.Print(\"b.go:3:4: panic: mine too\")")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, want := range []string{"a.go:1:2: panic: mine\n", "b.go:3:4: panic: mine too\n"} {
		if !strings.Contains(out.errs(), want) {
			t.Errorf("stderr %q lacks %q", out.errs(), want)
		}
	}
	// and yaegi's own panic lines still become the traceback only
	res, out = execCell(t, s, "func g() { panic(\"boom\") }\ng()")
	if res.Err == nil || strings.Contains(out.errs(), ": panic") || !strings.Contains(strings.Join(res.Err.Traceback, "\n"), "in main.g") {
		t.Fatalf("%+v %q", res.Err, out.errs())
	}
}

// Without Options.Packages a session has the standard library only, and
// says so when a cell imports something else.
func TestNoPackages(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res := s.Execute(context.Background(), Request{Code: `import "gonum.org/v1/gonum/mat"` + "\nmat.NewDense(1, 1, nil)"}, &fakeOutput{})
	if res.Err == nil {
		t.Fatal("gonum imported without its tables")
	}
	res = s.Execute(context.Background(), Request{Code: "strings.ToUpper(\"go\")"}, &fakeOutput{})
	if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != `GO` {
		t.Fatalf("stdlib: %+v %+v", res.Value, res.Err)
	}
}

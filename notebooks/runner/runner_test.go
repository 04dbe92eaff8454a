package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/notebooks"
)

// describeOutputs renders outputs compactly for comparisons.
func describeOutputs(outs []*notebooks.Output) []string {
	var s []string
	for _, o := range outs {
		switch o.Type {
		case notebooks.Stream:
			s = append(s, fmt.Sprintf("stream %s %q", o.Name, o.Text))
		case notebooks.DisplayData:
			s = append(s, fmt.Sprintf("display %q", o.Data["text/plain"]))
		case notebooks.ExecuteResult:
			s = append(s, fmt.Sprintf("result %d %q", *o.ExecutionCount, o.Data["text/plain"]))
		case notebooks.Error:
			s = append(s, fmt.Sprintf("error %s: %s", o.EName, o.EValue))
		}
	}
	return s
}

func TestRunOutputs(t *testing.T) {
	for _, tc := range []struct {
		name string
		code string
		want []string
	}{
		{"merged stream", "print a\nprint b", []string{`stream stdout "a\nb\n"`}},
		{"chunks merge", "write a\nwrite b", []string{`stream stdout "ab"`}},
		{"interleaved streams", "print a\neprint b\nprint c", []string{`stream stdout "a\n"`, `stream stderr "b\n"`, `stream stdout "c\n"`}},
		{"display", "show - hello", []string{`display "hello"`}},
		{"update in place", "show p 10%\nprint x\nupdate p 50%\nupdate p 100%", []string{`display "100%"`, `stream stdout "x\n"`}},
		{"update every output with the id", "show p 1\nshow p 1\nupdate p 2", []string{`display "2"`, `display "2"`}},
		{"update of an unknown id", "update nope x", nil},
		{"clear", "print a\nclear\nprint b", []string{`stream stdout "b\n"`}},
		{"clear wait keeps until the next output", "print a\nclearwait", []string{`stream stdout "a\n"`}},
		{"clear wait then output", "print a\nclearwait\nprint b", []string{`stream stdout "b\n"`}},
		{"clear wait is not applied by an update", "show p 1\nclearwait\nupdate p 2", []string{`display "2"`}},
		{"redraw pattern", "clearwait\nshow - a\nclearwait\nshow - b", []string{`display "b"`}},
		{"clear forgets display ids", "show p 1\nclear\nshow - x\nupdate p 2", []string{`display "x"`}},
		{"value", "print x\nvalue 42", []string{`stream stdout "x\n"`, `result 1 "42"`}},
		{"value after clear wait", "print x\nclearwait\nvalue 42", []string{`result 1 "42"`}},
		{"error", "print x\nfail panic boom", []string{`stream stdout "x\n"`, "error panic: boom"}},
		{"input refused", "input", []string{`stream stderr "` + errNoInput.Error() + `\n"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb := newNotebook(tc.code)
			_ = Run(context.Background(), nb, Options{Session: &fakeSession{}, AllowErrors: true})
			got := describeOutputs(nb.Cells[0].Outputs)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("outputs:\n got  %q\n want %q", got, tc.want)
			}
		})
	}
}

func TestRunExecutionCounts(t *testing.T) {
	nb := newNotebook("md:# title", "print a", "   \n", "value 2", "md:text", "print c")
	nb.Cells[2].Outputs = []*notebooks.Output{{Type: notebooks.Stream, Name: "stdout", Text: "stale"}}
	old := 7
	nb.Cells[2].ExecutionCount = &old
	f := &fakeSession{}
	if err := Run(context.Background(), nb, Options{Session: f}); err != nil {
		t.Fatal(err)
	}
	var counts []string
	for _, c := range nb.Cells {
		switch {
		case c.Type != notebooks.Code:
			counts = append(counts, "-")
		case c.ExecutionCount == nil:
			counts = append(counts, "nil")
		default:
			counts = append(counts, fmt.Sprint(*c.ExecutionCount))
		}
	}
	if got, want := strings.Join(counts, " "), "- 1 nil 2 - 3"; got != want {
		t.Errorf("execution counts %q, want %q", got, want)
	}
	if len(nb.Cells[2].Outputs) != 0 {
		t.Errorf("blank cell kept its stale outputs: %v", describeOutputs(nb.Cells[2].Outputs))
	}
	if got := describeOutputs(nb.Cells[3].Outputs); len(got) != 1 || got[0] != `result 2 "2"` {
		t.Errorf("result output %q", got)
	}
	if got := len(f.executed()); got != 3 {
		t.Errorf("executed %d cells, want 3 (blank cells are skipped)", got)
	}
}

func TestRunUpdateAcrossCells(t *testing.T) {
	nb := newNotebook("show bar 0%", "print x\nupdate bar 100%")
	if err := Run(context.Background(), nb, Options{Session: &fakeSession{}}); err != nil {
		t.Fatal(err)
	}
	if got := describeOutputs(nb.Cells[0].Outputs); len(got) != 1 || got[0] != `display "100%"` {
		t.Errorf("first cell %q, want the updated bar", got)
	}
}

func TestRunStopsAtError(t *testing.T) {
	nb := newNotebook("print a", "md:x", "print b\nfail panic boom", "print c")
	f := &fakeSession{}
	var progress bytes.Buffer
	err := Run(context.Background(), nb, Options{Session: f, Progress: &progress})
	var ce *CellError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *CellError", err)
	}
	if ce.Index != 2 || ce.Count != 2 || ce.Err.Name != "panic" || ce.Timeout || ce.Stuck || errors.Is(err, ErrNotRun) {
		t.Errorf("CellError %+v", ce)
	}
	msg := err.Error()
	for _, want := range []string{"cell 3 (id ", "In [2]) failed: panic: boom", "\n    panic: boom", "\n        at In [?] line 1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "\x1b") {
		t.Errorf("error message keeps ANSI colours: %q", msg)
	}
	if got := len(f.executed()); got != 2 {
		t.Errorf("executed %d cells, want 2", got)
	}
	if nb.Cells[3].ExecutionCount != nil || len(nb.Cells[3].Outputs) != 0 {
		t.Errorf("cell after the error was touched")
	}
	tb := nb.Cells[2].Outputs[1].Traceback
	if len(tb) != 2 || !strings.Contains(tb[0], "\x1b[0;31m") {
		t.Errorf("the notebook's traceback should keep colours: %q", tb)
	}
	re := regexp.MustCompile(`^\[1/3\] cell 1 \(code\) \.\.\. ok \d+\.\ds
\[2/3\] cell 3 \(code\) \.\.\. error \(panic: boom\) \d+\.\ds
failed: ran 2 of 3 code cells in \d+\.\ds, 1 failed \(cell 3\)
$`)
	if !re.MatchString(progress.String()) {
		t.Errorf("progress:\n%s", progress.String())
	}
}

func TestRunAllowErrors(t *testing.T) {
	nb := newNotebook("fail E1 one", "print b", "fail E2 two")
	var progress bytes.Buffer
	f := &fakeSession{}
	if err := Run(context.Background(), nb, Options{Session: f, AllowErrors: true, Progress: &progress}); err != nil {
		t.Fatalf("err = %v, want nil with AllowErrors", err)
	}
	if got := len(f.executed()); got != 3 {
		t.Errorf("executed %d cells, want 3", got)
	}
	if !strings.Contains(progress.String(), "done: ran 3 of 3 code cells in ") || !strings.Contains(progress.String(), ", 2 failed (cell 1, cell 3)\n") {
		t.Errorf("summary:\n%s", progress.String())
	}
}

func TestRunTimeout(t *testing.T) {
	for _, allow := range []bool{false, true} {
		t.Run(fmt.Sprint("allowErrors=", allow), func(t *testing.T) {
			nb := newNotebook("print a\nwait", "print b")
			f := &fakeSession{}
			err := Run(context.Background(), nb, Options{Session: f, Timeout: 20 * time.Millisecond, AllowErrors: allow})
			got := describeOutputs(nb.Cells[0].Outputs)
			want := `stream stdout "a\n"|error TimeoutError: the cell ran longer than the timeout of 20ms`
			if strings.Join(got, "|") != want {
				t.Errorf("outputs %q", got)
			}
			var ce *CellError
			if allow {
				if err != nil || len(f.executed()) != 2 {
					t.Errorf("err = %v, %d cells run; want nil, 2", err, len(f.executed()))
				}
			} else if !errors.As(err, &ce) || !ce.Timeout || len(f.executed()) != 1 {
				t.Errorf("err = %v, %d cells run; want a timeout CellError, 1", err, len(f.executed()))
			}
		})
	}
}

func TestRunInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &fakeSession{onCancel: cancel}
	nb := newNotebook("print a", "print b\ncancel\nwait", "print c")
	err := Run(ctx, nb, Options{Session: f, AllowErrors: true})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrNotRun) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "interrupted during cell 2") {
		t.Errorf("err = %v", err)
	}
	if got := strings.Join(describeOutputs(nb.Cells[1].Outputs), "|"); got != `stream stdout "b\n"|error Interrupted: context canceled` {
		t.Errorf("interrupted cell outputs %q", got)
	}
	if len(f.executed()) != 2 || nb.Cells[2].ExecutionCount != nil {
		t.Errorf("the cell after the interrupt ran")
	}
}

func TestRunInterruptBetweenCells(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &fakeSession{onCancel: cancel}
	nb := newNotebook("cancel\nprint a", "print b")
	err := Run(ctx, nb, Options{Session: f})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted before cell 2") {
		t.Fatalf("err = %v", err)
	}
	if got := describeOutputs(nb.Cells[0].Outputs); len(got) != 1 {
		t.Errorf("finished cell lost its output: %q", got)
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &fakeSession{}
	err := Run(ctx, newNotebook("print a"), Options{Session: f})
	if !errors.Is(err, ErrNotRun) || !errors.Is(err, context.Canceled) || len(f.executed()) != 0 {
		t.Fatalf("err = %v, %d cells run", err, len(f.executed()))
	}
}

func TestRunStuckSession(t *testing.T) {
	f := &fakeSession{release: make(chan struct{})}
	defer close(f.release)
	nb := newNotebook("print a\nhang", "print b")
	err := Run(context.Background(), nb, Options{Session: f, Timeout: time.Millisecond, StopGrace: time.Millisecond, AllowErrors: true})
	var ce *CellError
	if !errors.As(err, &ce) || !ce.Stuck || !ce.Timeout {
		t.Fatalf("err = %v, want a stuck timeout CellError even with AllowErrors", err)
	}
	if !strings.Contains(ce.Err.Value, "the session did not stop within 1ms") {
		t.Errorf("error value %q", ce.Err.Value)
	}
	if len(f.executed()) != 1 {
		t.Errorf("ran %d cells after the session got stuck", len(f.executed()))
	}
}

// panicky is an Executor that panics.
type panicky struct{}

func (panicky) Execute(context.Context, engine.Request, engine.Output) engine.Result {
	panic("executor bug")
}

func TestRunExecutorPanic(t *testing.T) {
	nb := newNotebook("x")
	err := Run(context.Background(), nb, Options{Session: panicky{}})
	var ce *CellError
	if !errors.As(err, &ce) || ce.Err.Name != "panic" || ce.Err.Value != "executor bug" {
		t.Fatalf("err = %v", err)
	}
}

func TestRunDropsLateOutput(t *testing.T) {
	f := &fakeSession{}
	nb := newNotebook("keep\nprint a")
	if err := Run(context.Background(), nb, Options{Session: f}); err != nil {
		t.Fatal(err)
	}
	f.kept.Stream("stdout", "late\n")
	f.kept.Display(textBundle("late"), "")
	f.kept.Clear(false)
	if got := describeOutputs(nb.Cells[0].Outputs); len(got) != 1 || got[0] != `stream stdout "a\n"` {
		t.Errorf("late output changed the notebook: %q", got)
	}
}

// liveSink records the display calls it receives.
type liveSink struct {
	mu      sync.Mutex
	w       *bytes.Buffer
	flushes int
}

func (l *liveSink) Display(b engine.Bundle, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "<%v>", b.Data["text/plain"])
}
func (l *liveSink) Update(b engine.Bundle, id string) { l.Display(b, id) }
func (l *liveSink) Clear(wait bool)                   {}
func (l *liveSink) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushes++
	l.w.WriteString("\n")
	return nil
}

func TestRunLiveProgress(t *testing.T) {
	var w bytes.Buffer
	live := &liveSink{w: &w}
	nb := newNotebook("print a", "show p 1\nupdate p 2")
	if err := Run(context.Background(), nb, Options{Session: &fakeSession{}, Progress: &w, Live: live}); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\[1/2\] cell 1 \(code\) \.\.\. ok \d+\.\ds
\[2/2\] cell 2 \(code\) \.\.\.
<1><2>
\[2/2\] cell 2 \(code\) \.\.\. ok \d+\.\ds
done: ran 2 of 2 code cells in \d+\.\ds
$`)
	if !re.MatchString(w.String()) {
		t.Errorf("progress with live output:\n%s", w.String())
	}
	if live.flushes != 1 {
		t.Errorf("live sink flushed %d times, want 1", live.flushes)
	}
}

func TestRunSetsKernelAndIDs(t *testing.T) {
	build := func() *notebooks.Notebook {
		nb := newNotebook("md:# t", "print a", "print a")
		nb.FormatMinor = 4
		nb.Metadata["custom"] = map[string]any{"keep": true}
		nb.Metadata["kernelspec"] = map[string]any{"name": "python3", "display_name": "Python 3", "language": "python", "env": map[string]any{}}
		nb.Cells[0].ID = "keep-me_1"
		nb.Cells[1].ID = "bad id!"
		return nb
	}
	var outs [2][]byte
	for i := range outs {
		nb := build()
		if err := Run(context.Background(), nb, Options{Session: &fakeSession{}}); err != nil {
			t.Fatal(err)
		}
		if nb.FormatMinor != 5 {
			t.Errorf("nbformat_minor %d, want 5", nb.FormatMinor)
		}
		seen := map[string]bool{}
		for _, c := range nb.Cells {
			if !notebooks.ValidCellID(c.ID) || seen[c.ID] {
				t.Errorf("cell id %q invalid or duplicate", c.ID)
			}
			seen[c.ID] = true
		}
		if nb.Cells[0].ID != "keep-me_1" {
			t.Errorf("valid id not kept: %q", nb.Cells[0].ID)
		}
		ks := nb.Metadata["kernelspec"].(map[string]any)
		if ks["name"] != "gotrann" || ks["display_name"] != "Go (TraNNsformer)" || ks["language"] != "go" || ks["env"] == nil {
			t.Errorf("kernelspec %v", ks)
		}
		if li := nb.Metadata["language_info"].(map[string]any); li["name"] != "go" || li["file_extension"] != ".go" {
			t.Errorf("language_info %v", li)
		}
		if nb.Metadata["custom"] == nil {
			t.Errorf("unknown metadata dropped")
		}
		var err error
		if outs[i], err = notebooks.Marshal(nb); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two runs of the same notebook differ")
	}
}

func TestRunParameters(t *testing.T) {
	nb := newNotebook("md:# p", "params:var epochs = 1\nvar name = \"a\"", "print x")
	f := &fakeSession{}
	err := Run(context.Background(), nb, Options{Session: f, Parameters: []notebooks.Parameter{{Name: "epochs", Value: "3"}, {Name: "name", Value: "mnist"}}})
	if err != nil {
		t.Fatal(err)
	}
	codes := f.executed()
	if len(codes) != 3 || codes[1] != "// Parameters\nepochs = 3\nname = \"mnist\"" {
		t.Errorf("executed %q", codes)
	}
	if nb.Cells[2].ID != "injected-parameters" || *nb.Cells[2].ExecutionCount != 2 {
		t.Errorf("injected cell %+v", nb.Cells[2])
	}

	f = &fakeSession{}
	err = Run(context.Background(), newNotebook("params:var epochs = 1", "print x"), Options{Session: f, Parameters: []notebooks.Parameter{{Name: "epoch", Value: "3"}}})
	if !errors.Is(err, ErrNotRun) || !strings.Contains(err.Error(), "its parameters are: epochs") || len(f.executed()) != 0 {
		t.Errorf("unknown parameter: err = %v, %d cells run", err, len(f.executed()))
	}
}

func TestRunRaisesException(t *testing.T) {
	nb := newNotebook("fail E expected", "print b")
	nb.Cells[0].Metadata["tags"] = []any{"raises-exception"}
	var progress bytes.Buffer
	f := &fakeSession{}
	if err := Run(context.Background(), nb, Options{Session: f, Progress: &progress}); err != nil {
		t.Fatalf("err = %v, want nil: the error was expected", err)
	}
	if len(f.executed()) != 2 || !strings.Contains(progress.String(), "expected error (E: expected)") || strings.Contains(progress.String(), "failed") {
		t.Errorf("progress:\n%s", progress.String())
	}
	if got := describeOutputs(nb.Cells[0].Outputs); len(got) != 1 || got[0] != "error E: expected" {
		t.Errorf("outputs %q", got)
	}
}

// TestRunWithoutSession checks that a Run without a session says so, as
// an error matching ErrNotRun, and leaves the notebook as it was.
func TestRunWithoutSession(t *testing.T) {
	nb := newNotebook("print a")
	nb.FormatMinor = 4
	before, _ := notebooks.Marshal(nb)
	err := Run(context.Background(), nb, Options{})
	if !errors.Is(err, ErrNoSession) || !errors.Is(err, ErrNotRun) || !strings.Contains(err.Error(), "Options.Session is nil") {
		t.Errorf("err = %v, want ErrNoSession and ErrNotRun", err)
	}
	if after, _ := notebooks.Marshal(nb); !bytes.Equal(before, after) {
		t.Errorf("the notebook changed")
	}
}

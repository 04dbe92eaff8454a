package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// at is t0 plus s seconds.
func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

// ev builds an event line.
func ev(action, pkg, test string, elapsed float64, output string) Event {
	return Event{Action: action, Package: "example.com/m/" + pkg, Test: test, Elapsed: elapsed, Output: output}
}

func TestTracker(t *testing.T) {
	for _, tc := range []struct {
		name    string
		events  []Event
		want    []string // substrings of the output, in order
		not     []string // substrings that must not appear
		failed  bool
		require bool // Tracker.RequireTests
	}{
		{
			name: "pass",
			events: []Event{
				ev("start", "a", "", 0, ""),
				ev("run", "a", "TestX", 0, ""),
				ev("output", "a", "TestX", 0, "quiet on success\n"),
				ev("pass", "a", "TestX", 0.5, ""),
				ev("pass", "a", "", 1.25, ""),
			},
			want: []string{"ok   a 1.2s\n"},
			not:  []string{"quiet on success"},
		},
		{
			name: "failed test in full, passing test not",
			events: []Event{
				ev("start", "a", "", 0, ""),
				ev("run", "a", "TestOK", 0, ""),
				ev("output", "a", "TestOK", 0, "fine\n"),
				ev("pass", "a", "TestOK", 0, ""),
				ev("run", "a", "TestBad", 0, ""),
				ev("output", "a", "TestBad", 0, "line one\n"),
				ev("output", "a", "TestBad", 0, "    x_test.go:3: want 1\n"),
				ev("fail", "a", "TestBad", 0, ""),
				ev("output", "a", "", 0, "FAIL\n"),
				ev("fail", "a", "", 2, ""),
			},
			want:   []string{"FAIL a 2.0s\n", "---- a TestBad failed:\nline one\n    x_test.go:3: want 1\n", "(output outside tests):\nFAIL\n", "---- end of a\n"},
			not:    []string{"fine\n"},
			failed: true,
		},
		{
			name: "a test running when the binary died (panic or timeout)",
			events: []Event{
				ev("start", "a", "", 0, ""),
				ev("run", "a", "TestHang", 0, ""),
				ev("output", "a", "TestHang", 0, "panic: test timed out after 1s\n"),
				ev("fail", "a", "", 1, ""),
			},
			want:   []string{"FAIL a", "---- a TestHang did not finish:\npanic: test timed out after 1s\n"},
			failed: true,
		},
		{
			name: "no test files",
			events: []Event{
				ev("start", "n", "", 0, ""),
				ev("output", "n", "", 0, "?   \texample.com/m/n\t[no test files]\n"),
				ev("skip", "n", "", 0, ""),
			},
			want: []string{"     n (no test files)\n"},
		},
		{
			name: "build failure",
			events: []Event{
				{Action: "build-output", ImportPath: "example.com/m/b [example.com/m/b.test]", Output: "# example.com/m/b\n"},
				{Action: "build-output", ImportPath: "example.com/m/b [example.com/m/b.test]", Output: "b_test.go:5:3: undefined: f\n"},
				{Action: "build-fail", ImportPath: "example.com/m/b [example.com/m/b.test]"},
				ev("start", "b", "", 0, ""),
				ev("output", "b", "", 0, "FAIL\texample.com/m/b [build failed]\n"),
				{Action: "fail", Package: "example.com/m/b", FailedBuild: "example.com/m/b [example.com/m/b.test]"},
			},
			want:   []string{"BUILD FAILED example.com/m/b [example.com/m/b.test]\n# example.com/m/b\nb_test.go:5:3: undefined: f\n", "FAIL b 0.0s (build of example.com/m/b [example.com/m/b.test] failed)"},
			failed: true,
		},
		{
			name:   "a package that never finished fails the run",
			events: []Event{ev("start", "a", "", 0, "")},
			failed: true,
		},
		{
			name: "the module itself is shown as .",
			events: []Event{
				{Action: "start", Package: "example.com/m"},
				{Action: "run", Package: "example.com/m", Test: "TestA"},
				{Action: "pass", Package: "example.com/m", Test: "TestA"},
				{Action: "pass", Package: "example.com/m", Elapsed: 3},
			},
			want: []string{"ok   . 3.0s\n"},
		},
		{
			name: "-run left out every test",
			events: []Event{
				ev("start", "a", "", 0, ""),
				ev("output", "a", "", 0, "testing: warning: no tests to run\n"),
				ev("pass", "a", "", 0.1, ""),
			},
			want: []string{"ok   a 0.1s (no test ran)\n"},
		},
		{
			name:    "-run left out every test, with -require-tests",
			require: true,
			events: []Event{
				ev("start", "a", "", 0, ""),
				ev("output", "a", "", 0, "testing: warning: no tests to run\n"),
				ev("pass", "a", "", 0.1, ""),
			},
			want:   []string{"FAIL a: no test ran"},
			failed: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			tr := NewTracker(&out, "example.com/m", 0, t0)
			tr.RequireTests = tc.require
			for i, e := range tc.events {
				tr.Event(e, at(i))
			}
			got := out.String()
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("output has %q:\n%s", n, got)
				}
			}
			if tr.Failed() != tc.failed {
				t.Errorf("Failed() = %v, want %v", tr.Failed(), tc.failed)
			}
		})
	}
}

// TestTrackerStatus: a status line when nothing was written for the
// period, naming the running packages, their time and current test.
func TestTrackerStatus(t *testing.T) {
	var out bytes.Buffer
	tr := NewTracker(&out, "example.com/m", 3, t0)
	tr.Tick(at(10), 30*time.Second)
	if out.Len() != 0 {
		t.Fatalf("a status line before the period: %q", out.String())
	}
	tr.Tick(at(30), 30*time.Second)
	if got, want := out.String(), "[30s] 0/3 packages done; building\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	out.Reset()
	tr.Event(ev("start", "a", "", 0, ""), at(40))
	tr.Event(ev("start", "b", "", 0, ""), at(41))
	tr.Event(ev("run", "a", "TestLong", 0, ""), at(42))
	tr.Event(ev("run", "a", "TestLong/sub", 0, ""), at(43))
	tr.Event(ev("fail", "b", "", 1, ""), at(44)) // writes: resets the period
	out.Reset()
	tr.Tick(at(70), 30*time.Second)
	if out.Len() != 0 {
		t.Fatalf("a status line 26s after the last line: %q", out.String())
	}
	tr.Tick(at(105), 30*time.Second)
	if got, want := out.String(), "[1m45s] 1/3 packages done, 1 failed; running: a 1m05s in TestLong/sub\n"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// TestTrackerSummary: counts, the slowest packages, the failed ones.
func TestTrackerSummary(t *testing.T) {
	var out bytes.Buffer
	tr := NewTracker(&out, "example.com/m", 0, t0)
	for i, e := range []Event{
		ev("start", "fast", "", 0, ""), ev("pass", "fast", "", 0.5, ""),
		ev("start", "slow", "", 0, ""), ev("pass", "slow", "", 90, ""),
		ev("start", "bad", "", 0, ""), ev("fail", "bad", "", 2, ""),
		ev("start", "stuck", "", 0, ""),
	} {
		tr.Event(e, at(i))
	}
	out.Reset()
	tr.Summary(at(125), 2)
	want := "== 4 packages in 2m05s: 2 ok, 1 failed, 0 without tests or skipped, 1 unfinished (stuck)\n" +
		"== slowest: slow 90.0s, bad 2.0s\n" +
		"== FAILED: bad\n"
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestLineCopiesMessages: lines that are not events (the go command's
// messages) are copied through.
func TestLineCopiesMessages(t *testing.T) {
	var out bytes.Buffer
	tr := NewTracker(&out, "", 0, t0)
	tr.Line([]byte("go: downloading example.com/x v1.0.0\n"), t0)
	tr.Line([]byte(`{"Action":"start","Package":"p"}`), t0)
	tr.Line([]byte(`{"Action":"run","Package":"p","Test":"TestA"}`), t0)
	tr.Line([]byte(`{"Action":"pass","Package":"p","Test":"TestA"}`), t0)
	tr.Line([]byte(`{"Action":"pass","Package":"p","Elapsed":1}`), t0)
	if got, want := out.String(), "go: downloading example.com/x v1.0.0\nok   p 1.0s\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPackageArgs(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"./...", "./..."},
		{"-race -short -timeout 15m ./kernel/... ./comm", "./kernel/... ./comm"},
		{"-run=^TestA$ -skip ^TestNotebooks -count 1 .", "."},
		{"-p 1 -v ./x -args -foo bar", "./x"},
		{"", ""},
	} {
		if got := strings.Join(packageArgs(strings.Fields(tc.args)), " "); got != tc.want {
			t.Errorf("packageArgs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestModulePath(t *testing.T) {
	dir := t.TempDir()
	gomod := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(gomod, []byte("// comment\nmodule \"example.com/q\"\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := modulePath(gomod); got != "example.com/q" {
		t.Errorf("modulePath = %q", got)
	}
	if got := modulePath(filepath.Join(dir, "none")); got != "" {
		t.Errorf("modulePath of a missing file = %q", got)
	}
}

func TestParseEvent(t *testing.T) {
	for _, tc := range []struct {
		line string
		err  error // nil, errNotEvent, or any error (errAny)
	}{
		{`{"Action":"pass","Package":"p","Elapsed":1}`, nil},
		{`  {"Action":"output","Package":"p","Test":"T","Output":"x\n"}  `, nil},
		{`go: downloading x`, errNotEvent},
		{``, errNotEvent},
		{`{"Package":"p"}`, errNotEvent},
		{`{"Action":`, errAny},
	} {
		_, err := ParseEvent([]byte(tc.line))
		switch {
		case tc.err == nil && err != nil:
			t.Errorf("%q: %v", tc.line, err)
		case tc.err == errNotEvent && !errors.Is(err, errNotEvent):
			t.Errorf("%q: %v, want errNotEvent", tc.line, err)
		case tc.err == errAny && err == nil:
			t.Errorf("%q: no error", tc.line)
		}
	}
}

var errAny = errors.New("any error")

func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{
		`{"Action":"pass","Package":"p","Elapsed":1}`,
		`{"ImportPath":"p [p.test]","Action":"build-output","Output":"# p\n"}`,
		`go: downloading x`,
		`{"Action":1}`,
		`{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var out bytes.Buffer
		tr := NewTracker(&out, "", 0, t0)
		tr.Line(line, t0) // never panics
		tr.Tick(at(60), time.Second)
		tr.Summary(at(61), 3)
	})
}

// TestStdinStream: the recorded go test -json stream of the fixture module
// (testdata/fixture: a passing, a failing, a broken and a test-less
// package) read on standard input.
func TestStdinStream(t *testing.T) {
	in, err := os.Open(filepath.Join("testdata", "stream.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	err = run(context.Background(), []string{"-every", "1m"}, in, &out)
	if !errors.Is(err, errFailed) {
		t.Errorf("run: %v, want errFailed", err)
	}
	for _, w := range []string{
		"undefined: undefinedFunction", "FIXTURE-FAILURE: want 1, got 2", "FIXTURE-SUBTEST-FAILURE",
		"(no test files)", "ok   example.com/fixture/pass",
		"== 4 packages in", "1 ok, 2 failed, 1 without tests or skipped",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

// TestRunGoTest runs go test on the fixture module: the failures are
// shown and the run fails; the passing packages alone pass.
func TestRunGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fixture module's tests")
	}
	t.Chdir(filepath.Join("testdata", "fixture"))
	var out bytes.Buffer
	err := run(context.Background(), []string{"--", "-count=1", "./..."}, strings.NewReader(""), &out)
	if !errors.Is(err, errFailed) {
		t.Errorf("run: %v, want errFailed\n%s", err, out.String())
	}
	for _, w := range []string{"FIXTURE-FAILURE", "FIXTURE-SUBTEST-FAILURE", "undefinedFunction", "ok   pass", "== 4 packages"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"--", "-count=1", "./pass", "./notests"}, strings.NewReader(""), &out); err != nil {
		t.Errorf("passing packages: %v\n%s", err, out.String())
	}
}

package session

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// step is one cell of a scenario and what it must give.
type step struct {
	code    string
	value   string // rendered Out value; "<none>" for none
	stdout  string // substring of stdout, "" to skip
	stderr  string // substring of stderr, "" to skip
	errName string // expected ename, "" for success
	errText string // substring of the error's value or traceback
}

func runSteps(t *testing.T, steps []step) {
	t.Helper()
	s := newTestSession(t)
	for i, st := range steps {
		res, out := execCell(t, s, st.code)
		if st.errName != "" {
			if res.Err == nil {
				t.Fatalf("step %d %q: no error, want %s", i, st.code, st.errName)
			}
			if res.Err.Name != st.errName {
				t.Fatalf("step %d %q: error %s: %s, want %s", i, st.code, res.Err.Name, res.Err.Value, st.errName)
			}
			all := res.Err.Value + "\n" + strings.Join(res.Err.Traceback, "\n")
			if !strings.Contains(all, st.errText) {
				t.Fatalf("step %d %q: error %q does not mention %q", i, st.code, all, st.errText)
			}
			continue
		}
		if res.Err != nil {
			t.Fatalf("step %d %q: %s: %s\n%s", i, st.code, res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
		}
		if st.value != "" && value(res) != st.value {
			t.Errorf("step %d %q: value %q, want %q", i, st.code, value(res), st.value)
		}
		if !strings.Contains(out.out(), st.stdout) {
			t.Errorf("step %d %q: stdout %q, want %q", i, st.code, out.out(), st.stdout)
		}
		if !strings.Contains(out.errs(), st.stderr) {
			t.Errorf("step %d %q: stderr %q, want %q", i, st.code, out.errs(), st.stderr)
		}
		if strings.Contains(out.errs(), ": panic") {
			t.Errorf("step %d %q: yaegi panic lines leaked to stderr: %q", i, st.code, out.errs())
		}
	}
}

func TestCellShapes(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"import then statement", []step{{code: "import \"fmt\"\nfmt.Println(1)", value: "<none>", stdout: "1\n"}}},
		{"import twice", []step{{code: "import \"fmt\"", value: "<none>"}, {code: "import \"fmt\"\nfmt.Print(2)", stdout: "2"}}},
		{"decl then call", []step{{code: "func g() int { return 4 }\ng()", value: "4"}}},
		{"statement then decl then statement", []step{{code: "z := 3\nfunc h() int { return z * 2 }\nh()", value: "6"}}},
		{"auto import stdlib", []step{{code: "strings.ToUpper(\"abc\")", value: "ABC"}, {code: "math.Sqrt(16)", value: "4"}}},
		{"auto import in a func", []step{{code: "func up(s string) string { return strings.ToUpper(s) }\nup(\"x\")", value: "X"}}},
		{"display without import", []step{{code: "display.Render(3).Data[\"text/plain\"]", value: "3"}}},
		{"nb without import", []step{{code: "nb.Context() != nil", value: "true"}}},
		{"package main program", []step{{code: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"main ran\")\n}\n", stdout: "main ran\n", value: "<none>"},
			{code: "1 + 1", value: "2", stdout: ""}}},
		{"auto import prefers math/rand", []step{{code: "rand.New(rand.NewSource(1)).Intn(1000) >= 0", value: "true"}}},
		{"go with a method value", []step{{code: "type W struct{ ch chan int }\nfunc (w W) Send(v int) { w.ch <- v }\nw := W{make(chan int, 1)}\ngo w.Send(5)\n<-w.ch", value: "5"}}},
		{"semicolons", []step{{code: "a := 1; b := 2; a + b", value: "3"}}},
		{"func literal statement", []step{{code: "func() { fmt.Println(\"lit\") }()", stdout: "lit"}}},
		{"method declaration", []step{{code: "type T struct{ N int }\nfunc (t T) Twice() int { return 2 * t.N }\nT{N: 4}.Twice()", value: "8"}}},
		{"min max builtins", []step{{code: "min(3, 1, 2)", value: "1"}, {code: "a, b := 2.5, 1.0\nmax(a, b)", value: "2.5"}}},
		{"slices.Sort filled", []step{{code: "xs := []int{3, 1, 2}\nslices.Sort(xs)\nxs", value: "[1 2 3]"},
			{code: "slices.Max([]float64{1, 5, 2})", value: "5"}, {code: "ys := []string{\"a\", \"b\"}\nslices.Reverse(ys)\nys", value: "[b a]"}}},
		{"maps.Keys explained", []step{{code: "maps.Keys(map[int]int{1: 2})", errName: "CompileError", errText: "for k := range m"}}},
		{"failed declaration then fixed", []step{
			{code: "func fx() int { return nope }\nfunc gx() int { return 1 }", errName: "CompileError", errText: "undefined: nope"},
			{code: "func fx() int { return 5 }\nfx()", value: "5"},
			{code: "type TX struct{ A missingType }", errName: "CompileError", errText: "missingType"},
			{code: "type TX struct{ A int }\nTX{A: 2}.A", value: "2"}}},
		{"rerun idempotent", []step{{code: "func k() int { return 1 }\nvar kv = 10\nk() + kv", value: "11"}, {code: "func k() int { return 1 }\nvar kv = 10\nk() + kv", value: "11"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if raceEnabled && strings.HasPrefix(tt.name, "go with") {
				// measured: fails 1 run in 20 under -race, also before the
				// rich display rewrite: the goroutine reads the global
				// frame that yaegi's next run writes (see race_on_test.go)
				t.Skip("yaegi's global frame races with goroutines of a cell")
			}
			runSteps(t, tt.steps)
		})
	}
}

func TestRedefinition(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"func called by an earlier func", []step{
			{code: "func f() int { return 1 }\nfunc g() int { return f() + 10 }\ng()", value: "11"},
			{code: "func f() int { return 2 }", value: "<none>"},
			{code: "g()", value: "12"}}},
		{"type gains a field", []step{
			{code: "type P struct{ X int }\nfunc mk() P { return P{X: 1} }\nmk().X", value: "1"},
			{code: "type P struct{ X, Y int }\nfunc mk() P { return P{X: 1, Y: 2} }\nmk().Y", value: "2"}}},
		{"method redefined", []step{
			{code: "type C struct{ N int }\nfunc (c C) Get() int { return c.N }\nfunc use(c C) int { return c.Get() }\nuse(C{5})", value: "5"},
			{code: "func (c C) Get() int { return c.N * 100 }\nuse(C{5})", value: "500"}}},
		{"var carried across a replay", []step{
			{code: "data := []float64{1, 2, 3}\ncount := 7\nfunc sum() float64 { return 0 }", value: "<none>"},
			{code: "func sum() float64 { s := 0.0; for _, v := range data { s += v }; return s }\nsum() + float64(count)", value: "13"}}},
		{"struct value carried field by field", []step{
			{code: "type Q struct{ A int }\nq := Q{A: 4}", value: "<none>"},
			{code: "type Q struct{ A, B int }\nq.A + q.B", value: "4"}}},
		{"var redefined by a new declaration", []step{
			{code: "var w = 1\nfunc getW() int { return w }\ngetW()", value: "1"},
			{code: "var w = 2", value: "<none>"},
			{code: "getW()", value: "2"}}},
		{"prelude helpers survive a replay", []step{
			{code: "func sorted(xs []int) []int { slices.Sort(xs); return xs }\nfunc one() int { return 1 }", value: "<none>"},
			{code: "func one() int { return 2 }\nsorted([]int{3, one(), 1})", value: "[1 2 3]"}}},
		{"named non-struct type keeps its methods", []step{
			{code: "type Celsius float64\nfunc (c Celsius) F() float64 { return float64(c)*9/5 + 32 }\ntemp := Celsius(100)\ntemp.F()", value: "212"},
			{code: "func (c Celsius) F() float64 { return float64(c) + 1000 }\ntemp.F()", value: "1100"}}},
		{"var declaration of a named non-struct type", []step{
			{code: "type Meters float64\nfunc (m Meters) Km() float64 { return float64(m) / 1000 }\nvar dist = Meters(2500)\ndist.Km()", value: "2.5"},
			{code: "func (m Meters) Km() float64 { return float64(m) / 100 }\ndist = dist * 2\ndist.Km()", value: "50"}}},
		{"pointer to a cell type is carried", []step{
			{code: "type Acc struct{ N int }\nfunc (a *Acc) Add() { a.N++ }\nacc := &Acc{N: 1}\nacc.Add()", value: "<none>"},
			{code: "func (a *Acc) Add() { a.N += 10 }\nacc.Add()\nacc.N", value: "12"}}},
		{"compiled pointer keeps sharing memory", []step{
			{code: "sb := &strings.Builder{}\nsb.WriteString(\"a\")\nfunc tag() string { return \"1\" }", value: "<none>"},
			{code: "func tag() string { return \"2\" }\nsb.WriteString(tag())\nsb.String()", value: "a2"}}},
		{"value that cannot be carried is reported", []step{
			{code: "type R struct{ A int }\nrs := struct{ R R }{R{1}}", value: "<none>"},
			{code: "type R struct{ A string }", stderr: "could not be carried"}}},
		{"func value note", []step{
			{code: "func sq(x int) int { return x * x }\nfv := sq", value: "<none>"},
			{code: "func sq(x int) int { return x + 1 }\nfv(3)", value: "9", stderr: "fv is a func value"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runSteps(t, tt.steps) })
	}
}

func TestOutValue(t *testing.T) {
	runSteps(t, []step{
		{code: "fmt.Println(\"x\")", value: "<none>", stdout: "x\n"},
		{code: "x := 5", value: "<none>"},
		{code: "x", value: "5"},
		{code: "x = 6", value: "<none>"},
		{code: "func nothing() {}\nnothing()", value: "<none>"},
		{code: "func two() (int, error) { return 1, nil }\ntwo()", value: "<none>"},
		{code: "x; fmt.Sprint(\"last\")", value: "last"},
		{code: "y := 1\nif y > 0 { y = 2 }", value: "<none>"},
		{code: "display.Show(1)", value: "<none>"},
		{code: "bar := display.Progress(3)\nbar.Done()", value: "<none>"},
		{code: "display.Markdown(\"# Hi\")", value: "# Hi"},
	})
}

func TestErrors(t *testing.T) {
	runSteps(t, []step{
		{code: "panic(\"boom\")", errName: "panic", errText: "In[1] line 1"},
		{code: "func bad() { panic(\"deep\") }\n\nbad()", errName: "panic", errText: "line 1"},
		{code: "var a []int\n_ = a\nvar m map[string]int\nm[\"a\"] = 1", errName: "RuntimeError", errText: "line 4"},
		{code: "os.Exit(3)", errName: "Exit", errText: "os.Exit(3)"},
		{code: "1 +", errName: "CompileError", errText: "In[5]:"},
		{code: "x := 1\nundefinedThing + x", errName: "CompileError", errText: "In[6]:2:1: undefined: undefinedThing"},
		{code: "import \"github.com/nope/nope\"", errName: "ImportError", errText: "not available"},
		{code: "func it3(yield func(int, int, int) bool) {}\nfor a := range it3 { _ = a }", errName: "CompileError", errText: "i := 0; i < n; i++"},
		{code: "1 + 2", value: "3"},
	})
}

func TestDisplayBoundToSession(t *testing.T) {
	s := newTestSession(t)
	for _, code := range []string{"display.Show(1)", "display.Default().Show(2)"} {
		if _, ok := s.tab.member(displayPath, "Default"); !ok && strings.Contains(code, "Default") {
			continue // this display version has no Default
		}
		res, out := execCell(t, s, code)
		if res.Err != nil || len(out.displays) != 1 {
			t.Fatalf("%s: %v, %d displays", code, res.Err, len(out.displays))
		}
	}
}

func TestEnv(t *testing.T) {
	s, err := New(withTables(Options{Env: []string{"GOTRANN_TEST=yes"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res, _ := execCell(t, s, "os.Getenv(\"GOTRANN_TEST\")"); value(res) != "yes" {
		t.Fatalf("env: %+v %q", res.Err, value(res))
	}
}

func TestGoroutinePanicVariants(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi resizes the global frame on each cell while goroutines of earlier cells read globals (see race_on_test.go)")
	}
	s := newTestSession(t)
	for _, code := range []string{
		"done := make(chan bool)\ngo func() { defer close(done); var m map[string]int; m[\"a\"] = 1 }()\n<-done",
		"done := make(chan bool)\ngo func() { defer close(done); os.Exit(2) }()\n<-done",
		"done := make(chan bool)\nfunc boom(xs []int) int { return xs[5] }\ngo func() { defer close(done); boom(nil) }()\n<-done",
	} {
		out := &fakeOutput{notify: make(chan string, 16)}
		res := s.Execute(context.Background(), Request{Code: code}, out)
		if res.Err != nil {
			t.Fatalf("%s: %v", code, res.Err)
		}
		deadline := time.After(5 * time.Second)
		for !strings.Contains(out.errs(), "panic in goroutine") {
			select {
			case <-out.notify:
			case <-deadline:
				t.Fatalf("%s: no report; stderr %q", code, out.errs())
			}
		}
	}
	if res, _ := execCell(t, s, "1"); value(res) != "1" {
		t.Fatal("session unusable")
	}
}

func TestGoroutinePanic(t *testing.T) {
	s := newTestSession(t)
	out := &fakeOutput{notify: make(chan string, 16)}
	res := s.Execute(context.Background(), Request{Code: "go func() { panic(\"in goroutine\") }()"}, out)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	deadline := time.After(5 * time.Second)
	for !strings.Contains(out.errs(), "panic in goroutine") {
		select {
		case <-out.notify:
		case <-deadline:
			t.Fatalf("no goroutine panic report; stderr %q", out.errs())
		}
	}
	if strings.Contains(out.errs(), ": panic") {
		t.Errorf("yaegi panic lines leaked: %q", out.errs())
	}
	if res, _ := execCell(t, s, "2 * 21"); value(res) != "42" {
		t.Fatalf("session unusable after goroutine panic: %+v", res)
	}
	res, _ = execCell(t, s, "\n\npanic(\"later\")")
	if res.Err == nil || strings.Contains(strings.Join(res.Err.Traceback, "\n"), "line 1") {
		t.Fatalf("traceback of a later panic: %+v", res.Err)
	}
	// arguments are evaluated when the go statement runs
	res, o := execCell(t, s, "ch := make(chan int, 3)\nfor i := 0; i < 3; i++ { go func(v int) { ch <- v }(i * 10) }\nsum := 0\nfor i := 0; i < 3; i++ { sum += <-ch }\nsum")
	if value(res) != "30" {
		t.Fatalf("go with arguments: %+v %q", res.Err, o.errs())
	}
}

func TestInterrupt(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi's cancellation path races (see race_on_test.go)")
	}
	s := newTestSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &fakeOutput{notify: make(chan string, 16)}
	done := make(chan Result)
	go func() { done <- s.Execute(ctx, Request{Code: "fmt.Println(\"started\")\nfor {}"}, out) }()
	<-out.notify
	start := time.Now()
	cancel()
	res := <-done
	took := time.Since(start)
	if res.Err == nil || res.Err.Name != "Interrupted" {
		t.Fatalf("want Interrupted, got %+v", res.Err)
	}
	if took > 100*time.Millisecond {
		t.Fatalf("interrupt took %v", took)
	}
	t.Logf("interrupt took %v", took)
	if res, _ := execCell(t, s, "6 * 7"); value(res) != "42" {
		t.Fatalf("next cell: %+v", res)
	}
	// nb.Context is the running cell's context: cancelled by the interrupt.
	ctx2, cancel2 := context.WithCancel(context.Background())
	out2 := &fakeOutput{notify: make(chan string, 16)}
	go func() {
		done <- s.Execute(ctx2, Request{Code: "cctx := nb.Context()\nfmt.Println(\"started\")\nfor {}"}, out2)
	}()
	<-out2.notify
	cancel2()
	<-done
	if res, _ := execCell(t, s, "cctx.Err() != nil && nb.Context() != cctx"); value(res) != "true" {
		t.Fatalf("nb.Context after interrupt: %+v %q", res.Err, value(res))
	}
}

func TestStdin(t *testing.T) {
	s := newTestSession(t)
	out := &fakeOutput{inputs: []string{"alice", "bob"}}
	res := s.Execute(context.Background(), Request{AllowStdin: true, Code: "var name string\nfmt.Scanln(&name)\nr := bufio.NewReader(os.Stdin)\nl, _ := r.ReadString('\\n')\nname + \"+\" + strings.TrimSpace(l)"}, out)
	if res.Err != nil || value(res) != "alice+bob" {
		t.Fatalf("stdin allowed: %v %q", res.Err, value(res))
	}
	res = s.Execute(context.Background(), Request{Code: "_, err := fmt.Scanln(&name)\nerr.Error()"}, &fakeOutput{})
	if res.Err != nil || !strings.Contains(value(res), "allow_stdin is false") {
		t.Fatalf("stdin not allowed: %v %q", res.Err, value(res))
	}
}

func TestUserExpressions(t *testing.T) {
	s := newTestSession(t)
	res := s.Execute(context.Background(), Request{Code: "v := 21", UserExpressions: map[string]string{"a": "v * 2", "b": "nope"}}, &fakeOutput{})
	a := res.UserExpressions["a"].(map[string]any)
	if a["status"] != "ok" || a["data"].(map[string]any)["text/plain"] != "42" {
		t.Fatalf("a: %v", a)
	}
	if b := res.UserExpressions["b"].(map[string]any); b["status"] != "error" || b["ename"] != "CompileError" {
		t.Fatalf("b: %v", b)
	}
}

func TestIsComplete(t *testing.T) {
	tests := []struct{ code, status, indent string }{
		{"x := 1", "complete", ""},
		{"func f() {", "incomplete", "\t"},
		{"for i := 0; i < 3; i++ {\n\tif i > 1 {", "incomplete", "\t\t"},
		{"s := `raw", "incomplete", "\t"},
		{"x := )", "invalid", ""},
		{"for i := 0;", "incomplete", "\t"},
		{"import \"fmt\"\nfmt.Println(1)", "complete", ""},
		{"", "complete", ""},
	}
	s := newTestSession(t)
	for _, tt := range tests {
		st, ind := s.IsComplete(tt.code)
		if st != tt.status || ind != tt.indent {
			t.Errorf("IsComplete(%q) = %q %q, want %q %q", tt.code, st, ind, tt.status, tt.indent)
		}
	}
}

func TestCompleteInspect(t *testing.T) {
	s := newTestSession(t)
	execCell(t, s, "// Area is the area.\nfunc Area(w, h float64) float64 { return w * h }\ntype Box struct{ Width, Height float64 }\nfunc (b Box) Size() float64 { return b.Width * b.Height }\nbox := Box{1, 2}\ncounter := 3\ntype pt struct{ x, y int; Label string }\nfunc (p pt) norm() int { return p.x*p.x + p.y*p.y }\norigin := pt{}")
	tests := []struct {
		code   string
		cursor int
		want   string
		start  int
	}{
		{"fmt.Prin", 8, "Println", 4},
		{"strings.ToU", 11, "ToUpper", 8},
		{"Are", 3, "Area", 0},
		{"coun", 4, "counter", 0},
		{"box.Wi", 6, "Width", 4},
		{"box.Si", 6, "Size", 4},
		{"retu", 4, "return", 0},
		{"origin.", 7, "x", 7},
		{"origin.no", 9, "norm", 7},
		{"origin.La", 9, "Label", 7},
		{"for idx := 0; idx < 3; i", 24, "idx", 23},
		{"x := énor + fm", 14, "fmt", 12},
	}
	for _, tt := range tests {
		m, start, end := s.Complete(tt.code, tt.cursor)
		if !contains(m, tt.want) || start != tt.start || end != tt.cursor {
			t.Errorf("Complete(%q, %d) = %v %d %d, want %q at %d", tt.code, tt.cursor, m, start, end, tt.want, tt.start)
		}
	}
	for _, tt := range []struct {
		code   string
		cursor int
		want   string
	}{
		{"Area(1, 2)", 2, "Area is the area."},
		{"fmt.Println(x)", 6, "func Println("},
		{"fmt.Println(x)", 6, "Println formats using the default formats"},
		{"mat.NewDense(1, 1, nil)", 6, "func NewDense("},
		{"strings", 3, "package strings"},
		{"box", 1, "var box"},
		{"box.Size()", 5, "Size"},
		{"origin.norm()", 8, "func (p pt) norm() int"},
	} {
		data, found := s.Inspect(tt.code, tt.cursor, 0)
		if !found || !strings.Contains(data["text/plain"].(string), tt.want) {
			t.Errorf("Inspect(%q) = %v %v, want %q", tt.code, data, found, tt.want)
		}
	}
	res, _ := execCell(t, s, "?Area")
	if res.Err != nil || len(res.Payload) != 1 || !strings.Contains(res.Payload[0]["data"].(map[string]any)["text/plain"].(string), "func Area") {
		t.Fatalf("pager: %+v", res)
	}
	res, _ = execCell(t, s, "strings.ToUpper?")
	if res.Err != nil || len(res.Payload) != 1 || res.Payload[0]["source"] != "page" {
		t.Fatalf("pager 2: %+v", res)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestCaptureStdio runs a session with CaptureStdio in a child process, so
// that the test binary's own file descriptors are never redirected.
func TestCaptureStdio(t *testing.T) {
	if os.Getenv("GOTRANN_CAPTURE_CHILD") == "1" {
		captureChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCaptureStdio$")
	cmd.Env = append(os.Environ(), "GOTRANN_CAPTURE_CHILD=1")
	b, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "CAPTURE-OK") {
		t.Fatalf("child: %v\n%s", err, b)
	}
}

func captureChild() {
	s, err := New(withTables(Options{CaptureStdio: true}))
	if err != nil {
		panic(err)
	}
	out := &fakeOutput{}
	res := s.Execute(context.Background(), Request{Code: "os.Stdout.WriteString(\"direct\\n\")\nfmt.Fprintln(os.Stderr, \"to stderr\")\nlog.New(os.Stdout, \"\", 0).Println(\"compiled\")\nfmt.Println(\"interp\")"}, out)
	log := s.LogWriter()
	s.Close()
	if res.Err != nil {
		panic(res.Err)
	}
	for _, want := range []string{"direct\n", "compiled\n", "interp\n"} {
		if !strings.Contains(out.out(), want) {
			log.Write([]byte("missing stdout " + want + " in " + out.out() + "\n"))
			os.Exit(1)
		}
	}
	if !strings.Contains(out.errs(), "to stderr") {
		log.Write([]byte("missing stderr in " + out.errs() + "\n"))
		os.Exit(1)
	}
	log.Write([]byte("CAPTURE-OK\n"))
}

// TestInterruptBlockedCompiledCall interrupts a cell blocked in a compiled
// call: the next cells work, and the interrupted cell never resumes.
func TestInterruptBlockedCompiledCall(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi's cancellation path races (see race_on_test.go)")
	}
	s := newTestSession(t)
	execCell(t, s, "r, w, _ := os.Pipe()")
	ctx, cancel := context.WithCancel(context.Background())
	out := &fakeOutput{notify: make(chan string, 16)}
	done := make(chan Result)
	go func() {
		done <- s.Execute(ctx, Request{Code: "fmt.Println(\"blocking\")\nbuf := make([]byte, 1)\nr.Read(buf)\nfmt.Println(\"resumed\")"}, out)
	}()
	<-out.notify
	for !blockedInRead() {
		runtime.Gosched()
	}
	start := time.Now()
	cancel()
	res := <-done
	if res.Err == nil || res.Err.Name != "Interrupted" || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("interrupt: %+v after %v", res.Err, time.Since(start))
	}
	// Interrupting the next cell while it waits for the blocked one is
	// immediate too, and leaves the check for the cell after it.
	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	start = time.Now()
	if res := s.Execute(cancelled, Request{Code: "1 + 1"}, &fakeOutput{}); res.Err == nil || res.Err.Name != "Interrupted" || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("interrupt while waiting: %+v after %v", res.Err, time.Since(start))
	}
	res2, out2 := execCell(t, s, "1 + 1")
	if value(res2) != "2" || !strings.Contains(out2.errs(), "rebuilt") {
		t.Fatalf("next cell: %+v %q", res2.Err, out2.errs())
	}
	res3, out3 := execCell(t, s, "w.Write([]byte(\"x\"))\nw.Close()")
	if res3.Err != nil {
		t.Fatal(res3.Err)
	}
	for s.executing() {
		runtime.Gosched()
	}
	if strings.Contains(out.out()+out2.out()+out3.out(), "resumed") {
		t.Fatalf("the interrupted cell resumed")
	}
}

func TestOutputOrder(t *testing.T) {
	s := newTestSession(t)
	_, out := execCell(t, s, "fmt.Println(\"a\")\nos.Stdout.WriteString(\"b\\n\")\nfmt.Fprintln(os.Stdout, \"c\")\nprintln(\"d\")\nfmt.Fprintln(os.Stderr, \"e\")\nlog.New(os.Stderr, \"\", 0).Print(\"f\")")
	// yaegi's println writes to stdout (Go's writes to stderr).
	if out.out() != "a\nb\nc\nd\n" {
		t.Errorf("stdout %q", out.out())
	}
	if out.errs() != "e\nf\n" {
		t.Errorf("stderr %q", out.errs())
	}
}

// blockedInRead reports whether an interpreted cell is inside a compiled
// (*os.File).Read.
func blockedInRead() bool {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "os.(*File).Read(") && strings.Contains(g, "yaegi/interp") {
			return true
		}
	}
	return false
}

// TestCompleteWhileRunning checks that completion does not wait for a
// running cell.
func TestCompleteWhileRunning(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi's cancellation path races (see race_on_test.go)")
	}
	s := newTestSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &fakeOutput{notify: make(chan string, 4)}
	done := make(chan Result)
	go func() { done <- s.Execute(ctx, Request{Code: "fmt.Println(\"go\")\nfor {}"}, out) }()
	<-out.notify
	m, _, _ := s.Complete("strings.Sp", 10)
	cancel()
	<-done
	if !contains(m, "Split") {
		t.Fatalf("matches %v", m)
	}
}

// TestPreloaded uses gonum and gonum/plot without import lines and carries
// a *mat.Dense across a replay (skipped when built without kernel/symbols).
func TestPreloaded(t *testing.T) {
	s := newTestSession(t)
	if s.tab.byName["mat"] == "" || s.tab.byName["plot"] == "" {
		t.Fatal("the preloaded packages are missing")
	}
	runSteps(t, []step{
		{code: "m := mat.NewDense(2, 2, []float64{1, 2, 3, 4})\nfunc tr() float64 { return mat.Trace(m) }\ntr()", value: "5"},
		{code: "func tr() float64 { return mat.Trace(m) * 10 }\nm.Set(0, 0, 2)\ntr()", value: "60"},
		{code: "p := plot.New()\np.Title.Text = \"t\"\np.Title.Text", value: "t"},
		{code: "stat.Mean([]float64{1, 2, 3}, nil)", value: "2"},
	})
}

// TestTopLevelDefer checks that a defer at the top level of a cell runs once,
// when the cell ends, with its arguments evaluated at the defer statement,
// last first — and not at once, nor again after later cells (yaegi's own
// behaviour).
func TestTopLevelDefer(t *testing.T) {
	runSteps(t, []step{
		{code: "n := 1\ndefer fmt.Println(\"deferred\", n)\nn = 2\nfmt.Println(\"body\", n)", stdout: "body 2\ndeferred 1\n"},
		{code: "fmt.Println(\"next\")", stdout: "next\n"},
		{code: "defer fmt.Println(\"a\")\ndefer fmt.Println(\"b\")\nif true {\n\tdefer fmt.Println(\"c\")\n}\nfmt.Println(\"body\")", stdout: "body\nc\nb\na\n"},
		{code: "func f() { defer fmt.Println(\"f done\"); fmt.Println(\"in f\") }\nf()", stdout: "in f\nf done\n"},
		{code: "defer func() { panic(\"late\") }()\nfmt.Println(\"body\")", errText: "late", errName: "panic"},
		{code: "x := 7\nx", value: "7"},
	})
}

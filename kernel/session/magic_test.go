package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMagics(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hello.txt")
	tests := []struct {
		name  string
		steps []step
	}{
		{"help lists every magic", []step{{code: "%help", stdout: "%%writefile"}, {code: "%help", stdout: "%who"}}},
		{"time a statement", []step{{code: "%time x := 6 * 7", stdout: "Wall time: "}, {code: "x", value: "42"}}},
		{"time prints IPython's line", []step{{code: "%time fmt.Print(\"\")", stdout: "CPU times: user "}}},
		{"time keeps the value", []step{{code: "%time 6 * 7", value: "42"}}},
		{"time a cell", []step{{code: "%%time\ny := 1\ny + 1", value: "2", stdout: "Wall time: "}}},
		{"who", []step{{code: "type P struct{ X int }\np := P{3}\nn := 7", value: "<none>"}, {code: "%who", stdout: "n         int"},
			{code: "%who", stdout: "p         P"}}},
		{"who empty", []step{{code: "%who", stdout: "empty"}}},
		{"reset", []step{{code: "func f() int { return 1 }\nv := 2", value: "<none>"},
			{code: "%reset", stderr: "reset"},
			{code: "v", errName: "CompileError", errText: "undefined: v"},
			{code: "f()", errName: "CompileError", errText: "undefined: f"},
			{code: "func f() string { return \"new\" }\nf()", value: "new"}}},
		{"reset then code in the same cell", []step{{code: "a := 1", value: "<none>"}, {code: "%reset\na := \"s\"\na", value: "s"}}},
		{"env", []step{{code: "%env GOTRANN_MAGIC_TEST=abc", stdout: "env: GOTRANN_MAGIC_TEST=abc"},
			{code: "%env GOTRANN_MAGIC_TEST", stdout: "abc\n"},
			{code: "os.Getenv(\"GOTRANN_MAGIC_TEST\")", value: "abc"},
			{code: "!echo $GOTRANN_MAGIC_TEST", stdout: "abc\n"},
			{code: "%env", stdout: "GOTRANN_MAGIC_TEST=abc"},
			{code: "%env GOTRANN_NOT_SET_ANYWHERE", errName: "KeyError"}}},
		{"shell command", []step{{code: "!echo hello from sh", stdout: "hello from sh\n"}}},
		{"shell failure", []step{{code: "!echo out; exit 3", errName: "ShellError", errText: "exit status 3"}}},
		{"shell then go", []step{{code: "!echo first\nfmt.Println(\"second\")", stdout: "first\nsecond\n"}}},
		{"bash cell", []step{{code: "%%bash\nfor i in 1 2; do echo \"n$i\"; done", stdout: "n1\nn2\n"}}},
		{"writefile", []step{{code: "%%writefile " + file + "\nline one\nline two", stdout: "Writing " + file},
			{code: "%%writefile " + file + "\nagain", stdout: "Overwriting " + file},
			{code: "b, _ := os.ReadFile(" + quote(file) + ")\nstring(b)", value: "again\n"}}},
		{"unknown line magic", []step{{code: "%nosuch 1", errName: "UsageError", errText: "%who"}}},
		{"unknown cell magic", []step{{code: "%%nosuch\n1", errName: "UsageError", errText: "%%bash"}}},
		{"go error after magics keeps line numbers", []step{{code: "!true\nx := 1\ny := undefinedThing", errName: "CompileError", errText: "In[1]:3:"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runSteps(t, tt.steps) })
	}
	os.Unsetenv("GOTRANN_MAGIC_TEST")
}

func quote(s string) string { return "`" + s + "`" }

func TestMagicCd(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	runSteps(t, []step{{code: "%cd " + dir, stdout: dir + "\n"}, {code: "!pwd", stdout: dir + "\n"},
		{code: "%cd /no/such/dir", errName: "UsageError"}})
}

func TestMagicIsCompleteAndComplete(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []struct{ code, want string }{
		{"%help", "complete"}, {"!ls -l", "complete"}, {"%%bash\nif true; then", "complete"},
		{"%time x := 1", "complete"}, {"%env A=1\nfor {", "incomplete"}, {"%%time\nfor {", "complete"},
	} {
		if got, _ := s.IsComplete(c.code); got != c.want {
			t.Errorf("IsComplete(%q) = %s, want %s", c.code, got, c.want)
		}
	}
	m, start, _ := s.Complete("%ti", 3)
	if strings.Join(m, " ") != "%time" || start != 0 {
		t.Errorf("Complete(%%ti) = %v at %d", m, start)
	}
	m, _, _ = s.Complete("x := 1\n%%", 9)
	if strings.Join(m, " ") != "%%bash %%time %%writefile" {
		t.Errorf("Complete(%%%%) = %v", m)
	}
	m, _, _ = s.Complete("%", 1)
	if len(m) != len(lineMagics)+len(cellMagics)-1 {
		t.Errorf("Complete(%%) = %v", m)
	}
}

func TestMagicShellInterrupt(t *testing.T) {
	s := newTestSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &fakeOutput{notify: make(chan string, 16)}
	done := make(chan Result)
	go func() {
		done <- s.Execute(ctx, Request{Code: "%%bash\necho started\nsleep 30 & wait\necho not reached"}, out)
	}()
	for text := range out.notify {
		if strings.Contains(text, "started") {
			break
		}
	}
	start := time.Now()
	cancel()
	res := <-done
	if res.Err == nil || res.Err.Name != "Interrupted" {
		t.Fatalf("result %+v, want Interrupted", res.Err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("interrupt took %v", d)
	}
	if strings.Contains(out.out(), "not reached") {
		t.Error("the script went on after the interrupt")
	}
}

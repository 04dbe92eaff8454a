package session

import (
	"go/parser"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// modernCases are cells in today's Go: each runs in a fresh session and,
// compiled by the Go toolchain, as a package of its own (declarations at
// the package level, statements in a function); the outputs must agree.
// Each cell starts with its imports.
var modernCases = []struct{ name, code string }{
	{"range over int literal", "import \"fmt\"\nfor i := range 3 { fmt.Print(i, \" \") }\nfmt.Println()"},
	{"range over typed int, body changes i", "import \"fmt\"\nvar n int64 = 3\nfor i := range n { i += 10; fmt.Printf(\"%T %v \", i, i) }\nfmt.Println()"},
	{"range over n without variables", "import \"fmt\"\nk := 0\nn := 4\nfor range n { k++ }\nfmt.Println(k)"},
	{"range over int, assign form", "import \"fmt\"\nvar j int\nfor j = range 4 {}\nfmt.Println(j)"},
	{"range over int in a func", "import \"fmt\"\nfunc sum(n int) (s int) { for i := range n { s += i }; return }\nfmt.Println(sum(5))"},
	{"range over int, body redeclares", "import \"fmt\"\nfor i := range 2 { i := i * 7; fmt.Print(i, \" \") }\nfmt.Println()"},
	{"closures in a three-clause loop", "import \"fmt\"\nvar fs []func() int\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\nfor _, f := range fs { fmt.Print(f(), \" \") }\nfmt.Println()"},
	{"three-clause loop, continue and a body that changes i", "import \"fmt\"\nvar fs []func() int\nfor i := 0; i < 10; i++ {\n\tif i%3 == 0 {\n\t\ti++\n\t\tcontinue\n\t}\n\tfs = append(fs, func() int { return i })\n\ti++\n}\nfor _, f := range fs { fmt.Print(f(), \" \") }\nfmt.Println()"},
	{"closure sees later changes of its own iteration", "import \"fmt\"\nvar fs []func() int\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }); i += 0 }\nfor i := 0; i < 2; i++ { f := func() int { return i }; i = i * 1; fmt.Print(f(), \" \") }\nfmt.Println(fs[2]())"},
	{"labelled continue in a three-clause loop", "import \"fmt\"\nvar fs []func() int\nouter:\nfor i := 0; i < 3; i++ {\n\tfor j := 0; j < 3; j++ {\n\t\tif j == 2 {\n\t\t\tcontinue outer\n\t\t}\n\t\tfs = append(fs, func() int { return i*10 + j })\n\t}\n}\nfor _, f := range fs { fmt.Print(f(), \" \") }\nfmt.Println()"},
	{"goroutines in a loop", "import (\n\t\"fmt\"\n\t\"sync\"\n)\nvar wg sync.WaitGroup\nres := make([]int, 3)\nfor i := 0; i < 3; i++ {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); res[i] = i * i }()\n}\nwg.Wait()\nfmt.Println(res)"},
	{"the old v := v idiom in loops", "import \"fmt\"\nvar fs []func() string\nfor _, v := range []string{\"a\", \"b\"} { v := v; fs = append(fs, func() string { return v }) }\nfor i := 0; i < 2; i++ { i := i; fs = append(fs, func() string { return fmt.Sprint(i) }) }\nfor _, f := range fs { fmt.Print(f(), \" \") }\nfmt.Println()"},
	{"closures in a range loop", "import \"fmt\"\nvar fs []func() string\nfor k, v := range []string{\"a\", \"b\"} { fs = append(fs, func() string { return fmt.Sprint(k, v) }) }\nfor _, f := range fs { fmt.Print(f(), \" \") }\nfmt.Println()"},
	{"min max clear in declarations", "import \"fmt\"\nvar m = max(1, 2.5)\nvar lo = min(3, 1, 2)\nfunc smallest(a, b float64) float64 { return min(a, b) }\nfunc wipe(m map[string]int) { clear(m) }\nx := map[string]int{\"a\": 1}\nwipe(x)\nys := []int{1, 2}\nclear(ys)\nfmt.Println(m, lo, smallest(2, -1), len(x), ys, max(\"a\", \"b\"), min(2.5, 1))"},
	{"min max of typed values", "import \"fmt\"\ntype Celsius float64\na, b := Celsius(3), Celsius(-2)\nvar u uint8 = 200\nfmt.Println(min(a, b), max(a, b, 7), max(u, 7), min(1.5, float32(2)))"},
	{"range over a func with break", "import \"fmt\"\nfunc seq(n int) func(func(int) bool) {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\nfor x := range seq(10) {\n\tif x == 1 {\n\t\tcontinue\n\t}\n\tif x == 4 {\n\t\tbreak\n\t}\n\tfmt.Print(x, \" \")\n}\nfmt.Println()"},
	{"range over a func with return", "import \"fmt\"\nfunc count(yield func(int) bool) { for i := 0; ; i++ { if !yield(i) { return } } }\nfunc find(n int) (int, string) {\n\tfor x := range count {\n\t\tif x*x > n {\n\t\t\treturn x, \"found\"\n\t\t}\n\t}\n\treturn -1, \"none\"\n}\nfmt.Println(find(50))"},
	{"range over a func of pairs and of nothing", "import \"fmt\"\nfunc pairs(yield func(string, int) bool) { _ = yield(\"a\", 1) && yield(\"b\", 2) }\nfunc twice(yield func() bool) { _ = yield() && yield() }\nfor k, v := range pairs { fmt.Print(k, v, \" \") }\nfor k := range pairs { fmt.Print(k, \" \") }\nn := 0\nfor range twice { n++ }\nfmt.Println(n)"},
	{"nested range over funcs", "import \"fmt\"\nfunc upto(n int) func(func(int) bool) { return func(yield func(int) bool) { for i := range n { if !yield(i) { return } } } }\nfor i := range upto(3) {\n\tfor j := range upto(3) {\n\t\tif j > i {\n\t\t\tbreak\n\t\t}\n\t\tfmt.Print(i, j, \" \")\n\t}\n}\nfmt.Println()"},
	{"generic calls infer type arguments", "import (\n\t\"fmt\"\n\t\"strconv\"\n)\nfunc Map[T, U any](xs []T, f func(T) U) []U {\n\tvar r []U\n\tfor _, x := range xs {\n\t\tr = append(r, f(x))\n\t}\n\treturn r\n}\nfunc Reduce[T, A any](xs []T, acc A, f func(A, T) A) A {\n\tfor _, x := range xs {\n\t\tacc = f(acc, x)\n\t}\n\treturn acc\n}\nfmt.Println(Map([]int{1, 2}, func(i int) string { return fmt.Sprint(i) }))\nfmt.Println(Reduce([]string{\"1\", \"2\"}, 0.5, func(a float64, s string) float64 { n, _ := strconv.Atoi(s); return a + float64(n) }))\nfmt.Println(Map[int]([]int{3}, func(i int) bool { return i > 2 }))"},
}

// compiledOutputs builds every case into one program (a package per case)
// and returns each case's output.
func compiledOutputs(t *testing.T) map[string]string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain on PATH")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module modern\n\ngo 1.24\n")
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"fmt\"\n")
	for i := range modernCases {
		main.WriteString("\tc" + strconv.Itoa(i) + " \"modern/c" + strconv.Itoa(i) + "\"\n")
	}
	main.WriteString(")\n\nfunc main() {\n")
	for i, c := range modernCases {
		code := c.code
		var decls, stmts strings.Builder
		for _, r := range runs(splitCell(code)) {
			if r.Decl {
				decls.WriteString(code[r.Start:r.End] + "\n")
			} else {
				stmts.WriteString(code[r.Start:r.End] + "\n")
			}
		}
		pkg := "c" + strconv.Itoa(i)
		write(pkg+"/c.go", "package "+pkg+"\n"+decls.String()+"\nfunc Run() {\n"+stmts.String()+"}\n")
		main.WriteString("\tfmt.Println(\"=== " + strconv.Itoa(i) + "\")\n\t" + pkg + ".Run()\n")
	}
	main.WriteString("}\n")
	write("main.go", main.String())
	cmd := exec.Command(goBin, "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	res := map[string]string{}
	parts := strings.Split(string(out), "=== ")
	for _, p := range parts[1:] {
		n, text, _ := strings.Cut(p, "\n")
		i, _ := strconv.Atoi(n)
		res[modernCases[i].name] = text
	}
	return res
}

func TestModernGoMatchesCompiled(t *testing.T) {
	want := compiledOutputs(t)
	for _, c := range modernCases {
		t.Run(c.name, func(t *testing.T) {
			s := newTestSession(t)
			res, out := execCell(t, s, c.code)
			if res.Err != nil {
				t.Fatalf("%s: %s\n%s", res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
			}
			if got := out.out(); got != want[c.name] {
				t.Errorf("session printed %q, the compiled program %q", got, want[c.name])
			}
		})
	}
}

func TestCompleteCompositeLiteral(t *testing.T) {
	s := newTestSession(t)
	if res, _ := execCell(t, s, "type Pt struct{ Xcoord, Ycoord float64 }"); res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, c := range []struct{ code, want string }{
		{"p := Pt{Xc", "Xcoord"},
		{"p := Pt{Xcoord: 1, Yc", "Ycoord"},
		{"p := &Pt{\n\tXc", "Xcoord"},
		{"r := image.Rectangle{Mi", "Min"},
		{"r := image.Rectangle{Min: image.Point{X: 1}, Ma", "Max"},
		{"r := image.Point{X: f(1, 2), ", "Y"},
	} {
		m, _, _ := s.Complete(c.code, len([]rune(c.code)))
		found := false
		for _, x := range m {
			found = found || x == c.want
		}
		if !found {
			t.Errorf("Complete(%q) = %v, want %s among them", c.code, m, c.want)
		}
	}
}

func TestRangeFuncUnsupportedShowsRewrite(t *testing.T) {
	runSteps(t, []step{
		{code: "func seq(yield func(int) bool) { _ = yield(1) && yield(2) }", value: "<none>"},
		{code: "func f() { for x := range seq { defer fmt.Println(x) } }", errName: "CompileError", errText: "seq(func(x int) bool {"},
		{code: "outer:\nfor i := 0; i < 2; i++ {\n\tfor x := range seq {\n\t\tif x == 2 {\n\t\t\tcontinue outer\n\t\t}\n\t\tfmt.Print(i, x)\n\t}\n}", errName: "CompileError", errText: "continue outer"},
	})
}

func TestModernWithEarlierCells(t *testing.T) {
	runSteps(t, []step{
		{code: "type Node struct {\n\tV    int\n\tNext *Node\n}\nn := &Node{V: 2}\nn.Next = &Node{V: 3}\ntype Count int\nc := Count(3)", value: "<none>"},
		{code: "s := 0\nfor i := range n.Next.V { s += i }\nfor i := range c { s += int(i) }\ns", value: "6"},
		{code: "func Pair[K comparable, V any](k K, v V) map[K]V { return map[K]V{k: v} }", value: "<none>"},
		{code: "Pair(\"a\", n)[\"a\"].V", value: "2"},
		{code: "func seq(yield func(int, string) bool) { _ = yield(1, \"x\") && yield(2, \"y\") }", value: "<none>"},
		{code: "var k int\nvar v string\nfor k, v = range seq {}\nfmt.Sprint(k, v)", value: "2y"},
		{code: "m := map[string]int{\"a\": 1}\nclear(m)\nlen(m) + max(len(m), 4)", value: "4"},
	})
}

// FuzzModernize checks that the rewrites never panic on code that parses,
// and that completion and is_complete survive any input.
func FuzzModernize(f *testing.F) {
	for _, c := range modernCases {
		f.Add(c.code)
	}
	f.Add("for x := range f { if x { break L }; defer g(); return 1, 2 }")
	f.Add("%time x := 1\n!ls\nPt{Xc")
	s := newTestSession(f)
	f.Fuzz(func(t *testing.T, code string) {
		s.IsComplete(code)
		s.Complete(code, len([]rune(code)))
		for _, r := range runs(splitCell(code)) {
			var src string
			if r.Decl {
				src = "package main;" + code[r.Start:r.End]
			} else {
				src = "package main; func main() {" + code[r.Start:r.End] + "\n}"
			}
			fset := s.in.FileSet()
			base := fset.Base()
			file, err := parser.ParseFile(fset, "_.go", src, 0)
			if err == nil {
				if _, err := s.modernize(fset, file, true); err != nil && strings.Contains(err.Error(), "failed to rewrite") {
					t.Errorf("%q: %v", code, err)
				}
			}
			forgetFile(fset, base)
		}
	})
}

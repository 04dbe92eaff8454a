package session

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// assignShape is one shape of the yaegi v0.16.1 assignment bugs: a cell,
// the stdout Go gives, and whether plain yaegi gets it wrong.
type assignShape struct {
	name  string
	decls string // declarations, evaluated before code (in the same cell for the session)
	code  string
	want  string
	raw   bool // plain yaegi v0.16.1 gets it wrong (measured)
}

var parallelShapes = []assignShape{
	// the reproductions (/tmp/jw-report/repro-parallel-assign.ipynb)
	{name: "top call,lit", code: "a, b := 0.0, -1\na, b = math.Sqrt(4), 7\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "top call,expr", code: "x, y := 9.0, 1\nx, y = math.Sqrt(x), y+1\nfmt.Println(x, y)", want: "3 2", raw: true},
	{name: "func param call", decls: "func pick(f func() float64) (float64, int) {\n\ta, b := 0.0, -1\n\ta, b = f(), 7\n\treturn a, b\n}",
		code: "fmt.Println(pick(func() float64 { return 1 }))", want: "1 7", raw: true},
	{name: "func decl calls func", decls: "func g() float64 { return 1 }\nfunc pick2() (float64, int) {\n\ta, b := 0.0, -1\n\ta, b = g(), 7\n\treturn a, b\n}",
		code: "fmt.Println(pick2())", want: "1 7", raw: true},
	// other positions
	{name: "func literal", code: "f := func() (float64, int) { a, b := 0.0, -1; a, b = math.Sqrt(4), 7; return a, b }\nfmt.Println(f())", want: "2 7", raw: true},
	{name: "method struct fields", decls: "type T struct {\n\tA float64\n\tB int\n}\n\nfunc (t *T) M() { t.A, t.B = math.Sqrt(4), 7 }",
		code: "t := &T{}\nt.M()\nfmt.Println(t.A, t.B)", want: "2 7", raw: true},
	{name: "top struct fields", decls: "type T2 struct {\n\tA float64\n\tB int\n}", code: "t := T2{}\nt.A, t.B = math.Sqrt(4), 7\nfmt.Println(t.A, t.B)", want: "2 7", raw: true},
	{name: "in if", code: "a, b := 0.0, -1\nif true {\n\ta, b = math.Sqrt(4), 7\n}\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "in for", code: "a, b := 0.0, -1\nfor i := 0; i < 2; i++ {\n\ta, b = math.Sqrt(4), b+1\n}\nfmt.Println(a, b)", want: "2 1", raw: true},
	{name: "in switch case", code: "a, b := 0.0, -1\nswitch {\ncase b < 0:\n\ta, b = math.Sqrt(4), 7\n}\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "in select case", code: "a, b := 0.0, -1\nch := make(chan int, 1)\nch <- 1\nselect {\ncase <-ch:\n\ta, b = math.Sqrt(4), 7\n}\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "labeled", code: "a, b, k := 0.0, -1, 0\nL:\n\ta, b = math.Sqrt(4), 7\nk++\nif b < 0 && k < 3 {\n\tgoto L\n}\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "if init", code: "a, b := 0.0, -1\nif a, b = math.Sqrt(4), 7; b > 0 {\n\tfmt.Println(a, b)\n}", want: "2 7", raw: true},
	{name: "switch init", code: "a, b := 0.0, -1\nswitch a, b = math.Sqrt(4), 7; {\ndefault:\n\tfmt.Println(a, b)\n}", want: "2 7", raw: true},
	{name: "labeled for init", code: "a, b := 0.0, -1\nL:\nfor a, b = math.Sqrt(4), 7; b > 0; b-- {\n\tfmt.Println(a, b)\n\tbreak L\n}", want: "2 7", raw: true},
	{name: "for post", code: "n, i, j := 0.0, 0, 0.0\nfor ; i < 3 && n < 100; i, j = i+1, math.Sqrt(16) {\n\tn += j\n}\nfmt.Println(n, i)", want: "8 3", raw: true},
	{name: "lit,call", code: "a, b := 0.0, -1\nb, a = 7, math.Sqrt(4)\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "call,ident", code: "a, b := 0.0, -1\nc := 7\na, b = math.Sqrt(4), c\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "call,negative lit", code: "a, b := 0.0, -1\na, b = math.Sqrt(4), -7\nfmt.Println(a, b)", want: "2 -7", raw: true},
	{name: "call,const", code: "x, y := 0.0, -1.0\nx, y = math.Sqrt(4), math.Pi\nfmt.Printf(\"%v %.2f\\n\", x, y)", want: "2 3.14", raw: true},
	{name: "three", code: "a, b, c := 0.0, 0, 0\na, b, c = math.Sqrt(4), 7, 8\nfmt.Println(a, b, c)", want: "2 7 8", raw: true},
	{name: "call,lit,len", code: "a, b, c := 0.0, -1, -1\na, b, c = math.Sqrt(4), 7, len(\"abc\")\nfmt.Println(a, b, c)", want: "2 7 3", raw: true},
	{name: "len,lit", code: "a, b := 0, -1\na, b = len(\"ab\"), 7\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "append,lit", code: "s, n := []int{}, -1\ns, n = append(s, 1), 7\nfmt.Println(s, n)", want: "[1] 7", raw: true},
	{name: "receive,lit", code: "a, b := 0.0, -1\nch := make(chan float64, 1)\nch <- 2\na, b = <-ch, 7\nfmt.Println(a, b)", want: "2 7", raw: true},
	{name: "string call", code: "x, y := \"\", -1\nx, y = fmt.Sprint(2), 7\nfmt.Println(x, y)", want: "2 7", raw: true},
	{name: "complex of vars", code: "x, y := 1.0, 2.0\nvar c complex128\nn := -1\nc, n = complex(x, y), 7\nfmt.Println(c, n)", want: "(1+2i) 7", raw: true},
	{name: "swap with a call", code: "a, b := 1, 2\ntw := func(x int) int { return 2 * x }\na, b = b, tw(a)\nfmt.Println(a, b)", want: "2 2", raw: true},
	{name: "ident,slice target", code: "a := 0.0\ns := []int{-1}\na, s[0] = math.Sqrt(4), 7\nfmt.Println(a, s[0])", want: "2 7", raw: true},
	{name: "call order lhs index first", code: "k := 0\nnext := func() int { k++; return k }\ns := make([]int, 3)\nb := 0\ns[next()], b = next(), 7\nfmt.Println(s, b)", want: "[0 2 0] 7", raw: true},
	{name: "map key call", code: "m := map[string]int{}\nkey := func() string { return \"k\" }\nb := 0.0\nm[key()], b = 7, math.Sqrt(4)\nfmt.Println(m, b)", want: "map[k:7] 2", raw: true},
	{name: "pointer target", code: "x := 0.0\nptr := func() *float64 { return &x }\nb := -1\n*ptr(), b = math.Sqrt(4), 7\nfmt.Println(x, b)", want: "2 7", raw: true},
	{name: "array element target", code: "var arr [2]float64\nb := -1\narr[len(\"a\")], b = math.Sqrt(4), 7\nfmt.Println(arr, b)", want: "[0 2] 7", raw: true},
	{name: "typed float32,int with constants", code: "var f float32\nvar n int\nf, n = 1.5, int(math.Sqrt(9))\nfmt.Println(f, n)", want: "1.5 3", raw: false},
	{name: "float32 const, call", code: "var f float32\nvar n int\nf, n = 1.5, len(\"abc\")\nfmt.Println(f, n)", want: "1.5 3", raw: true},
	{name: "untyped complex const", code: "var c complex64\nn := -1\nc, n = complex(1, 2), len(\"1234567\")\nfmt.Println(c, n)", want: "(1+2i) 7", raw: true},
	{name: "interface target", code: "var err error\nn := -1\nn, err = 7, fmt.Errorf(\"boom\")\nfmt.Println(n, err)", want: "7 boom", raw: true},
	{name: "value in func literal in rhs", code: "a, b := 0, -1\na, b = func() int { x, y := 0, 0; x, y = len(\"ab\"), 1; return x + y }(), 7\nfmt.Println(a, b)", want: "3 7", raw: true},
	// shapes that work in plain yaegi and are left alone
	{name: "call,call", code: "a, b := 0.0, 0.0\na, b = math.Sqrt(4), math.Sqrt(9)\nfmt.Println(a, b)", want: "2 3"},
	{name: "map,ident targets", code: "m := map[string]float64{}\nb := -1\nm[\"a\"], b = math.Sqrt(4), 7\nfmt.Println(m[\"a\"], b)", want: "2 7"},
	{name: "conversion of call", code: "a, b := 0, -1\na, b = int(math.Sqrt(4)), 7\nfmt.Println(a, b)", want: "2 7"},
	{name: "call in binary", code: "a, b := 0.0, -1\na, b = math.Sqrt(4)+1, 7\nfmt.Println(a, b)", want: "3 7"},
	{name: "define mixed", code: "a, b := math.Sqrt(4), 7\nfmt.Println(a, b)", want: "2 7"},
	{name: "var mixed", code: "var a, b = math.Sqrt(4), 7\nfmt.Println(a, b)", want: "2 7"},
	{name: "swap", code: "a, b := 1, 2\na, b = b, a\nfmt.Println(a, b)", want: "2 1"},
	{name: "slice swap", code: "s := []int{1, 2, 3}\ni, j := 0, 2\ns[i], s[j] = s[j], s[i]\nfmt.Println(s)", want: "[3 2 1]"},
	{name: "slice swap with call indices", code: "s := []int{1, 2, 3}\nidx := func(i int) int { return i }\ns[idx(0)], s[idx(2)] = s[2], s[0]\nfmt.Println(s)", want: "[3 2 1]"},
	{name: "fibonacci", code: "a, b := 0, 1\nfor i := 0; i < 10; i++ {\n\ta, b = b, a+b\n}\nfmt.Println(a, b)", want: "55 89"},
	{name: "reverse loop", code: "s := []int{1, 2, 3, 4}\nfor i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {\n\ts[i], s[j] = s[j], s[i]\n}\nfmt.Println(s)", want: "[4 3 2 1]"},
}

var nestedShapes = []assignShape{
	// the reproductions (/tmp/jw-report/repro-nested-define.ipynb)
	{name: "for Atoi", code: "for l := 0; l < 2; l++ {\n\td, err := strconv.Atoi(\"1\")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(d)\n}", want: "1\n1", raw: true},
	{name: "if Marshal nested use", code: "if true {\n\tb, err := json.Marshal(1)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\t{\n\t\tfmt.Println(string(b))\n\t}\n}", want: "1", raw: true},
	{name: "outer variable", code: "n := 0\nfor l := 0; l < 2; l++ {\n\td, err := strconv.Atoi(\"1\")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tn += d\n}\nfmt.Println(n)", want: "2", raw: true},
	// other shapes
	{name: "plain block", code: "{\n\td, err := strconv.Atoi(\"1\")\n\tfmt.Println(d, err)\n}", want: "1 <nil>", raw: true},
	{name: "switch case", code: "switch {\ncase true:\n\td, err := strconv.Atoi(\"1\")\n\tfmt.Println(d, err)\n}", want: "1 <nil>", raw: true},
	{name: "select case", code: "ch := make(chan int, 1)\nch <- 3\nselect {\ncase v := <-ch:\n\td, err := strconv.Atoi(\"1\")\n\tfmt.Println(v, d, err)\n}", want: "3 1 <nil>", raw: true},
	{name: "comma ok map", code: "m := map[string]int{\"a\": 1}\nfor l := 0; l < 1; l++ {\n\tv, ok := m[\"a\"]\n\tfmt.Println(v, ok)\n}", want: "1 true", raw: true},
	{name: "comma ok assertion", decls: "var x interface{} = 3", code: "for l := 0; l < 1; l++ {\n\tv, ok := x.(int)\n\tfmt.Println(v, ok)\n}", want: "3 true", raw: true},
	{name: "comma ok receive", code: "ch := make(chan int, 1)\nch <- 4\nfor l := 0; l < 1; l++ {\n\tv, ok := <-ch\n\tfmt.Println(v, ok)\n}", want: "4 true", raw: true},
	{name: "var spec", code: "for l := 0; l < 1; l++ {\n\tvar d, err = strconv.Atoi(\"1\")\n\tfmt.Println(d, err)\n}", want: "1 <nil>", raw: true},
	{name: "redefine one of two", code: "for l := 0; l < 1; l++ {\n\td := 0\n\td, err := strconv.Atoi(\"5\")\n\tfmt.Println(d, err)\n}", want: "5 <nil>", raw: true},
	{name: "nested if init", code: "for l := 0; l < 1; l++ {\n\tif d, err := strconv.Atoi(\"1\"); err == nil {\n\t\tfmt.Println(d)\n\t}\n}", want: "1", raw: true},
	{name: "labels break continue", code: "n := 0\nL:\nfor i := 0; i < 4; i++ {\n\tfor {\n\t\td, err := strconv.Atoi(\"1\")\n\t\tif err != nil {\n\t\t\tbreak L\n\t\t}\n\t\tif i == 1 {\n\t\t\tcontinue L\n\t\t}\n\t\tn += d\n\t\tbreak\n\t}\n}\nfmt.Println(n)", want: "3", raw: true},
	{name: "go statement inside", code: "ch := make(chan int)\nfor l := 0; l < 1; l++ {\n\td, err := strconv.Atoi(\"6\")\n\tgo func() { ch <- d }()\n\tfmt.Println(<-ch, err)\n}", want: "6 <nil>", raw: true},
	{name: "with broken parallel assignment", code: "a, b := 0, 0\nfor l := 0; l < 1; l++ {\n\td, err := strconv.Atoi(\"6\")\n\ta, b = d, len(\"ab\")\n\t_ = err\n}\nfmt.Println(a, b)", want: "6 2", raw: true},
	// shapes that work in plain yaegi and are left alone
	{name: "top level", code: "d, err := strconv.Atoi(\"1\")\nfmt.Println(d, err)", want: "1 <nil>"},
	{name: "top if init", code: "if d, err := strconv.Atoi(\"5\"); err == nil {\n\tfmt.Println(d)\n}", want: "5"},
	{name: "top switch init", code: "switch d, err := strconv.Atoi(\"5\"); {\ncase err == nil:\n\tfmt.Println(d)\n}", want: "5"},
	{name: "top for init", code: "for d, err := strconv.Atoi(\"2\"); err == nil && d > 0; d-- {\n\tfmt.Println(d)\n}", want: "2\n1"},
	{name: "several single values", code: "for l := 0; l < 1; l++ {\n\td, e := 1, 2\n\tfmt.Println(d, e)\n}", want: "1 2"},
	{name: "assignment", code: "var d int\nvar err error\nfor l := 0; l < 1; l++ {\n\td, err = strconv.Atoi(\"3\")\n}\nfmt.Println(d, err)", want: "3 <nil>"},
	{name: "range", code: "for k, v := range map[string]int{\"a\": 1} {\n\tfmt.Println(k, v)\n}", want: "a 1"},
	{name: "in func literal", code: "func() {\n\tfor l := 0; l < 1; l++ {\n\t\td, err := strconv.Atoi(\"1\")\n\t\tfmt.Println(d, err)\n\t}\n}()", want: "1 <nil>"},
	{name: "in func decl", decls: "func f() int {\n\tn := 0\n\tfor l := 0; l < 2; l++ {\n\t\td, err := strconv.Atoi(\"1\")\n\t\tif err != nil {\n\t\t\tpanic(err)\n\t\t}\n\t\tn += d\n\t}\n\treturn n\n}", code: "fmt.Println(f())", want: "2"},
}

// TestAssignShapes runs every shape through the session: Go's output.
func TestAssignShapes(t *testing.T) {
	for _, set := range []struct {
		name   string
		shapes []assignShape
	}{{"parallel", parallelShapes}, {"nested", nestedShapes}} {
		for _, sh := range set.shapes {
			t.Run(set.name+"/"+sh.name, func(t *testing.T) {
				code := sh.code
				if sh.decls != "" {
					code = sh.decls + "\n" + code
				}
				runSteps(t, []step{{code: code, stdout: sh.want + "\n"}})
			})
		}
	}
}

// TestYaegiAssignBugs measures the shapes on plain yaegi (no session), so
// that the rewrites target exactly the broken ones. Should it fail after a
// yaegi upgrade, the shapes marked raw may work now and the rewrites of
// assign.go may be dropped for them.
func TestYaegiAssignBugs(t *testing.T) {
	for _, set := range []struct {
		name   string
		shapes []assignShape
	}{{"parallel", parallelShapes}, {"nested", nestedShapes}} {
		for _, sh := range set.shapes {
			t.Run(set.name+"/"+sh.name, func(t *testing.T) {
				var out bytes.Buffer
				in := interp.New(interp.Options{Stdout: &out, Stderr: &out})
				if err := in.Use(stdlib.Symbols); err != nil {
					t.Fatal(err)
				}
				code := sh.code
				if strings.HasPrefix(code, "var ") {
					code = "_ = 0\n" + code // statements, not a file
				}
				chunks := []string{`import ("encoding/json"; "fmt"; "math"; "strconv")`, sh.decls, code}
				var err error
				for _, ch := range chunks {
					if ch == "" {
						continue
					}
					// a lost assignment may loop: bounded
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					_, err = in.EvalWithContext(ctx, ch)
					cancel()
					if err != nil {
						break
					}
				}
				got := strings.TrimSpace(out.String())
				wrong := err != nil || got != sh.want
				if wrong != sh.raw {
					t.Errorf("plain yaegi: got %q (error %v), want %q; marked broken: %v", got, err, sh.want, sh.raw)
				}
			})
		}
	}
}

// TestRewriteParallel checks the rewritten source of assignments.
func TestRewriteParallel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a, b = f(), 7", "{\n\t_gotrann_pa1_0 := f()\n\ta, b = _gotrann_pa1_0, 7\n}"},
		{"a, b = 7, <-c", "{\n\t_gotrann_pa1_0 := <-c\n\ta, b = 7, _gotrann_pa1_0\n}"},
		{"a, b, c = f(), g(), 1.5", "{\n\t_gotrann_pa1_0 := f()\n\t_gotrann_pa1_1 := g()\n\ta, b, c = _gotrann_pa1_0, _gotrann_pa1_1, 1.5\n}"},
		{"s[i()], m[k()].x, *p(), b = f(), 1, 2, 3", "{\n\t_gotrann_pa1_0 := i()\n\t_gotrann_pa1_1 := k()\n\t_gotrann_pa1_2 := p()\n\t_gotrann_pa1_3 := f()\n\ts[_gotrann_pa1_0], m[_gotrann_pa1_1].x, *_gotrann_pa1_2, b = _gotrann_pa1_3, 1, 2, 3\n}"},
		{"arr[0][i()], b = f(), 1", "{\n\t_gotrann_pa1_0 := i()\n\t_gotrann_pa1_1 := f()\n\tarr[0][_gotrann_pa1_0], b = _gotrann_pa1_1, 1\n}"},
		{"g().x, b = f(), 1", "{\n\t_gotrann_pa1_0 := g()\n\t_gotrann_pa1_1 := f()\n\t_gotrann_pa1_0.x, b = _gotrann_pa1_1, 1\n}"},
		{"c, n = complex(1, 2), f()", "{\n\t_gotrann_pa1_0 := f()\n\tc, n = complex(1, 2), _gotrann_pa1_0\n}"},
		{"x, n = max(a, b), 1", "{\n\t_gotrann_pa1_0 := max(a, b)\n\tx, n = _gotrann_pa1_0, 1\n}"},
		{"if a, b = f(), 1; b > 0 {\n}", "{\n\t_gotrann_pa1_0 := f()\n\tif a, b = _gotrann_pa1_0, 1; b > 0 {\n\t}\n}"},
		{"L:\n\tfor a, b = f(), 1; ; {\n\t\tbreak L\n\t}", "{\n\t_gotrann_pa1_0 := f()\nL:\n\tfor a, b = _gotrann_pa1_0, 1; ; {\n\t\tbreak L\n\t}\n}"},
		{"for ; ; i, j = i+1, f() {\n}", "for ; ; func() {\n\t_gotrann_pa1_0 := f()\n\ti, j = i+1, _gotrann_pa1_0\n}() {\n}"},
		{"go func() { a, b = f(), 1 }()", "go func() {\n\t{\n\t\t_gotrann_pa1_0 := f()\n\t\ta, b = _gotrann_pa1_0, 1\n\t}\n}()"},
		// left alone
		{"a, b = b, a", "a, b = b, a"},
		{"a, b = f(), g()", "a, b = f(), g()"},
		{"a, b := f(), 7", "a, b := f(), 7"},
		{"a, b = f()", "a, b = f()"},
		{"a, b = f()+1, 7", "a, b = f()+1, 7"},
		{"s[f()], s[g()] = s[1], s[0]", "s[f()], s[g()] = s[1], s[0]"},
		{"c, n = complex(1, 2), 7", "c, n = complex(1, 2), 7"},
	}
	for _, tt := range tests {
		body, fset := parseBody(t, tt.in)
		rewriteParallel(body)
		if got := printStmts(t, fset, body.List); got != tt.want {
			t.Errorf("%q:\ngot\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

// TestWrapTopLevel checks which top-level statements run in a closure.
func TestWrapTopLevel(t *testing.T) {
	tests := []struct {
		in   string
		wrap bool
	}{
		{"for {\n\td, err := f()\n}", true},
		{"{\n\tvar d, err = f()\n}", true},
		{"switch {\ncase true:\n\tv, ok := m[k]\n}", true},
		{"select {\ncase <-c:\n\tv, ok := <-c\n}", true},
		{"L:\n\tfor {\n\t\tv, ok := x.(int)\n\t\tbreak L\n\t}", true},
		{"if x {\n\tif v, ok := x.(int); ok {\n\t}\n}", true},
		{"for {\n\tgo func() {\n\t\treturn\n\t}()\n\td, err := f()\n}", true},
		// left alone
		{"d, err := f()", false},
		{"if d, err := f(); err != nil {\n}", false},
		{"for d, err := f(); err != nil; {\n}", false},
		{"for {\n\td, e := 1, 2\n}", false},
		{"for {\n\td, err = f()\n}", false},
		{"func() {\n\tfor {\n\t\td, err := f()\n\t}\n}()", false},
		{"for {\n\td, err := f()\n\treturn\n}", false},
		{"for {\n\td, err := f()\n\tdefer g()\n}", false},
		{"for {\n\td, err := f()\n\tgoto L\n}", false},
		{"L:\n\tfor {\n\t\td, err := f()\n\t}\n\tgoto L", false},
	}
	for _, tt := range tests {
		body, fset := parseBody(t, tt.in)
		orig, n := body.List[0], len(body.List)
		wrapTopLevel(body)
		got := body.List[0]
		wrapped := false
		if es, ok := got.(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok {
				if lit, ok := call.Fun.(*ast.FuncLit); ok && len(call.Args) == 0 && len(lit.Body.List) == 1 && lit.Body.List[0] == orig {
					wrapped = true
				}
			}
		}
		if got != orig && !wrapped || len(body.List) != n {
			t.Errorf("%q: rewritten to\n%s", tt.in, printStmts(t, fset, body.List))
		}
		if wrapped != tt.wrap {
			t.Errorf("%q: wrapped %v, want %v", tt.in, wrapped, tt.wrap)
		}
	}
}

func parseBody(t *testing.T, stmts string) (*ast.BlockStmt, *token.FileSet) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", "package p\nfunc _() {\n"+stmts+"\n}", 0)
	if err != nil {
		t.Fatal(err)
	}
	return f.Decls[0].(*ast.FuncDecl).Body, fset
}

func printStmts(t *testing.T, fset *token.FileSet, list []ast.Stmt) string {
	t.Helper()
	var b strings.Builder
	for i, st := range list {
		if i > 0 {
			b.WriteString("\n")
		}
		if err := printer.Fprint(&b, fset, st); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// TestNestedDefineErrors checks the errors of shapes left alone and of
// panics in statements run in a closure.
func TestNestedDefineErrors(t *testing.T) {
	runSteps(t, []step{
		{code: "for l := 0; l < 2; l++ {\n\td, err := strconv.Atoi(\"x\")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(d)\n}",
			errName: "panic", errText: "In[1] line 1"},
		{code: "for l := 0; l < 2; l++ {\n\td, err := strconv.Atoi(\"1\")\n\tif err == nil {\n\t\treturn\n\t}\n\tfmt.Println(d)\n}",
			errName: "CompileError", errText: "holds a return, goto or defer"},
	})
	s := newTestSession(t)
	res, _ := execCell(t, s, "for l := 0; l < 2; l++ {\n\td, err := strconv.Atoi(\"x\")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(d)\n}")
	if res.Err == nil {
		t.Fatal("no error")
	}
	for i := 1; i < len(res.Err.Traceback); i++ {
		if res.Err.Traceback[i] == res.Err.Traceback[i-1] {
			t.Errorf("repeated traceback line %q", res.Err.Traceback[i])
		}
	}
}

// TestParallelAcrossCells covers the other paths code takes: a var
// declaration re-run as an assignment, a replay after a redefinition, a
// pasted program's main.
func TestParallelAcrossCells(t *testing.T) {
	runSteps(t, []step{
		{code: "var gx, gy = math.Sqrt(4), 7", value: "<none>"},
		{code: "gx, gy = 0, 0", value: "<none>"},
		{code: "var gx, gy = math.Sqrt(4), 7", value: "<none>"},
		{code: "fmt.Println(gx, gy)", stdout: "2 7\n"},
		{code: "type R struct{ A int }\n\nfunc pr() (float64, int) {\n\ta, b := 0.0, -1\n\ta, b = math.Sqrt(4), 7\n\treturn a, b\n}", value: "<none>"},
		{code: "type R struct{ A, B int }", value: "<none>"},
		{code: "fmt.Println(pr())", stdout: "2 7\n"},
		{code: "package main\n\nimport (\n\t\"fmt\"\n\t\"math\"\n)\n\nfunc main() {\n\ta, b := 0.0, -1\n\ta, b = math.Sqrt(4), 7\n\tfmt.Println(\"main\", a, b)\n}\n", stdout: "main 2 7\n"},
		{code: "q, r := 0.0, 0\nq, r = math.Sqrt(4), 3\nq + float64(r)", value: "5"},
	})
}

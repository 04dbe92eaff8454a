package session

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestStateRestore: State -> JSON -> Restore into a new session; later
// cells call the funcs, use the types and assign the variables, which
// start at their zero values.
func TestStateRestore(t *testing.T) {
	tests := []struct {
		name  string
		setup []string
		vars  map[string]string // variable -> Type in the State
		lost  []string          // variables the note names
		after []step
	}{
		{
			name: "funcs types methods consts",
			setup: []string{
				"const K = 3\nconst (\n\tA = iota\n\tB\n)\ntype P struct{ X, Y int }\nfunc (p P) Sum() int { return p.X + p.Y + K }\nfunc twice(n int) int { return 2 * n }",
				"type Celsius float64\nfunc (c Celsius) F() float64 { return float64(c)*9/5 + 32 }",
			},
			vars: map[string]string{},
			after: []step{
				{code: "P{1, 2}.Sum() + twice(B)", value: "8"},
				{code: "Celsius(100).F()", value: "212"},
			},
		},
		{
			name: "variables",
			setup: []string{
				"type Node struct{ V int; Next *Node }\ntype Celsius float64\nfunc (c Celsius) Twice() Celsius { return 2 * c }",
				"var net = twice(4)\nfunc twice(n int) int { return 2 * n }\nvar named []string = []string{\"a\"}",
				"n := &Node{V: 1}\nv := Node{V: 2}\nc := Celsius(3)\nxs := []float64{1, 2}\nm := map[string]*Node{\"a\": n}\nk := 7\ns := \"str\"\nb := strings.NewReader(\"x\")\nf := func(x int) int { return x }\nch := make(chan int, 1)",
			},
			vars: map[string]string{"net": "int", "named": "[]string", "n": "*Node", "v": "Node", "c": "Celsius",
				"xs": "[]float64", "m": "map[string]*Node", "k": "int", "s": "string", "b": "*strings.Reader", "f": "func(int) int", "ch": "chan int"},
			lost: []string{"net", "n", "v", "xs", "b"},
			after: []step{
				{code: "net", value: "0"},
				{code: "n == nil && v.V == 0 && c == 0 && xs == nil && m == nil && k == 0 && s == \"\" && b == nil && f == nil && ch == nil", value: "true"},
				{code: "n = &Node{V: 5}\nn.Next = n\nv = *n\nm = map[string]*Node{\"x\": n}\nxs = append(xs, 1)\nc = 4\nb = strings.NewReader(\"y\")\nk = twice(k + 1)", value: "<none>"},
				{code: "m[\"x\"].Next.V + v.V + len(xs) + k", value: "13"},
				{code: "c.Twice()", value: "8"},
				{code: "net = twice(21)\nnet", value: "42"},
				// re-running the cell of a var declaration assigns it
				{code: "var net = twice(4)\nnet", value: "8"},
				// a redefinition replays and keeps the values
				{code: "type Node struct{ V int; Next *Node; W int }\nn.Next == n && n.V == 5", value: "true"},
			},
		},
		{
			name: "imports",
			setup: []string{
				"import (\n\tstr \"strings\"\n\t\"math\"\n)\nfunc up(s string) string { return str.ToUpper(s) }\nr := str.NewReplacer(\"a\", \"b\")\nroot := math.Sqrt(4)",
			},
			vars: map[string]string{"r": "*str.Replacer", "root": "float64"},
			after: []step{
				{code: "up(\"x\") + str.Repeat(\"y\", 2)", value: "Xyy"},
				{code: "r == nil && root == 0", value: "true"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSession(t)
			for _, c := range tt.setup {
				if res, _ := execCell(t, s, c); res.Err != nil {
					t.Fatalf("%q: %s: %s", c, res.Err.Name, res.Err.Value)
				}
			}
			st := s.State()
			if st.Count != len(tt.setup) {
				t.Errorf("count %d, want %d", st.Count, len(tt.setup))
			}
			got := map[string]string{}
			for _, v := range st.Vars {
				got[v.Name] = v.Type
			}
			for n, want := range tt.vars {
				if got[n] != want {
					t.Errorf("var %s: type %q, want %q", n, got[n], want)
				}
			}
			if len(got) != len(tt.vars) {
				t.Errorf("vars %v, want %v", got, tt.vars)
			}
			b, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			var st2 State
			if err := json.Unmarshal(b, &st2); err != nil {
				t.Fatal(err)
			}
			s2 := newTestSession(t)
			notes, err := s2.Restore(context.Background(), st2)
			if err != nil {
				t.Fatalf("restore: %v\nstate: %s", err, b)
			}
			joined := strings.Join(notes, "\n")
			for _, n := range tt.lost {
				if !strings.Contains(joined, n) {
					t.Errorf("notes %q do not name %s", joined, n)
				}
			}
			if len(tt.vars) > 0 && !strings.Contains(joined, "were lost (now zero)") {
				t.Errorf("notes %q", joined)
			}
			for i, stp := range tt.after {
				res, _ := execCell(t, s2, stp.code)
				if stp.errName != "" {
					if res.Err == nil || res.Err.Name != stp.errName {
						t.Fatalf("after %d %q: %+v, want %s", i, stp.code, res.Err, stp.errName)
					}
					continue
				}
				if res.Err != nil {
					t.Fatalf("after %d %q: %s: %s\n%s", i, stp.code, res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
				}
				if stp.value != "" && value(res) != stp.value {
					t.Errorf("after %d %q: value %q, want %q", i, stp.code, value(res), stp.value)
				}
			}
			if s2.State().Count != len(tt.setup)+len(tt.after) {
				t.Errorf("count after: %d", s2.State().Count)
			}
		})
	}
}

// TestRestoreDoesNotRunInitialisers: a var whose initialiser crashed the
// worker is declared without running it again.
func TestRestoreDoesNotRunInitialisers(t *testing.T) {
	st := State{
		Decls: []Decl{
			{Key: "boom", Kind: "func", Names: []string{"boom"}, Text: "/*line In[1]/_.go:1:1*/func boom() int { panic(\"ran again\") }"},
			{Key: "net", Kind: "var", Names: []string{"net"}, Text: "var /*line In[2]/_.go:1:5*/net = boom()"},
		},
		Vars:  []Var{{Name: "net", Type: "int"}, {Name: "odd", Type: ""}},
		Count: 2,
	}
	s := newTestSession(t)
	notes, err := s.Restore(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "the values of net were lost") || !strings.Contains(notes[1], "odd could not be declared") {
		t.Fatalf("notes %q", notes)
	}
	if res, _ := execCell(t, s, "net + 1"); value(res) != "1" {
		t.Fatalf("net: %+v %s", res.Err, value(res))
	}
	if res, _ := execCell(t, s, "odd"); res.Err == nil {
		t.Fatal("odd is defined")
	}
	res, _ := execCell(t, s, "var net = boom()")
	if res.Err == nil || res.Err.Name != "panic" || !strings.Contains(res.Err.Value, "ran again") {
		t.Fatalf("re-running the declaration: %+v", res.Err)
	}
}

// TestRestoreFailure: declarations that do not compile give an error and
// leave a usable session.
func TestRestoreFailure(t *testing.T) {
	s := newTestSession(t)
	_, err := s.Restore(context.Background(), State{Decls: []Decl{{Key: "f", Kind: "func", Names: []string{"f"}, Text: "func f() int { return undefinedThing }"}}})
	if err == nil {
		t.Fatal("no error")
	}
	if _, err := s.Restore(context.Background(), State{Decls: []Decl{{Key: "f", Kind: "nope", Text: "func f() {}"}}}); err == nil {
		t.Fatal("no error for a bad kind")
	}
	if res, _ := execCell(t, s, "func f() int { return 3 }\nf()"); value(res) != "3" {
		t.Fatalf("session unusable: %+v", res.Err)
	}
}

// TestRestoreBadVarType: a variable whose type does not compile is left
// out; the declarations and the other variables are restored.
func TestRestoreBadVarType(t *testing.T) {
	s := newTestSession(t)
	notes, err := s.Restore(context.Background(), State{
		Decls: []Decl{{Key: "f", Kind: "func", Names: []string{"f"}, Text: "func f() int { return 5 }"}},
		Vars:  []Var{{Name: "a", Type: "NoSuchType"}, {Name: "b", Type: "[]int"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if j := strings.Join(notes, "\n"); !strings.Contains(j, "values of b were lost") || !strings.Contains(j, "a could not be declared") {
		t.Fatalf("notes %q", notes)
	}
	if res, _ := execCell(t, s, "b = append(b, f())\nb"); value(res) != "[5]" {
		t.Fatalf("%+v %s", res.Err, value(res))
	}
}

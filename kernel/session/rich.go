package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"

	"github.com/trannsformer/gotrann/display"
)

// Values of types declared in cells reach compiled code (display.Render,
// the bound display.Show, Handle.Update) as an interface{} without their
// methods: the interpreter only builds a method-forwarding wrapper when such
// a value is passed as an argument of an interface type. So, when the store
// has types with display methods, the session declares a wrapper function
// _gotrann_richN in the interpreter, whose type assertions call
// display.RenderParts with the value as each of the interfaces its type
// implements (other values pass through unchanged), and rewrites the
// places where a cell hands a value to the display code — the cell's last
// value, display.Show(x), display.Render(x) and h.Update(x) for a
// *display.Handle h — into _gotrann_richN(x). A function declared in a
// cell calls the wrapper of its time: values of types declared after it
// show as %v through it until the next replay re-evaluates it.

// richMethods are the display methods, in the order of RenderParts'
// arguments after the value, with the result types they must have.
var richMethods = []struct {
	name    string
	results []string
}{
	{"String", []string{"string"}},
	{"HTML", []string{"string"}},
	{"Markdown", []string{"string"}},
	{"LaTeX", []string{"string"}},
	{"SVG", []string{"string"}},
	{"PNG", []string{"[]byte", "error"}},
	{"JPEG", []string{"[]byte", "error"}},
	{"MIMEBundle", []string{"map[string]any"}},
}

// richType is a type declared in a cell with display methods: value[i]
// (pointer[i]) tells whether T (*T) has richMethods[i].
type richType struct {
	name           string
	value, pointer [8]bool
}

// richTypes returns the non-generic named types of entries that have at
// least one display method with the expected signature, sorted by name.
func richTypes(entries map[string]*declEntry) []richType {
	byName := map[string]*richType{}
	for key, e := range entries {
		if e.kind != token.FUNC || len(e.names) != 0 {
			continue
		}
		fd, ok := e.node.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
			continue
		}
		tname, mname, _ := strings.Cut(key, ".")
		te := entries[tname]
		if te == nil || te.kind != token.TYPE {
			continue
		}
		if ts, ok := te.node.(*ast.TypeSpec); !ok || ts.TypeParams != nil || ts.Assign.IsValid() {
			continue
		}
		i := richMethodIndex(mname, fd.Type)
		if i < 0 {
			continue
		}
		rt := byName[tname]
		if rt == nil {
			rt = &richType{name: tname}
			byName[tname] = rt
		}
		_, ptr := fd.Recv.List[0].Type.(*ast.StarExpr)
		rt.pointer[i] = true
		if !ptr {
			rt.value[i] = true
		}
	}
	out := make([]richType, 0, len(byName))
	for _, rt := range byName {
		out = append(out, *rt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// richMethodIndex returns the index in richMethods of a method named name
// with signature ft, or -1.
func richMethodIndex(name string, ft *ast.FuncType) int {
	for i, m := range richMethods {
		if m.name != name {
			continue
		}
		if ft.TypeParams != nil || ft.Params != nil && len(ft.Params.List) > 0 {
			return -1
		}
		var res []string
		if ft.Results != nil {
			for _, f := range ft.Results.List {
				s := types.ExprString(f.Type)
				if s == "map[string]interface{}" {
					s = "map[string]any"
				}
				for range max(1, len(f.Names)) {
					res = append(res, s)
				}
			}
		}
		if strings.Join(res, ",") != strings.Join(m.results, ",") {
			return -1
		}
		return i
	}
	return -1
}

// richWrapSource returns the declaration of the wrapper function name for
// types, or "" when there are none. Measured on yaegi v0.16.1: a type
// switch that binds a variable (switch x := v.(type)) does not match an
// interpreted type; comma-ok assertions in a declared function do.
func richWrapSource(types []richType, name string) string {
	if len(types) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("func " + name + "(_gotrann_v any) any {\n")
	one := func(typ string, has [8]bool) {
		a := []string{"_gotrann_x"}
		for _, h := range has {
			if h {
				a = append(a, "_gotrann_x")
			} else {
				a = append(a, "nil")
			}
		}
		cond := "ok"
		if typ[0] == '*' {
			cond = "ok && _gotrann_x != nil"
		}
		b.WriteString("if _gotrann_x, ok := _gotrann_v.(" + typ + "); " + cond + " {\nreturn " +
			cellAlias + ".RenderParts(" + strings.Join(a, ", ") + ")\n}\n")
	}
	for _, t := range types {
		if t.value != [8]bool{} {
			one(t.name, t.value)
		}
		one("*"+t.name, t.pointer)
	}
	b.WriteString("return _gotrann_v\n}\n")
	return b.String()
}

// richState is the wrapper function declared in an interpreter.
type richState struct {
	in   *interp.Interpreter
	name string
	body string // its declaration with the name left out
	seq  int    // functions declared so far, for fresh names
}

// richFunc returns the name of the wrapper function for st's rich types
// ("" when there are none) and, when in does not have it yet, its
// declaration, which the caller evaluates in in and then records with
// richDeclared. (Calls name the function: measured on yaegi v0.16.1, an
// interpreted package variable holding the current wrapper had its frame
// slot taken by a cell's variable, and a compiled dispatcher loses the
// interpreted type of the value, so that a float64 would match a cell type
// Celsius float64.)
func (s *Session) richFunc(in *interp.Interpreter, st *store) (name, decl, body string) {
	body = richWrapSource(richTypes(st.byKey), "")
	if body == "" {
		return "", "", ""
	}
	if s.rich.in == in && s.rich.body == body {
		return s.rich.name, "", body
	}
	s.rich.seq++
	name = "_gotrann_rich" + strconv.Itoa(s.rich.seq)
	return name, strings.Replace(body, "func (", "func "+name+"(", 1), body
}

// richDeclared records that in has the wrapper function name.
func (s *Session) richDeclared(in *interp.Interpreter, name, body string) {
	s.rich.in, s.rich.name, s.rich.body = in, name, body
}

// withRich appends to f the declaration of the wrapper of st's rich types
// when in does not have it yet, and returns the wrapper's name (or "") and
// a function to call once f has run.
func (s *Session) withRich(in *interp.Interpreter, st *store, f *ast.File) (name string, declared func(), err error) {
	name, decl, body := s.richFunc(in, st)
	if decl == "" {
		return name, func() {}, nil
	}
	d, err := parser.ParseFile(in.FileSet(), "_.go", "package main\n"+decl, 0)
	if err != nil {
		return "", nil, err
	}
	f.Decls = append(f.Decls, d.Decls...)
	return name, func() { s.richDeclared(in, name, body) }, nil
}

// richWrapper rewrites the display calls of a cell's syntax.
type richWrapper struct {
	name string // the wrapper function
	// displayNames are the identifiers naming package display.
	displayNames map[string]bool
	// handles are variables known to hold a *display.Handle.
	handles map[string]bool
}

// newRichWrapper returns the rewriter calling the wrapper function name,
// or nil when name is "". globals are the interpreter's variables, to find
// those holding a *display.Handle (nil: none known).
func (s *Session) newRichWrapper(name string, globals map[string]reflect.Value) *richWrapper {
	if name == "" {
		return nil
	}
	w := &richWrapper{name: name, displayNames: map[string]bool{"display": true}, handles: map[string]bool{}}
	for sp := range s.imported {
		if sp.path == displayPath && sp.name != "" {
			w.displayNames[sp.name] = true
		}
	}
	handleType := reflect.TypeOf((*display.Handle)(nil))
	for n, v := range globals {
		if v.IsValid() && v.Type() == handleType {
			w.handles[n] = true
		}
	}
	return w
}

// wrap returns x passed through the wrapper function.
func (w *richWrapper) wrap(x ast.Expr) ast.Expr {
	return &ast.CallExpr{Fun: &ast.Ident{NamePos: x.Pos(), Name: w.name}, Lparen: x.Pos(), Args: []ast.Expr{x}, Rparen: x.End()}
}

// isShow reports whether x is display.Show(...).
func (w *richWrapper) isShow(x ast.Expr) bool { return w.isCall(x, "Show") }

// isCall reports whether x is display.<name>(...).
func (w *richWrapper) isCall(x ast.Expr, name string) bool {
	call, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && w.displayNames[id.Name]
}

// rewrite wraps the argument of display.Show(x), display.Render(x) and of
// h.Update(x), for h
// a known handle, a variable assigned display.Show(...) in n, or a
// display.Show(...) call itself.
func (w *richWrapper) rewrite(n ast.Node) {
	if w == nil {
		return
	}
	handles := map[string]bool{}
	for h := range w.handles {
		handles[h] = true
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && len(n.Rhs) == len(n.Lhs) && w.isShow(n.Rhs[i]) {
					handles[id.Name] = true
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) && len(n.Values) == len(n.Names) && w.isShow(n.Values[i]) {
					handles[id.Name] = true
				}
			}
		}
		return true
	})
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 || call.Ellipsis.IsValid() {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		switch {
		case w.isShow(call), w.isCall(call, "Render"):
		case sel.Sel.Name == "Update" && w.isShow(sel.X):
		case sel.Sel.Name == "Update":
			id, ok := sel.X.(*ast.Ident)
			if !ok || !handles[id.Name] {
				return true
			}
		default:
			return true
		}
		call.Args[0] = w.wrap(call.Args[0])
		return true
	})
}

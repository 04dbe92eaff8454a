package session

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"reflect"
	"strconv"
	"strings"
)

// Rewrites that make yaegi v0.16.1 run the Go of today (Go 1.22+), applied
// to a cell's syntax tree before the interpreter sees it:
//
//   - for i := range n (n of an integer type or an untyped constant)
//     becomes a counted loop whose body starts with i := counter;
//   - loop variables are per iteration: a for or range loop whose body
//     holds a func literal, go or defer statement gets a copy of its
//     variables at the top of the body (three-clause loops: the loop runs
//     on hidden variables, copied into the body's and back at the end of
//     each iteration and before each continue, so that a body that
//     changes the variable still steers the loop and the post statement
//     does not change what closures captured);
//   - for k, v := range f with f a Go 1.23 iterator (func(yield func(...)
//     bool)) becomes a call of f with a func literal: break returns false,
//     continue returns true, return sets hidden results that are returned
//     after the call; a body with a labelled branch to an outer statement,
//     a goto leaving it or a defer fails with an error showing the call to
//     write instead;
//   - the min, max and clear builtins become calls of the prelude's generic
//     helpers with explicit type arguments (a constant min or max becomes
//     its value);
//   - calls of generic functions declared in cells get their inferred type
//     arguments spelled out (yaegi infers them wrongly when a type
//     parameter only appears in a func parameter's result).
//
// The types come from go/types (gocheck.go); the loop variable rewrite is
// syntactic. Loops without closures are left as they are (for speed).

// modernize applies the rewrites to f. need lists imports that type
// arguments spelled out require.
func (s *Session) modernize(fset *token.FileSet, f *ast.File, withStore bool) (need []importSpec, err error) {
	defer func() {
		if r := recover(); r != nil {
			// a bug of the rewrites: the tree may be half rewritten
			need, err = nil, fmt.Errorf("the session failed to rewrite this code for the interpreter: %v", r)
		}
	}()
	if isPrelude(f) {
		return nil, nil
	}
	var c *checked
	if s.needsCheck(f) {
		c = s.typeCheck(fset, f, withStore)
		rewriteExprs(f, c)
	}
	w := &loops{c: c, fset: fset}
	w.rewrite(f)
	if c != nil {
		need = c.need
	}
	return need, w.err
}

// isPrelude reports whether f is the session's prelude.
func isPrelude(f *ast.File) bool {
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			if ts, ok := gd.Specs[0].(*ast.TypeSpec); ok && ts.Name.Name == "_gotrann_ordered" {
				return true
			}
		}
	}
	return false
}

// needsCheck reports whether f has something only types can decide: a
// range over a non-literal, a call of min, max or clear, or a call of a
// generic function declared in a cell.
func (s *Session) needsCheck(f *ast.File) bool {
	generic := map[string]bool{}
	for _, e := range s.store.byKey {
		if fd, ok := e.node.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Type.TypeParams != nil {
			generic[fd.Name.Name] = true
		}
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Type.TypeParams != nil {
			generic[fd.Name.Name] = true
		}
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.RangeStmt:
			switch n.X.(type) {
			case *ast.CompositeLit:
			default:
				found = true
			}
		case *ast.CallExpr:
			fun := n.Fun
			switch x := fun.(type) {
			case *ast.IndexExpr:
				fun = x.X
			case *ast.IndexListExpr:
				fun = x.X
			}
			if id, ok := fun.(*ast.Ident); ok && (id.Name == "min" || id.Name == "max" || id.Name == "clear" || generic[id.Name]) {
				found = true
			}
		}
		return !found
	})
	return found
}

// typeExpr writes t as a type expression.
func typeExpr(c *checked, t types.Type) ast.Expr {
	if t == nil {
		return nil
	}
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		t = types.Default(t)
		if b, ok := t.(*types.Basic); ok && b.Kind() == types.UntypedNil {
			return nil
		}
	}
	if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Invalid {
		return nil
	}
	e, err := parser.ParseExpr(types.TypeString(t, c.qualify))
	if err != nil {
		return nil
	}
	return e
}

// rewriteExprs rewrites the calls of min, max, clear and of generic
// functions declared in cells.
func rewriteExprs(f *ast.File, c *checked) {
	info := c.info
	replaceExprs(f, func(e ast.Expr) ast.Expr {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return nil
		}
		fun := call.Fun
		var have []ast.Expr
		switch x := fun.(type) {
		case *ast.IndexExpr:
			fun, have = x.X, []ast.Expr{x.Index}
		case *ast.IndexListExpr:
			fun, have = x.X, x.Indices
		}
		id, ok := fun.(*ast.Ident)
		if !ok {
			return nil
		}
		switch obj := info.Uses[id].(type) {
		case *types.Builtin:
			return builtinCall(c, call, id, obj.Name())
		case *types.Func:
			inst, ok := info.Instances[id]
			if !ok || obj.Pkg() == nil || obj.Pkg().Path() != "main" || inst.TypeArgs.Len() <= len(have) {
				return nil
			}
			var args []ast.Expr
			for i := 0; i < inst.TypeArgs.Len(); i++ {
				a := typeExpr(c, inst.TypeArgs.At(i))
				if a == nil {
					return nil
				}
				args = append(args, a)
			}
			call.Fun = &ast.IndexListExpr{X: id, Lbrack: id.End(), Indices: args, Rbrack: id.End()}
		}
		return nil
	})
}

// builtinCall rewrites a call of min, max or clear.
func builtinCall(c *checked, call *ast.CallExpr, id *ast.Ident, name string) ast.Expr {
	tv, ok := c.info.Types[call]
	switch name {
	case "min", "max":
		if !ok {
			return nil
		}
		if tv.Value != nil {
			return constExpr(c, tv.Value, tv.Type, call.Pos(), call.End())
		}
		t := typeExpr(c, tv.Type)
		if t == nil {
			return nil
		}
		call.Fun = &ast.IndexExpr{X: &ast.Ident{NamePos: id.Pos(), Name: "_gotrann_" + name}, Index: t}
	case "clear":
		if len(call.Args) != 1 {
			return nil
		}
		at, ok := c.info.Types[call.Args[0]]
		if !ok || at.Type == nil {
			return nil
		}
		switch u := at.Type.Underlying().(type) {
		case *types.Map:
			k, v := typeExpr(c, u.Key()), typeExpr(c, u.Elem())
			if k == nil || v == nil {
				return nil
			}
			call.Fun = &ast.IndexListExpr{X: &ast.Ident{NamePos: id.Pos(), Name: "_gotrann_clearMap"}, Indices: []ast.Expr{k, v}}
		case *types.Slice:
			e := typeExpr(c, u.Elem())
			if e == nil {
				return nil
			}
			call.Fun = &ast.IndexExpr{X: &ast.Ident{NamePos: id.Pos(), Name: "_gotrann_clearSlice"}, Index: e}
		}
	}
	return nil
}

// constExpr writes a constant: an untyped one as a literal of its kind, a
// typed one converted to its type.
func constExpr(c *checked, v constant.Value, t types.Type, pos, end token.Pos) ast.Expr {
	var lit ast.Expr
	switch v.Kind() {
	case constant.Bool:
		lit = &ast.Ident{NamePos: pos, Name: strconv.FormatBool(constant.BoolVal(v))}
	case constant.String:
		lit = &ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: strconv.Quote(constant.StringVal(v))}
	case constant.Int:
		lit = &ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: v.ExactString()}
	case constant.Float:
		f, _ := constant.Float64Val(v)
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		lit = &ast.BasicLit{ValuePos: pos, Kind: token.FLOAT, Value: s}
	default:
		return nil
	}
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		return &ast.ParenExpr{Lparen: pos, X: lit, Rparen: end - 1}
	}
	te := typeExpr(c, t)
	if te == nil {
		return nil
	}
	return &ast.CallExpr{Fun: &ast.ParenExpr{Lparen: pos, X: te, Rparen: pos}, Lparen: pos, Args: []ast.Expr{lit}, Rparen: end - 1}
}

var (
	exprType  = reflect.TypeOf((*ast.Expr)(nil)).Elem()
	nodeType  = reflect.TypeOf((*ast.Node)(nil)).Elem()
	skipField = map[string]bool{"Obj": true, "Scope": true, "Imports": true, "Unresolved": true, "Comments": true, "Doc": true, "Comment": true}
)

// replaceExprs calls f on every expression under n, children first, and
// puts what f returns (when not nil) in its place.
func replaceExprs(n ast.Node, f func(ast.Expr) ast.Expr) {
	var walk func(v reflect.Value)
	visit := func(fv reflect.Value) {
		if fv.IsNil() {
			return
		}
		elem := fv.Elem()
		if elem.Kind() == reflect.Pointer && !elem.IsNil() {
			walk(elem)
		}
		if fv.Type() == exprType {
			if r := f(fv.Interface().(ast.Expr)); r != nil {
				fv.Set(reflect.ValueOf(r))
			}
		}
	}
	walk = func(v reflect.Value) {
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return
		}
		sv := v.Elem()
		st := sv.Type()
		for i := 0; i < sv.NumField(); i++ {
			if skipField[st.Field(i).Name] {
				continue
			}
			fv := sv.Field(i)
			switch fv.Kind() {
			case reflect.Interface:
				if fv.Type().Implements(nodeType) || fv.Type() == nodeType {
					visit(fv)
				}
			case reflect.Pointer:
				if fv.Type().Implements(nodeType) {
					walk(fv)
				}
			case reflect.Slice:
				et := fv.Type().Elem()
				for j := 0; j < fv.Len(); j++ {
					switch {
					case et.Kind() == reflect.Interface && et.Implements(nodeType):
						visit(fv.Index(j))
					case et.Kind() == reflect.Pointer && et.Implements(nodeType):
						walk(fv.Index(j))
					}
				}
			}
		}
	}
	walk(reflect.ValueOf(n))
}

// loops rewrites range and for statements.
type loops struct {
	c    *checked
	fset *token.FileSet
	k    int
	err  error
}

// holder is a statement list with the function it belongs to.
type holder struct {
	list *[]ast.Stmt
	fn   *ast.FuncType
}

func (w *loops) rewrite(f *ast.File) {
	var holders []holder
	var stack []ast.Node
	var fns []*ast.FuncType
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				fns = fns[:len(fns)-1]
			}
			return true
		}
		stack = append(stack, n)
		var fn *ast.FuncType
		if len(fns) > 0 {
			fn = fns[len(fns)-1]
		}
		switch n := n.(type) {
		case *ast.FuncDecl:
			fns = append(fns, n.Type)
		case *ast.FuncLit:
			fns = append(fns, n.Type)
		case *ast.BlockStmt:
			holders = append(holders, holder{&n.List, fn})
		case *ast.CaseClause:
			holders = append(holders, holder{&n.Body, fn})
		case *ast.CommClause:
			holders = append(holders, holder{&n.Body, fn})
		}
		return true
	})
	for i := len(holders) - 1; i >= 0 && w.err == nil; i-- {
		h := holders[i]
		for j, st := range *h.list {
			label := ""
			inner := st
			if l, ok := st.(*ast.LabeledStmt); ok {
				label, inner = l.Label.Name, l.Stmt
			}
			r, dropLabel := w.stmt(inner, label, h.fn)
			if r == nil {
				continue
			}
			if label != "" && !dropLabel {
				st.(*ast.LabeledStmt).Stmt = r
			} else {
				(*h.list)[j] = r
			}
		}
	}
}

// stmt returns the replacement of a loop (nil: unchanged); dropLabel says
// the loop's label is no longer needed.
func (w *loops) stmt(st ast.Stmt, label string, fn *ast.FuncType) (r ast.Stmt, dropLabel bool) {
	switch s := st.(type) {
	case *ast.RangeStmt:
		if w.c != nil {
			if tv, ok := w.c.info.Types[s.X]; ok && tv.Type != nil {
				switch u := tv.Type.Underlying().(type) {
				case *types.Basic:
					if u.Info()&types.IsInteger != 0 {
						return w.rangeInt(s, tv), false
					}
				case *types.Signature:
					return w.rangeFunc(s, u, label, fn), true
				}
			}
		}
		if s.Tok == token.DEFINE && (captures(s.Body) || selfCopies(s.Body, s.Key, s.Value)) {
			// the loop runs on hidden variables: `k := k` at the top
			// level of a cell confuses yaegi v0.16.1 (the copy aliases
			// the loop's variable)
			w.k++
			var names, hidden []ast.Expr
			for j, e := range []*ast.Expr{&s.Key, &s.Value} {
				if id, ok := (*e).(*ast.Ident); ok && id.Name != "_" {
					h := &ast.Ident{NamePos: id.NamePos, Name: fmt.Sprintf("_gotrann_rv%d_%d", w.k, j)}
					names = append(names, id)
					hidden = append(hidden, h)
					*e = h
				}
			}
			if len(names) > 0 {
				if id, ok := s.Key.(*ast.Ident); ok && id.Name == "_" && s.Value != nil {
					// `for _, h := range` with h copied in the body
					// panics in yaegi v0.16.1 at the top level of a cell
					s.Key = &ast.Ident{NamePos: id.NamePos, Name: fmt.Sprintf("_gotrann_rv%d_k", w.k)}
				}
				s.Body = copyInto(s.Body, names, hidden)
			}
		}
	case *ast.ForStmt:
		var vars []ast.Expr
		if init, ok := s.Init.(*ast.AssignStmt); ok && init.Tok == token.DEFINE {
			vars = init.Lhs
		}
		if captures(s.Body) || selfCopies(s.Body, vars...) {
			w.perIteration(s, label)
		}
	}
	return nil, false
}

// selfCopies reports whether body starts with the pre-Go 1.22 idiom
// `v := v` for one of the loop variables vars (which the rewrite makes
// redundant; at the top level of a cell yaegi v0.16.1 runs it wrongly).
func selfCopies(body *ast.BlockStmt, vars ...ast.Expr) bool {
	for _, st := range body.List {
		if isSelfCopy(st, vars) {
			return true
		}
	}
	return false
}

func isSelfCopy(st ast.Stmt, vars []ast.Expr) bool {
	as, ok := st.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
		return false
	}
	for i, l := range as.Lhs {
		lid, ok1 := l.(*ast.Ident)
		rid, ok2 := as.Rhs[i].(*ast.Ident)
		if !ok1 || !ok2 || lid.Name != rid.Name {
			return false
		}
		found := false
		for _, v := range vars {
			if id, ok := v.(*ast.Ident); ok && id.Name == lid.Name {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// dropSelfCopies removes the top-level `v := v` statements of body for the
// loop variables names: the rewritten loop gives each iteration its own
// variables already.
func dropSelfCopies(body *ast.BlockStmt, names []ast.Expr) {
	out := body.List[:0]
	for _, st := range body.List {
		if !isSelfCopy(st, names) {
			out = append(out, st)
		}
	}
	body.List = out
}

// captures reports whether a loop body holds a func literal or a go or
// defer statement, which could keep a loop variable beyond its iteration.
func captures(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			found = true
		}
		return !found
	})
	return found
}

func ident(name string) *ast.Ident { return ast.NewIdent(name) }

// posIdent returns a new identifier with the name of the identifier e,
// at p: yaegi v0.16.1 mis-scopes `k := k` in a loop body when the new
// identifiers have no position.
func posIdent(e ast.Expr, p token.Pos) *ast.Ident {
	return &ast.Ident{NamePos: p, Name: e.(*ast.Ident).Name}
}

// copyInto returns body preceded by `dst := src` (and `_ = dst...`); the
// body is nested in a block of its own when it declares one of the names
// at its top level.
func copyInto(body *ast.BlockStmt, dst, src []ast.Expr) *ast.BlockStmt {
	dropSelfCopies(body, dst)
	// one name per statement: yaegi v0.16.1 hangs compiling k, v := k, v
	var list []ast.Stmt
	p := body.Lbrace
	for i := range dst {
		list = append(list, &ast.AssignStmt{Lhs: []ast.Expr{posIdent(dst[i], p)}, Tok: token.DEFINE, TokPos: p, Rhs: []ast.Expr{posIdent(src[i], p)}},
			&ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: p, Name: "_"}}, Tok: token.ASSIGN, TokPos: p, Rhs: []ast.Expr{posIdent(dst[i], p)}})
	}
	if redeclares(body, dst) {
		list = append(list, body)
	} else {
		list = append(list, body.List...)
	}
	return &ast.BlockStmt{Lbrace: body.Lbrace, List: list, Rbrace: body.Rbrace}
}

// redeclares reports whether a top-level statement of body declares one
// of names.
func redeclares(body *ast.BlockStmt, names []ast.Expr) bool {
	want := map[string]bool{}
	for _, n := range names {
		if id, ok := n.(*ast.Ident); ok {
			want[id.Name] = true
		}
	}
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok && want[id.Name] {
						return true
					}
				}
			}
		case *ast.DeclStmt:
			for _, sp := range st.Decl.(*ast.GenDecl).Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if want[n.Name] {
							return true
						}
					}
				case *ast.TypeSpec:
					if want[sp.Name.Name] {
						return true
					}
				}
			}
		}
	}
	return false
}

// rangeInt rewrites for k := range n into
//
//	for i, n := T(0), T(n); i < n; i++ { k := i; body }
func (w *loops) rangeInt(s *ast.RangeStmt, tv types.TypeAndValue) ast.Stmt {
	w.k++
	i, n := fmt.Sprintf("_gotrann_ri%d", w.k), fmt.Sprintf("_gotrann_rn%d", w.k)
	t := tv.Type
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		t = types.Typ[types.Int]
		if s.Tok == token.ASSIGN && s.Key != nil {
			if kt, ok := w.c.info.Types[s.Key]; ok && kt.Type != nil {
				t = kt.Type
			}
		}
	}
	te := typeExpr(w.c, t)
	if te == nil {
		return nil
	}
	te2 := typeExpr(w.c, t)
	body := s.Body
	if _, ok := s.Key.(*ast.Ident); s.Tok == token.DEFINE && s.Key != nil && !ok {
		return nil // not Go: the interpreter reports it
	}
	if key, ok := s.Key.(*ast.Ident); s.Key != nil && !(ok && key.Name == "_") {
		if s.Tok == token.DEFINE {
			body = copyInto(body, []ast.Expr{s.Key}, []ast.Expr{ident(i)})
		} else {
			body = &ast.BlockStmt{Lbrace: body.Lbrace, Rbrace: body.Rbrace, List: append([]ast.Stmt{
				&ast.AssignStmt{Lhs: []ast.Expr{s.Key}, Tok: token.ASSIGN, Rhs: []ast.Expr{ident(i)}}}, body.List...)}
		}
	}
	return &ast.ForStmt{
		For: s.For,
		Init: &ast.AssignStmt{Lhs: []ast.Expr{ident(i), ident(n)}, Tok: token.DEFINE, TokPos: s.For,
			Rhs: []ast.Expr{&ast.CallExpr{Fun: &ast.ParenExpr{X: te}, Args: []ast.Expr{&ast.BasicLit{Kind: token.INT, Value: "0"}}},
				&ast.CallExpr{Fun: &ast.ParenExpr{X: te2}, Args: []ast.Expr{s.X}}}},
		Cond: &ast.BinaryExpr{X: ident(i), Op: token.LSS, Y: ident(n)},
		Post: &ast.IncDecStmt{X: ident(i), Tok: token.INC},
		Body: body,
	}
}

// perIteration gives a three-clause loop whose init defines variables a
// variable per iteration: the loop runs on hidden variables o; the body
// starts with v := o, and o = v is assigned at its end and before every
// continue of the loop.
func (w *loops) perIteration(s *ast.ForStmt, label string) {
	init, ok := s.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE {
		return
	}
	w.k++
	rename := map[string]string{}
	var inner, outer []ast.Expr
	var newLhs []ast.Expr
	for _, l := range init.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			return
		}
		if id.Name == "_" {
			newLhs = append(newLhs, id)
			continue
		}
		o := fmt.Sprintf("_gotrann_lv%d_%s", w.k, id.Name)
		rename[id.Name] = o
		newLhs = append(newLhs, &ast.Ident{NamePos: id.NamePos, Name: o})
		inner = append(inner, ident(id.Name))
		outer = append(outer, ident(o))
	}
	if len(inner) == 0 {
		return
	}
	init.Lhs = newLhs
	dropSelfCopies(s.Body, inner)
	renameIdents(s.Cond, rename)
	if s.Post != nil {
		renameIdents(s.Post, rename)
	}
	back := func() ast.Stmt {
		var l, r []ast.Expr
		for i := range inner {
			l = append(l, ident(outer[i].(*ast.Ident).Name))
			r = append(r, ident(inner[i].(*ast.Ident).Name))
		}
		return &ast.AssignStmt{Lhs: l, Tok: token.ASSIGN, Rhs: r}
	}
	walkBranches(s.Body.List, 0, 0, func(st ast.Stmt, loops, breaks int) ast.Stmt {
		b, ok := st.(*ast.BranchStmt)
		if !ok || b.Tok != token.CONTINUE {
			return nil
		}
		if b.Label == nil && loops == 0 || b.Label != nil && b.Label.Name == label {
			return &ast.BlockStmt{List: []ast.Stmt{back(), b}}
		}
		return nil
	})
	var src []ast.Expr
	for _, o := range outer {
		src = append(src, ident(o.(*ast.Ident).Name))
	}
	body := copyInto(&ast.BlockStmt{Lbrace: s.Body.Lbrace, Rbrace: s.Body.Rbrace, List: []ast.Stmt{s.Body}}, inner, src)
	body.List = append(body.List, back())
	s.Body = body
}

// renameIdents renames identifiers (not selectors' names or keys of
// composite literals) under n.
func renameIdents(n ast.Node, rename map[string]string) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	skip := map[*ast.Ident]bool{}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Ident:
			if r, ok := rename[x.Name]; ok && !skip[x] {
				x.Name = r
			}
		}
		return true
	})
}

// walkBranches calls f on every statement under list that belongs to the
// same function, with the number of loops and of breakable statements
// (loops, switch, select) around it inside list; what f returns replaces
// the statement.
func walkBranches(list []ast.Stmt, loops, breaks int, f func(st ast.Stmt, loops, breaks int) ast.Stmt) {
	for i, st := range list {
		list[i] = walkBranch(st, loops, breaks, f)
	}
}

func walkBranch(st ast.Stmt, loops, breaks int, f func(st ast.Stmt, loops, breaks int) ast.Stmt) ast.Stmt {
	if r := f(st, loops, breaks); r != nil {
		return r
	}
	switch s := st.(type) {
	case *ast.BlockStmt:
		walkBranches(s.List, loops, breaks, f)
	case *ast.IfStmt:
		walkBranches(s.Body.List, loops, breaks, f)
		if s.Else != nil {
			s.Else = walkBranch(s.Else, loops, breaks, f)
		}
	case *ast.ForStmt:
		walkBranches(s.Body.List, loops+1, breaks+1, f)
	case *ast.RangeStmt:
		walkBranches(s.Body.List, loops+1, breaks+1, f)
	case *ast.SwitchStmt:
		for _, cc := range s.Body.List {
			walkBranches(cc.(*ast.CaseClause).Body, loops, breaks+1, f)
		}
	case *ast.TypeSwitchStmt:
		for _, cc := range s.Body.List {
			walkBranches(cc.(*ast.CaseClause).Body, loops, breaks+1, f)
		}
	case *ast.SelectStmt:
		for _, cc := range s.Body.List {
			walkBranches(cc.(*ast.CommClause).Body, loops, breaks+1, f)
		}
	case *ast.LabeledStmt:
		s.Stmt = walkBranch(s.Stmt, loops, breaks, f)
	}
	return st
}

// rangeFunc rewrites a range over an iterator function into a call of it
// with a yield func literal.
func (w *loops) rangeFunc(s *ast.RangeStmt, sig *types.Signature, label string, fn *ast.FuncType) ast.Stmt {
	c := w.c
	var yield *types.Signature
	if sig.Params().Len() == 1 && sig.Results().Len() == 0 {
		yield, _ = sig.Params().At(0).Type().Underlying().(*types.Signature)
	}
	if yield == nil || yield.Results().Len() != 1 || yield.Params().Len() > 2 {
		return nil
	}
	if b, ok := yield.Results().At(0).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil
	}
	w.k++
	k := w.k
	// the yield function's parameters
	vars := []ast.Expr{s.Key, s.Value}
	var params []*ast.Field
	var pre []ast.Stmt
	var shown []string
	for j := 0; j < yield.Params().Len(); j++ {
		te := typeExpr(c, yield.Params().At(j).Type())
		if te == nil {
			return nil
		}
		name := "_"
		if v := vars[j]; v != nil {
			if id, ok := v.(*ast.Ident); ok && s.Tok == token.DEFINE {
				name = id.Name
			} else if !(ok && id.Name == "_") {
				name = fmt.Sprintf("_gotrann_rf%d_%d", k, j)
				pre = append(pre, &ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.ASSIGN, Rhs: []ast.Expr{ident(name)}})
			}
		}
		params = append(params, &ast.Field{Names: []*ast.Ident{ident(name)}, Type: te})
		shown = append(shown, name+" "+types.TypeString(yield.Params().At(j).Type(), c.qualify))
	}
	help := func(why string) {
		if w.err == nil {
			w.err = fmt.Errorf("%s: range over a function: %s, which the interpreter cannot run in a loop over an iterator; call the iterator with a yield function instead:\n\t%s(func(%s) bool {\n\t\t// the loop's body; return false to stop (break), true to go on (continue)\n\t\treturn true\n\t})",
				stripBase(w.fset.Position(s.For).String()), why, exprString(s.X), strings.Join(shown, ", "))
		}
	}
	inside := map[string]bool{}
	ast.Inspect(s.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.LabeledStmt:
			inside[n.Label.Name] = true
		}
		return true
	})
	ret := fmt.Sprintf("_gotrann_rf%d_ret", k)
	var results []ast.Expr // hidden result variables
	var resultDecl []ast.Stmt
	usesRet := false
	if fn != nil && fn.Results != nil {
		i := 0
		for _, fl := range fn.Results.List {
			n := max(1, len(fl.Names))
			for range n {
				tv, ok := c.info.Types[fl.Type]
				te := typeExpr(c, tv.Type)
				if !ok || te == nil {
					te = nil
				}
				name := fmt.Sprintf("_gotrann_rf%d_r%d", k, i)
				results = append(results, ident(name))
				if te != nil {
					resultDecl = append(resultDecl, &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
						&ast.ValueSpec{Names: []*ast.Ident{ident(name)}, Type: te}}}})
				} else {
					resultDecl = nil
					results = nil
					fn = nil
					break
				}
				i++
			}
			if fn == nil {
				break
			}
		}
	}
	retFalse := func() ast.Stmt { return &ast.ReturnStmt{Results: []ast.Expr{ident("false")}} }
	retTrue := func() ast.Stmt { return &ast.ReturnStmt{Results: []ast.Expr{ident("true")}} }
	walkBranches(s.Body.List, 0, 0, func(st ast.Stmt, loops, breaks int) ast.Stmt {
		switch b := st.(type) {
		case *ast.BranchStmt:
			switch b.Tok {
			case token.BREAK:
				if b.Label == nil && breaks == 0 || b.Label != nil && b.Label.Name == label {
					return retFalse()
				}
				if b.Label != nil && !inside[b.Label.Name] {
					help("its body breaks out of an outer statement (break " + b.Label.Name + ")")
				}
			case token.CONTINUE:
				if b.Label == nil && loops == 0 || b.Label != nil && b.Label.Name == label {
					return retTrue()
				}
				if b.Label != nil && !inside[b.Label.Name] {
					help("its body continues an outer loop (continue " + b.Label.Name + ")")
				}
			case token.GOTO:
				if !inside[b.Label.Name] {
					help("its body has a goto out of the loop")
				}
			}
		case *ast.DeferStmt:
			help("its body has a defer statement")
		case *ast.ReturnStmt:
			usesRet = true
			var list []ast.Stmt
			if len(b.Results) > 0 {
				if fn == nil || len(results) == 0 {
					help("its body returns values whose types are unknown")
					return nil
				}
				list = append(list, &ast.AssignStmt{Lhs: cloneIdents(results), Tok: token.ASSIGN, Rhs: b.Results})
			}
			list = append(list, &ast.AssignStmt{Lhs: []ast.Expr{ident(ret)}, Tok: token.ASSIGN, Rhs: []ast.Expr{ident("true")}}, retFalse())
			return &ast.BlockStmt{List: list}
		}
		return nil
	})
	if w.err != nil {
		return nil
	}
	body := append(pre, s.Body.List...)
	body = append(body, retTrue())
	lit := &ast.FuncLit{Type: &ast.FuncType{Func: s.For, Params: &ast.FieldList{List: params},
		Results: &ast.FieldList{List: []*ast.Field{{Type: ident("bool")}}}},
		Body: &ast.BlockStmt{Lbrace: s.Body.Lbrace, List: body, Rbrace: s.Body.Rbrace}}
	call := &ast.ExprStmt{X: &ast.CallExpr{Fun: s.X, Lparen: s.X.End(), Args: []ast.Expr{lit}, Rparen: s.Body.Rbrace}}
	var out []ast.Stmt
	if usesRet {
		out = append(out, &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
			&ast.ValueSpec{Names: []*ast.Ident{ident(ret)}, Type: ident("bool")}}}})
		out = append(out, resultDecl...)
	}
	out = append(out, call)
	if usesRet {
		var rs []ast.Expr
		if len(results) > 0 {
			rs = cloneIdents(results)
		}
		out = append(out, &ast.IfStmt{If: s.Body.Rbrace, Cond: ident(ret), Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: rs}}}})
	}
	return &ast.BlockStmt{Lbrace: s.For, List: out, Rbrace: s.Body.Rbrace}
}

func cloneIdents(ids []ast.Expr) []ast.Expr {
	out := make([]ast.Expr, len(ids))
	for i, id := range ids {
		out[i] = ident(id.(*ast.Ident).Name)
	}
	return out
}

// exprString prints a short expression.
func exprString(e ast.Expr) string {
	var b strings.Builder
	_ = printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

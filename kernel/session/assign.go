package session

import (
	"fmt"
	"go/ast"
	"go/token"
)

// Work-arounds for two yaegi v0.16.1 bugs with assignments, applied to the
// syntax tree before evaluation (measured shapes in assign_test.go).
//
// Parallel assignment: `a, b = f(), 7` (tok =, as many right-hand sides
// as left-hand sides) whose right-hand sides mix calls or receives with
// other expressions silently drops the assignments of the other
// expressions, at any depth (cells, functions, methods, func literals).
// rewriteParallel evaluates the call-like right-hand sides into
// temporaries first:
//
//	{ _gotrann_pa1_0 := f(); a, b = _gotrann_pa1_0, 7 }
//
// which yaegi runs correctly; the other right-hand sides stay in place, so
// untyped constants still take the types of their targets. Operands of
// index expressions and pointer indirections on the left that contain
// calls are evaluated into temporaries before them, keeping Go's
// left-to-right order of calls.
//
// Nested multi-value definitions: `x, err := f()` (or `var x, err = f()`,
// `v, ok := m[k]`, `v, ok := x.(T)`, `v, ok := <-c`) inside a block of a
// statement at the top level of a cell leaves its names undefined. The
// top-level statement is run as `func() { stmt }()` instead, when that
// does not change its meaning (see wrapTopLevel).

// rewriteParallel rewrites every broken parallel assignment under n.
func rewriteParallel(n ast.Node) {
	r := &parallel{}
	fix := func(list []ast.Stmt) {
		for i, st := range list {
			if b := r.stmt(st); b != nil {
				list[i] = b
			}
		}
	}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.BlockStmt:
			fix(x.List)
		case *ast.CaseClause:
			fix(x.Body)
		case *ast.CommClause:
			fix(x.Body)
		}
		return true
	})
}

// parallel numbers the temporaries of rewriteParallel.
type parallel struct {
	k int
}

// stmt returns the replacement of a statement of a list, or nil when st
// is left as it is (or was changed in place).
func (r *parallel) stmt(st ast.Stmt) ast.Stmt {
	switch s := st.(type) {
	case *ast.AssignStmt:
		pre := r.split(s)
		if pre == nil {
			return nil
		}
		return block(s, append(pre, s))
	case *ast.LabeledStmt:
		if a, ok := s.Stmt.(*ast.AssignStmt); ok {
			if pre := r.split(a); pre != nil {
				s.Stmt = block(a, append(pre, a))
			}
			return nil
		}
		if pre := r.header(s.Stmt); pre != nil {
			// the label stays on the statement (break L, continue L)
			return block(s, append(pre, s))
		}
	case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.ForStmt:
		if pre := r.header(s); pre != nil {
			return block(s, append(pre, s))
		}
	}
	return nil
}

// header rewrites a broken assignment in the init or post statement of
// st in place and returns the statements to run before st for its init.
func (r *parallel) header(st ast.Stmt) []ast.Stmt {
	var init *ast.Stmt
	switch s := st.(type) {
	case *ast.IfStmt:
		init = &s.Init
	case *ast.SwitchStmt:
		init = &s.Init
	case *ast.TypeSwitchStmt:
		init = &s.Init
	case *ast.ForStmt:
		init = &s.Init
		if a, ok := s.Post.(*ast.AssignStmt); ok {
			if pre := r.split(a); pre != nil {
				// the post statement runs at every iteration: a closure
				// called in place keeps it a simple statement
				lit := &ast.FuncLit{
					Type: &ast.FuncType{Func: a.Pos(), Params: &ast.FieldList{}},
					Body: block(a, append(pre, a)),
				}
				s.Post = &ast.ExprStmt{X: &ast.CallExpr{Fun: lit, Lparen: a.End(), Rparen: a.End()}}
			}
		}
	default:
		return nil
	}
	if a, ok := (*init).(*ast.AssignStmt); ok {
		return r.split(a)
	}
	return nil
}

// split returns the temporaries to evaluate before a broken parallel
// assignment a, whose operands it replaces by them; nil when a is not
// broken.
func (r *parallel) split(a *ast.AssignStmt) []ast.Stmt {
	if a.Tok != token.ASSIGN || len(a.Lhs) < 2 || len(a.Lhs) != len(a.Rhs) {
		return nil
	}
	calls := 0
	for _, e := range a.Rhs {
		if callLike(e) {
			calls++
		}
	}
	if calls == 0 || calls == len(a.Rhs) {
		return nil // measured: only mixes lose assignments
	}
	r.k++
	var pre []ast.Stmt
	j := 0
	temp := func(e ast.Expr) ast.Expr {
		name := fmt.Sprintf("_gotrann_pa%d_%d", r.k, j)
		j++
		pre = append(pre, &ast.AssignStmt{
			Lhs: []ast.Expr{&ast.Ident{NamePos: e.Pos(), Name: name}},
			Tok: token.DEFINE, TokPos: e.Pos(), Rhs: []ast.Expr{e},
		})
		return &ast.Ident{NamePos: e.Pos(), Name: name}
	}
	for i, l := range a.Lhs {
		a.Lhs[i] = lhsOperands(l, temp)
	}
	for i, e := range a.Rhs {
		if callLike(e) {
			a.Rhs[i] = temp(e)
		}
	}
	return pre
}

// lhsOperands evaluates into temporaries the operands of the index
// expressions and pointer indirections of an assignment target that
// contain calls, and returns the target using them. The addressable base
// (a variable, an array) stays in place.
func lhsOperands(e ast.Expr, temp func(ast.Expr) ast.Expr) ast.Expr {
	if !hasCall(e) {
		return e
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		x.X = lhsOperands(x.X, temp)
	case *ast.IndexExpr:
		x.X = lhsOperands(x.X, temp)
		if hasCall(x.Index) {
			x.Index = temp(x.Index)
		}
	case *ast.SelectorExpr:
		x.X = lhsOperands(x.X, temp)
	case *ast.StarExpr:
		x.X = temp(x.X) // a pointer
	default:
		// a call yielding a pointer, map or slice (f()[i], f().x)
		return temp(e)
	}
	return e
}

// callLike reports whether e is a call or a receive, except built-in
// calls on constants that may be untyped constants themselves.
func callLike(e ast.Expr) bool {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.UnaryExpr:
		return x.Op == token.ARROW
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && untypedBuiltins[id.Name] {
			for _, arg := range x.Args {
				if !constLike(arg) {
					return true
				}
			}
			return false
		}
		return true
	}
	return false
}

// untypedBuiltins may give untyped constants on constant arguments (min
// and max are interpreted functions of the prelude here, hence calls).
var untypedBuiltins = map[string]bool{"complex": true, "real": true, "imag": true}

// constLike reports whether e is built of literals only: then it is
// surely a constant. Names may be variables (complex(x, y) is then a typed
// call that yaegi mishandles), so complex(c1, c2) of named untyped
// constants is hoisted too; its temporary is complex128, which a
// complex64 target refuses with a compile error (not a wrong value).
func constLike(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.BasicLit, *ast.BinaryExpr, *ast.UnaryExpr, *ast.ParenExpr:
			return true
		}
		ok = false
		return false
	})
	return ok
}

// hasCall reports whether e contains a call or a receive outside func
// literals.
func hasCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			found = true
		case *ast.UnaryExpr:
			if x.Op == token.ARROW {
				found = true
			}
		}
		return !found
	})
	return found
}

// block makes a block of list spanning the positions of n.
func block(n ast.Node, list []ast.Stmt) *ast.BlockStmt {
	return &ast.BlockStmt{Lbrace: n.Pos(), List: list, Rbrace: n.End()}
}

// wrapTopLevel replaces each statement of a cell's top level that holds a
// nested multi-value definition by `func() { stmt }()`, unless it holds
// a return, goto or defer outside func literals or is the target of a
// goto (those would change meaning inside a closure): then it returns an
// explanation for the "undefined" error that follows.
func wrapTopLevel(body *ast.BlockStmt) (help string) {
	for i, st := range body.List {
		if !nestedTupleDefine(st) {
			continue
		}
		if !wrappable(st) || gotoTarget(body, st) {
			help = nestedDefineHelp
			continue
		}
		lit := &ast.FuncLit{
			Type: &ast.FuncType{Func: st.Pos(), Params: &ast.FieldList{}},
			Body: block(st, []ast.Stmt{st}),
		}
		body.List[i] = &ast.ExprStmt{X: &ast.CallExpr{Fun: lit, Lparen: st.End(), Rparen: st.End()}}
	}
	return help
}

const nestedDefineHelp = "The interpreter (yaegi v0.16.1) loses names defined together from one value " +
	"(x, err := f(), v, ok := m[k]) inside a block at the top level of a cell. The session runs such a " +
	"statement inside a function, but not this one, because it holds a return, goto or defer or is the target of a goto. " +
	"Declare the names before the block (var x T; var err error; then x, err = f()) or move the code into a func."

// nestedTupleDefine reports whether st holds, in a block outside func
// literals, a definition of several names from one tuple expression.
func nestedTupleDefine(st ast.Stmt) bool {
	found := false
	var walk func(n ast.Node, nested bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found {
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				for _, s := range x.List {
					walk(s, true)
				}
				return false
			case *ast.CaseClause:
				for _, e := range x.List {
					walk(e, nested)
				}
				for _, s := range x.Body {
					walk(s, true)
				}
				return false
			case *ast.CommClause:
				if x.Comm != nil {
					walk(x.Comm, nested)
				}
				for _, s := range x.Body {
					walk(s, true)
				}
				return false
			case *ast.AssignStmt:
				if nested && x.Tok == token.DEFINE && len(x.Lhs) > 1 && len(x.Rhs) == 1 {
					found = true
				}
			case *ast.ValueSpec:
				if nested && len(x.Names) > 1 && len(x.Values) == 1 {
					found = true
				}
			}
			return true
		})
	}
	walk(st, false)
	return found
}

// gotoTarget reports whether st is a labeled statement that a goto of
// body jumps to: inside a closure the label would be out of reach.
func gotoTarget(body *ast.BlockStmt, st ast.Stmt) bool {
	labels := map[string]bool{}
	for l, ok := st.(*ast.LabeledStmt); ok; l, ok = l.Stmt.(*ast.LabeledStmt) {
		labels[l.Label.Name] = true
	}
	if len(labels) == 0 {
		return false
	}
	found := false
	ast.Inspect(body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if x.Tok == token.GOTO && x.Label != nil && labels[x.Label.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// wrappable reports whether st means the same inside a closure: no
// return, goto or defer outside func literals.
func wrappable(st ast.Stmt) bool {
	ok := true
	ast.Inspect(st, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.DeferStmt:
			ok = false
		case *ast.BranchStmt:
			if x.Tok == token.GOTO {
				ok = false
			}
		}
		return ok
	})
	return ok
}

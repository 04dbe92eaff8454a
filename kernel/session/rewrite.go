package session

import (
	"fmt"
	"go/ast"
	"go/token"
)

// rewriteGo replaces every `go F(args)` under n by
//
//	{ f, a0 := F, args; go func() { defer recoverer(); f(a0) }() }
//
// so that a panic in the goroutine is reported instead of killing the
// process, while F and its arguments are still evaluated before the
// goroutine starts. Literal arguments stay in place (they keep their
// untyped-constant meaning).
func rewriteGo(n ast.Node) {
	counter := 0
	made := map[*ast.GoStmt]bool{}
	replaceStmts(n, true, func(st ast.Stmt) ast.Stmt {
		g, ok := st.(*ast.GoStmt)
		if !ok || made[g] {
			return nil
		}
		counter++
		b := goBlock(g, counter)
		made[b.List[len(b.List)-1].(*ast.GoStmt)] = true
		return b
	})
}

// rewriteDefer turns each defer statement of a cell's top level (outside
// function literals) into a call deferred to the end of the cell: the
// function and its arguments are evaluated at once, as Go does, and the
// call is registered with the session, which runs it when the cell ends.
// yaegi would otherwise run such a call at once and again after every
// later cell.
func rewriteDefer(body *ast.BlockStmt) {
	counter := 0
	replaceStmts(body, false, func(st ast.Stmt) ast.Stmt {
		d, ok := st.(*ast.DeferStmt)
		if !ok {
			return nil
		}
		counter++
		return deferBlock(d, counter)
	})
}

// replaceStmts calls f on every statement of every statement list under n
// (blocks, case and select clauses) and on the statement of every label,
// and puts what f returns in its place; nil leaves the statement as it is.
// Function literals are entered only with intoFuncLits.
func replaceStmts(n ast.Node, intoFuncLits bool, f func(ast.Stmt) ast.Stmt) {
	fix := func(list []ast.Stmt) {
		for i, st := range list {
			if r := f(st); r != nil {
				list[i] = r
			}
		}
	}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return intoFuncLits
		case *ast.BlockStmt:
			fix(x.List)
		case *ast.CaseClause:
			fix(x.Body)
		case *ast.CommClause:
			fix(x.Body)
		case *ast.LabeledStmt:
			if r := f(x.Stmt); r != nil {
				x.Stmt = r
			}
		}
		return true
	})
}

// deferBlock is goBlock's evaluation of the function and its arguments,
// followed by the registration of the call instead of a go statement.
func deferBlock(d *ast.DeferStmt, k int) *ast.BlockStmt {
	b := goBlock(&ast.GoStmt{Go: d.Defer, Call: d.Call}, k)
	g := b.List[len(b.List)-1].(*ast.GoStmt)
	lit := g.Call.Fun.(*ast.FuncLit)
	lit.Body.List = lit.Body.List[1:] // no recover: a panic is the cell's
	b.List[len(b.List)-1] = &ast.ExprStmt{X: &ast.CallExpr{
		Fun:  &ast.SelectorExpr{X: ast.NewIdent(cellAlias), Sel: ast.NewIdent("Defer")},
		Args: []ast.Expr{lit}, Lparen: d.Defer, Rparen: d.Call.End(),
	}}
	return b
}

var builtins = map[string]bool{"append": true, "cap": true, "clear": true, "close": true, "complex": true,
	"copy": true, "delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true,
	"new": true, "panic": true, "print": true, "println": true, "real": true, "recover": true}

func goBlock(g *ast.GoStmt, k int) *ast.BlockStmt {
	call := g.Call
	var lhs, rhs []ast.Expr
	newCall := &ast.CallExpr{Fun: call.Fun, Ellipsis: call.Ellipsis}
	if id, ok := call.Fun.(*ast.Ident); !(ok && builtins[id.Name]) {
		if _, isParen := call.Fun.(*ast.ParenExpr); !isParen {
			name := ast.NewIdent(fmt.Sprintf("_gotrann_go%d_f", k))
			lhs = append(lhs, name)
			rhs = append(rhs, call.Fun)
			newCall.Fun = ast.NewIdent(name.Name)
		}
	}
	for j, a := range call.Args {
		if _, lit := a.(*ast.BasicLit); lit {
			newCall.Args = append(newCall.Args, a)
			continue
		}
		name := fmt.Sprintf("_gotrann_go%d_a%d", k, j)
		lhs = append(lhs, ast.NewIdent(name))
		rhs = append(rhs, a)
		newCall.Args = append(newCall.Args, ast.NewIdent(name))
	}
	recoverer := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.IfStmt{
			Init: &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_gotrann_r")}, Tok: token.DEFINE,
				Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("recover")}}},
			Cond: &ast.BinaryExpr{X: ast.NewIdent("_gotrann_r"), Op: token.NEQ, Y: ast.NewIdent("nil")},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
				Fun:  &ast.SelectorExpr{X: ast.NewIdent(cellAlias), Sel: ast.NewIdent("GoPanic")},
				Args: []ast.Expr{ast.NewIdent("_gotrann_r")}}}}},
		}}},
	}}}
	lit := &ast.FuncLit{Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{recoverer, &ast.ExprStmt{X: newCall}}}}
	stmts := []ast.Stmt{}
	if len(lhs) > 0 {
		stmts = append(stmts, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs, TokPos: g.Go})
	}
	stmts = append(stmts, &ast.GoStmt{Go: g.Go, Call: &ast.CallExpr{Fun: lit}})
	return &ast.BlockStmt{Lbrace: g.Go, List: stmts, Rbrace: g.Call.End()}
}

// gapHelp explains generic library functions the interpreter cannot call
// and that the prelude does not provide.
var gapHelp = map[string]string{
	"maps.Keys":             "maps.Keys returns an iterator (range over func), which the interpreter cannot run; collect the keys with a loop: for k := range m { keys = append(keys, k) }",
	"maps.Values":           "maps.Values returns an iterator (range over func), which the interpreter cannot run; collect the values with a loop: for _, v := range m { vals = append(vals, v) }",
	"maps.All":              "maps.All returns an iterator (range over func), which the interpreter cannot run; range over the map directly",
	"slices.Collect":        "slices.Collect takes an iterator (range over func), which the interpreter cannot run; build the slice with a loop and append",
	"slices.Sorted":         "slices.Sorted takes an iterator, which the interpreter cannot run; collect into a slice with a loop, then sort.Ints/sort.Float64s/sort.Strings/sort.Slice",
	"slices.Values":         "slices.Values returns an iterator, which the interpreter cannot run; range over the slice directly",
	"slices.All":            "slices.All returns an iterator, which the interpreter cannot run; range over the slice directly",
	"slices.BinarySearch":   "slices.BinarySearch is generic, which the interpreter cannot call; use sort.SearchInts/sort.SearchFloat64s/sort.SearchStrings/sort.Search",
	"slices.SortStableFunc": "slices.SortStableFunc is generic, which the interpreter cannot call; use sort.SliceStable",
	"slices.IsSorted":       "slices.IsSorted is generic, which the interpreter cannot call; use sort.IntsAreSorted/sort.Float64sAreSorted/sort.SliceIsSorted",
}

// gapRewrite maps generic functions the interpreter cannot call to the
// prelude's interpreted replacements.
var gapRewrite = map[string]string{
	"slices.Sort":     "_gotrann_slicesSort",
	"slices.SortFunc": "_gotrann_slicesSortFunc",
	"slices.Max":      "_gotrann_slicesMax",
	"slices.Min":      "_gotrann_slicesMin",
	"slices.Reverse":  "_gotrann_slicesReverse",
	"slices.Clone":    "_gotrann_slicesClone",
	"slices.Equal":    "_gotrann_slicesEqual",
	"maps.Clone":      "_gotrann_mapsClone",
	"maps.Copy":       "_gotrann_mapsCopy",
}

// rewriteGaps replaces slices.Sort and friends (when slices is the
// package, not a user variable) by prelude helpers, and returns an
// explanation for the first use of a generic function it cannot provide.
func rewriteGaps(n ast.Node, isPkg func(name string) bool) (help string) {
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && isPkg(id.Name) {
					k := id.Name + "." + sel.Sel.Name
					if r, ok := gapRewrite[k]; ok {
						x.Fun = &ast.Ident{NamePos: sel.Pos(), Name: r}
					} else if h, ok := gapHelp[k]; ok && help == "" {
						help = h
					}
				}
			}
		}
		return true
	})
	return help
}

// prelude is evaluated in every interpreter: builtins and generic helpers
// the interpreter lacks.
const prelude = `package main

type _gotrann_ordered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string
}

func min[T _gotrann_ordered](x T, y ...T) T {
	for _, v := range y {
		if v < x {
			x = v
		}
	}
	return x
}

func max[T _gotrann_ordered](x T, y ...T) T {
	for _, v := range y {
		if v > x {
			x = v
		}
	}
	return x
}

func _gotrann_min[T _gotrann_ordered](x T, y ...T) T {
	for _, v := range y {
		if v < x || v != v {
			x = v
		}
	}
	return x
}

func _gotrann_max[T _gotrann_ordered](x T, y ...T) T {
	for _, v := range y {
		if v > x || v != v {
			x = v
		}
	}
	return x
}

func _gotrann_clearMap[K comparable, V any](m map[K]V) {
	for k := range m {
		delete(m, k)
	}
}

func _gotrann_clearSlice[E any](s []E) {
	var zero E
	for i := range s {
		s[i] = zero
	}
}

func _gotrann_slicesSort[E _gotrann_ordered](x []E) {
	sort.Slice(x, func(i, j int) bool { return x[i] < x[j] })
}

func _gotrann_slicesSortFunc[E any](x []E, cmp func(a, b E) int) {
	sort.SliceStable(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

func _gotrann_slicesMax[E _gotrann_ordered](x []E) E {
	if len(x) == 0 {
		panic("slices.Max: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

func _gotrann_slicesMin[E _gotrann_ordered](x []E) E {
	if len(x) == 0 {
		panic("slices.Min: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if v < m {
			m = v
		}
	}
	return m
}

func _gotrann_slicesReverse[E any](x []E) {
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
}

func _gotrann_slicesClone[E any](x []E) []E {
	if x == nil {
		return nil
	}
	return append([]E{}, x...)
}

func _gotrann_slicesEqual[E comparable](a, b []E) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func _gotrann_mapsClone[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func _gotrann_mapsCopy[K comparable, V any](dst, src map[K]V) {
	for k, v := range src {
		dst[k] = v
	}
}
`

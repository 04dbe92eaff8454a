package session

import (
	"go/ast"
	"go/token"
	"reflect"
	"unsafe"

	"github.com/traefik/yaegi/interp"
)

// yaegi v0.16.1 keeps, for its debugger only, the root node of every
// program it compiled (Interpreter.roots) and every block scope ever
// opened under a package scope (scope.child): a session would keep the
// nodes and scopes of every cell it ever compiled, about 1.5 KB for
// `x := 1` (3 -> 53 MB over 10,000 cells). Nothing else reads them (the
// session runs no debugger); code still reachable keeps its nodes and
// scopes through its own references. dropCompiled clears both. It must
// not run while the interpreter compiles; should yaegi's fields change,
// it does nothing.
func dropCompiled(in *interp.Interpreter) {
	if in == nil {
		return
	}
	iv := reflect.ValueOf(in).Elem()
	clear := func(v reflect.Value) {
		if v.IsValid() && v.Kind() == reflect.Slice && v.CanAddr() {
			v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
			v.Set(reflect.Zero(v.Type()))
		}
	}
	clear(iv.FieldByName("roots"))
	children := func(sc reflect.Value) {
		if sc.Kind() == reflect.Pointer && !sc.IsNil() && sc.Elem().Kind() == reflect.Struct {
			clear(sc.Elem().FieldByName("child"))
		}
	}
	children(iv.FieldByName("universe"))
	if m := iv.FieldByName("scopes"); m.IsValid() && m.Kind() == reflect.Map {
		it := m.MapRange()
		for it.Next() {
			children(it.Value())
		}
	}
}

// forgetFile removes from fset the file added at base (by a parse of a
// cell's statements), whose positions nothing needs any more. Each cell
// would otherwise keep its file and line tables in the interpreter's file
// set for good.
func forgetFile(fset *token.FileSet, base int) {
	if f := fset.File(token.Pos(base)); f != nil && f.Base() == base {
		fset.RemoveFile(f)
	}
}

// leavesNoCode reports whether a run of statements, once run, leaves no
// code that could run later and report a position: no function literal
// (go and defer statements and the closures of the assignment rewrites
// are function literals by now) and no declaration.
func leavesNoCode(body *ast.BlockStmt) bool {
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit, *ast.DeclStmt, *ast.GoStmt, *ast.DeferStmt:
			ok = false
		}
		return ok
	})
	return ok
}

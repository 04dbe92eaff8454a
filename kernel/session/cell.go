package session

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"

	"github.com/trannsformer/gotrann/display"
)

// cell is one execution: the code, its file name for positions, and the
// notes produced while running it.
type cell struct {
	s      *Session
	ctx    context.Context
	code   string
	name   string
	silent bool
	notes  []string
	// mainBody is the body of a pasted func main, run once at the end.
	mainBody string
	mainPos  int
}

var errNoWrapper = errors.New("no rich wrapper")

// helpError is a compile error with an explanation of what to write instead.
type helpError struct {
	err  error
	help string
}

func (e *helpError) Error() string { return e.err.Error() + "\n" + e.help }
func (e *helpError) Unwrap() error { return e.err }

// note streams a message to the cell's stderr and keeps it for the Result.
func (c *cell) note(msg string) {
	c.notes = append(c.notes, msg)
	c.s.r.stream("stderr", msg+"\n")
}

// directive returns a /*line*/ comment placing the text at offset off of
// the cell at its own line and column.
func (c *cell) directive(off int) string {
	off = max(0, min(off, len(c.code)))
	l, col := lineCol(c.code, off)
	// yaegi scopes imports by the base name of a node's file, which line
	// directives change: keep the base "_.go" and strip it from messages.
	return "/*line " + c.name + "/_.go:" + strconv.Itoa(l) + ":" + strconv.Itoa(col) + "*/"
}

// exec runs the cell's runs in order and returns the value of its last
// expression statement, if it has one.
func (c *cell) exec() (v any, has bool, err error) {
	defer func() { err = c.s.runDefers(c.ctx, err) }()
	rs := runs(splitCell(c.code))
	for i, r := range rs {
		last := i == len(rs)-1
		if r.Decl {
			err = c.decls(r)
		} else {
			v, has, err = c.stmts(c.code[r.Start:r.End], r.Start, last && !c.silent)
		}
		if err != nil {
			return nil, false, err
		}
		if !last {
			has = false
		}
	}
	if c.mainBody != "" {
		src := "func() " + c.mainBody + "()"
		_, _, err = c.stmtsText(src, c.directive(c.mainPos), false)
		return nil, false, err
	}
	return v, has, err
}

// isPkgName reports whether name, unresolved in a cell, means a package.
func (c *cell) isPkgName(name string) bool {
	for sp := range c.s.imported {
		if sp.name == name || sp.name == "" && c.s.tab.paths[sp.path] == name {
			return true
		}
	}
	if c.s.store.owner(name) != nil {
		return false
	}
	if _, ok := safeGlobals(c.s.in)[name]; ok {
		return false
	}
	_, ok := c.s.tab.byName[name]
	return ok
}

// autoImports returns the imports needed by the unresolved selector bases
// of f that name known packages.
func (c *cell) autoImports(f *ast.File) []importSpec {
	unresolved := map[string]bool{}
	for _, id := range f.Unresolved {
		unresolved[id.Name] = true
	}
	var need []importSpec
	seen := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || !unresolved[id.Name] || seen[id.Name] {
			return true
		}
		seen[id.Name] = true
		if c.imports(id.Name) {
			return true
		}
		if c.s.store.owner(id.Name) != nil {
			return true
		}
		if _, ok := safeGlobals(c.s.in)[id.Name]; ok {
			return true
		}
		if p, ok := c.s.tab.byName[id.Name]; ok {
			need = append(need, importSpec{path: p})
		}
		return true
	})
	return need
}

// imports reports whether name is an imported package in the interpreter.
func (c *cell) imports(name string) bool {
	for sp := range c.s.imported {
		if sp.name == name || sp.name == "" && c.s.tab.paths[sp.path] == name {
			return true
		}
	}
	return false
}

// doImports evaluates the imports not yet made in the interpreter.
func (c *cell) doImports(specs []importSpec) error {
	var todo []importSpec
	var missing []string
	dup := map[importSpec]bool{}
	for _, sp := range specs {
		if c.s.imported[sp] || dup[sp] {
			continue
		}
		dup[sp] = true
		if _, ok := c.s.tab.paths[sp.path]; !ok {
			missing = append(missing, sp.path)
			continue
		}
		todo = append(todo, sp)
	}
	if len(missing) > 0 {
		// a package no table has: compiled into a new worker (require.go)
		return c.importModules(missing)
	}
	if len(todo) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("package main\nimport (\n")
	for _, sp := range todo {
		b.WriteString(sp.name + " " + strconv.Quote(sp.path) + "\n")
	}
	b.WriteString(")\n")
	if _, err := c.s.evalSource(c.ctx, c.s.in, b.String(), nil, nil); err != nil {
		return err
	}
	c.s.state.Lock()
	for _, sp := range todo {
		c.s.imported[sp] = true
		c.s.imports = append(c.s.imports, sp)
	}
	c.s.state.Unlock()
	return nil
}

// stmts runs a run of statements; with wantValue, the value of a last
// expression statement is returned.
func (c *cell) stmts(text string, off int, wantValue bool) (any, bool, error) {
	return c.stmtsText(text, c.directive(off), wantValue)
}

func (c *cell) stmtsText(text, directive string, wantValue bool) (any, bool, error) {
	s := c.s
	src := "package main; func main() {" + directive + text + "\n}"
	fset := s.in.FileSet()
	base := fset.Base()
	f, err := parser.ParseFile(fset, "_.go", src, parser.ParseComments)
	if err != nil {
		forgetFile(fset, base)
		return nil, false, err
	}
	if err := c.doImports(c.autoImports(f)); err != nil {
		return nil, false, err
	}
	need, err := s.modernize(fset, f, true)
	if err != nil {
		return nil, false, err
	}
	if err := c.doImports(need); err != nil {
		return nil, false, err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	help := rewriteGaps(body, c.isPkgName)
	rewriteGo(body)
	rewriteDefer(body)
	richName, richDecl, richBody := s.richFunc(s.in, s.store)
	if richDecl != "" {
		// declared on its own: should it fail, the cell runs without it
		if _, err := s.evalSource(c.ctx, s.in, "package main\n"+richDecl, nil, nil); err == nil {
			s.richDeclared(s.in, richName, richBody)
		} else {
			richName = ""
		}
	}
	rich := s.newRichWrapper(richName, safeGlobals(s.in))
	rich.rewrite(body)
	wrap := func(err error) error {
		if err != nil && help != "" && !errors.Is(err, context.Canceled) {
			return &helpError{err, help}
		}
		return err
	}
	c.recordHints(body)
	rewriteParallel(body)
	if h := wrapTopLevel(body); h != "" && help == "" {
		help = h
	}
	if leavesNoCode(body) {
		// nothing of this run can be called once it has run: its file's
		// position tables need not be kept (memory.go)
		defer forgetFile(fset, base)
	}
	list := body.List
	n := len(list)
	if !wantValue || n == 0 {
		return nil, false, wrap(s.run(c.ctx, s.in, body))
	}
	es, ok := list[n-1].(*ast.ExprStmt)
	if !ok || c.isDisplayCall(es.X) {
		return nil, false, wrap(s.run(c.ctx, s.in, body))
	}
	if n > 1 {
		head := &ast.BlockStmt{Lbrace: body.Lbrace, List: list[:n-1], Rbrace: list[n-1].Pos()}
		if err := s.run(c.ctx, s.in, head); err != nil {
			return nil, false, wrap(err)
		}
	}
	s.val.Lock()
	s.val.v, s.val.ok = nil, false
	s.val.Unlock()
	trial := func(x ast.Expr) *ast.BlockStmt {
		return &ast.BlockStmt{Lbrace: es.Pos(), Rbrace: es.End(), List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: &ast.Ident{NamePos: es.Pos(), Name: cellAlias}, Sel: ast.NewIdent("Set")},
			Args: []ast.Expr{x}, Lparen: es.Pos(), Rparen: es.End(),
		}}}}
	}
	var prog *interp.Program
	err = errNoWrapper
	if rich != nil {
		// a value of a cell type with display methods is rendered with them
		prog, err = compileSafe(s.in, trial(rich.wrap(es.X)))
	}
	if err != nil {
		prog, err = compileSafe(s.in, trial(es.X))
	}
	if err == nil {
		if err := s.execute(c.ctx, s.in, prog); err != nil {
			return nil, false, wrap(err)
		}
		s.val.Lock()
		v, ok := s.val.v, s.val.ok
		s.val.Unlock()
		return v, ok && v != nil, nil
	}
	last := &ast.BlockStmt{Lbrace: es.Pos(), Rbrace: es.End(), List: []ast.Stmt{es}}
	return nil, false, wrap(s.run(c.ctx, s.in, last))
}

// decls handles a run of imports and declarations.
func (c *cell) decls(r run) error {
	s := c.s
	src := "package main;" + c.directive(r.Start) + c.code[r.Start:r.End]
	fset := s.in.FileSet()
	f, err := parser.ParseFile(fset, "_.go", src, parser.ParseComments|parser.DeclarationErrors)
	if err != nil {
		return err
	}
	var specs []importSpec
	for _, sp := range f.Imports {
		p, _ := strconv.Unquote(sp.Path.Value)
		name := ""
		if sp.Name != nil {
			name = sp.Name.Name
			if name == c.s.tab.paths[p] {
				name = ""
			}
		}
		specs = append(specs, importSpec{name, p})
	}
	specs = append(specs, c.autoImports(f)...)
	if err := c.doImports(specs); err != nil {
		return err
	}
	var fresh, same []*declEntry
	replay := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			if fd.Body != nil {
				off := fset.File(fd.Body.Pos()).Offset(fd.Body.Pos())
				c.mainBody = src[off:fset.File(fd.Body.End()).Offset(fd.Body.End())]
				c.mainPos = r.Start + (off - (len(src) - (r.End - r.Start)))
			}
			continue
		}
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		for _, e := range entries(fset, src, d) {
			old := s.store.byKey[e.key]
			switch {
			case old == nil:
				if o := c.redeclares(e); o {
					replay = true
				}
				fresh = append(fresh, e)
			case old.raw == e.raw && e.kind == token.VAR:
				same = append(same, e)
			case old.raw == e.raw:
				// identical: nothing to do (re-running a cell is idempotent)
			default:
				replay = true
				fresh = append(fresh, e)
			}
		}
	}
	if replay {
		st := s.store.clone()
		redefined := map[string]bool{}
		for _, e := range fresh {
			st.put(e)
			for _, n := range e.names {
				redefined[n] = true
			}
		}
		notes, err := s.replay(c.ctx, st, redefined, nil)
		for _, n := range notes {
			c.note(n)
		}
		if err != nil {
			return err
		}
	} else if len(fresh) > 0 {
		var b strings.Builder
		b.WriteString("package main\n")
		for _, e := range fresh {
			b.WriteString(e.text + "\n")
		}
		all := s.store.clone()
		for _, e := range fresh {
			all.put(e)
		}
		if err := s.evalDecls(c.ctx, b.String(), c.isPkgName, all); err != nil {
			// Nothing of the run is stored. Measured on v0.16.1: the
			// failed names can be declared again by a later cell, and the
			// next replay drops whatever the failed run left behind.
			return err
		}
		s.state.Lock()
		for _, e := range fresh {
			s.store.put(e)
		}
		s.state.Unlock()
	}
	// identical var declarations re-run their initialisers as assignments,
	// so that functions keep seeing the same variable.
	for _, e := range same {
		if e.values == "" {
			continue
		}
		vs := e.node.(*ast.ValueSpec)
		p := vs.Values[0].Pos()
		off := fset.File(p).Offset(p) - (len(src) - (r.End - r.Start)) + r.Start
		txt := strings.Join(e.names, ", ") + " = " + e.values
		if _, _, err := c.stmtsText(txt, c.directive(off-len(strings.Join(e.names, ", ")+" = ")), false); err != nil {
			return err
		}
	}
	return nil
}

// redeclares reports whether a new entry declares a name that functions of
// earlier cells may already use (a var or func defined by statements or by
// another kind of declaration): then only a replay rebinds them.
func (c *cell) redeclares(e *declEntry) bool {
	if e.kind == token.FUNC && len(e.names) == 0 {
		// a new method on an existing type needs a replay to be seen by
		// values made before
		recv := strings.SplitN(e.key, ".", 2)[0]
		return c.s.store.byKey[recv] != nil
	}
	for _, n := range e.names {
		if c.s.store.owner(n) != nil {
			return true
		}
	}
	return false
}

// evalDecls evaluates a file of new declarations in the interpreter.
func (s *Session) evalDecls(ctx context.Context, src string, isPkg func(string) bool, st *store) error {
	f, err := parser.ParseFile(s.in.FileSet(), "_.go", src, parser.ParseComments|parser.DeclarationErrors)
	if err != nil {
		return err
	}
	need, err := s.modernize(s.in.FileSet(), f, true)
	if err != nil {
		return err
	}
	if err := (&cell{s: s, ctx: ctx, name: "In"}).doImports(need); err != nil {
		return err
	}
	help := rewriteGaps(f, isPkg)
	rewriteGo(f)
	rewriteParallel(f)
	name, declared, err := s.withRich(s.in, st, f)
	if err != nil {
		return err
	}
	s.newRichWrapper(name, safeGlobals(s.in)).rewrite(f)
	if err := s.run(ctx, s.in, f); err != nil {
		if help != "" {
			return &helpError{err, help}
		}
		return err
	}
	declared()
	return nil
}

// isDisplayCall reports whether x calls a function of package display that
// produces output itself (Show, Progress, ...: the methods of
// *display.Display): what it shows is its output, so it has no Out value.
// Constructors such as display.Markdown return a bundle that is the Out.
func (c *cell) isDisplayCall(x ast.Expr) bool {
	call, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	if _, ok := reflect.TypeOf((*display.Display)(nil)).MethodByName(sel.Sel.Name); !ok {
		return false
	}
	for sp := range c.s.imported {
		if sp.path == displayPath && (sp.name == id.Name || sp.name == "" && id.Name == "display") {
			return true
		}
	}
	return false
}

// recordHints remembers the declared type of variables defined at the top
// level of a statement run from the syntax of their initialiser.
func (c *cell) recordHints(body *ast.BlockStmt) {
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE && as.Tok != token.ASSIGN {
			continue
		}
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			h := ""
			if len(as.Rhs) == len(as.Lhs) {
				h = typeHint(c.s.store, as.Rhs[i])
			}
			c.s.state.Lock()
			if h != "" {
				c.s.hints[id.Name] = h
			} else if as.Tok == token.DEFINE {
				delete(c.s.hints, id.Name)
			}
			c.s.state.Unlock()
		}
	}
}

// typeHint returns "T" or "*T" when x is T{...}, &T{...} or T(v) for a type
// T declared in a cell.
func typeHint(st *store, x ast.Expr) string {
	isType := func(e ast.Expr) string {
		if id, ok := e.(*ast.Ident); ok {
			if d := st.byKey[id.Name]; d != nil && d.kind == token.TYPE {
				return id.Name
			}
		}
		return ""
	}
	switch x := x.(type) {
	case *ast.CompositeLit:
		return isType(x.Type)
	case *ast.UnaryExpr:
		if cl, ok := x.X.(*ast.CompositeLit); ok && x.Op == token.AND {
			if n := isType(cl.Type); n != "" {
				return "*" + n
			}
		}
	case *ast.CallExpr:
		if len(x.Args) == 1 {
			return isType(x.Fun)
		}
	case *ast.ParenExpr:
		return typeHint(st, x.X)
	}
	return ""
}

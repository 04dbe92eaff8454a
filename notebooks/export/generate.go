package export

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// edit replaces the draft's bytes [off, end) with s.
type edit struct {
	off, end int
	s        string
}

// hoisted is a variable declared by a cell's top-level statement or var
// declaration, declared at package level by the exported program.
type hoisted struct {
	name string
	typ  types.Type
	cell *Cell
}

// generate writes the draft, type-checks it and writes main.go.
func (t *translator) generate() (*Program, error) {
	imports := t.imports()
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for _, sp := range imports {
		fmt.Fprintf(&b, "\t%s %s\n", sp.name, strconv.Quote(sp.path))
	}
	b.WriteString(")\n\n")
	for _, d := range t.decls {
		if d.drop {
			continue
		}
		d.draftStart = b.Len()
		b.WriteString(d.text + "\n\n")
	}
	b.WriteString("func main() {\n")
	for _, items := range t.cells {
		for _, it := range items {
			if it.kind != unitGo {
				continue
			}
			if it.block {
				b.WriteString("{")
			}
			it.draftStart = b.Len()
			b.WriteString(it.draft + "\n")
			if it.block {
				b.WriteString("}\n")
			}
		}
	}
	b.WriteString("}\n")
	draft := b.String()

	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", draft, 0)
	if err != nil {
		// each piece parsed on its own: what fails is their combination
		return nil, fmt.Errorf("export: the cells do not make a Go file: %w", err)
	}
	info := &types.Info{
		Types:     map[ast.Expr]types.TypeAndValue{},
		Defs:      map[*ast.Ident]types.Object{},
		Uses:      map[*ast.Ident]types.Object{},
		Implicits: map[ast.Node]types.Object{},
	}
	imp := t.opts.Importer
	if imp == nil {
		imp = failImporter{}
	}
	var typeErrs []types.Error
	conf := types.Config{Importer: imp, FakeImportC: true, Error: func(err error) {
		if te, ok := err.(types.Error); ok {
			typeErrs = append(typeErrs, te)
		}
	}}
	pkg, _ := conf.Check("main", fset, []*ast.File{f}, info)
	off := func(p token.Pos) int { return fset.Position(p).Offset }

	// which item a main statement belongs to
	var goItems []*item
	for _, items := range t.cells {
		for _, it := range items {
			if it.kind == unitGo {
				goItems = append(goItems, it)
			}
		}
	}
	itemAt := func(o int) *item {
		i := sort.Search(len(goItems), func(i int) bool { return goItems[i].draftStart > o }) - 1
		if i < 0 {
			return nil
		}
		return goItems[i]
	}

	var edits []edit
	var vars []hoisted
	seen := map[string]bool{}
	hoist := func(id *ast.Ident, it *item) {
		if id.Name == "_" || seen[id.Name] {
			return
		}
		if obj := info.Defs[id]; obj != nil {
			seen[id.Name] = true
			vars = append(vars, hoisted{id.Name, obj.Type(), it.cell})
		}
	}
	varDecl := func(gd *ast.GenDecl, it *item, top bool) {
		if gd.Lparen.IsValid() {
			edits = append(edits, edit{off(gd.Pos()), off(gd.Lparen) + 1, ""}, edit{off(gd.Rparen), off(gd.Rparen) + 1, ""})
		}
		for i, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			if top {
				for _, n := range vs.Names {
					hoist(n, it)
				}
			}
			start := off(vs.Pos())
			if i == 0 && !gd.Lparen.IsValid() {
				start = off(gd.Pos())
			}
			if len(vs.Values) == 0 {
				edits = append(edits, edit{start, off(vs.End()), ""})
				continue
			}
			var names []string
			for _, n := range vs.Names {
				names = append(names, n.Name)
			}
			edits = append(edits, edit{start, off(vs.Values[0].Pos()), strings.Join(names, ", ") + " = "})
		}
	}
	mainFn := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
	lastOf := map[*item]ast.Stmt{}
	for _, st := range mainFn.Body.List {
		it := itemAt(off(st.Pos()))
		if it == nil {
			continue
		}
		lastOf[it] = st
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						hoist(id, it)
					}
				}
				edits = append(edits, edit{off(st.TokPos), off(st.TokPos) + 2, "= "})
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				varDecl(gd, it, true)
			}
		case *ast.BlockStmt:
			if it.block && len(st.List) == 1 {
				if ds, ok := st.List[0].(*ast.DeclStmt); ok {
					if gd, ok := ds.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
						varDecl(gd, it, false)
					}
				}
			}
		}
	}
	// the display package's output functions go to the program's Display
	isDisplayFunc := func(x ast.Expr) (*ast.Ident, bool) {
		sel, ok := x.(*ast.SelectorExpr)
		if !ok || !displayMethods[sel.Sel.Name] {
			return nil, false
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return nil, false
		}
		pn, ok := info.Uses[id].(*types.PkgName)
		return id, ok && pn.Imported().Path() == displayPath
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok {
			if id, ok := isDisplayFunc(x); ok {
				edits = append(edits, edit{off(id.Pos()), off(id.End()), displayVar})
			}
		}
		return true
	})
	// a cell's value
	for it, st := range lastOf {
		es, ok := st.(*ast.ExprStmt)
		if !it.value || !ok {
			continue
		}
		if call, ok := es.X.(*ast.CallExpr); ok {
			if _, ok := isDisplayFunc(call.Fun); ok {
				continue
			}
		}
		if !hasOneValue(es.X, info) {
			continue
		}
		edits = append(edits, edit{off(es.X.Pos()), off(es.X.Pos()), rtName + ".Value(" + displayVar + ", "},
			edit{off(es.X.End()), off(es.X.End()), ")"})
	}
	t.reportTypeErrors(typeErrs, fset, draft, goItems, seen)

	// package names for the types of hoisted variables
	local := map[string]string{} // path -> name in the file
	used := map[string]bool{}
	for _, sp := range f.Imports {
		if pn := info.PkgNameOf(sp); pn != nil {
			local[pn.Imported().Path()] = pn.Name()
			used[pn.Name()] = true
		}
	}
	var extra []importSpec
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		if n, ok := local[p.Path()]; ok {
			return n
		}
		n := p.Name()
		for i := 2; used[n] || t.declared[n]; i++ {
			n = p.Name() + strconv.Itoa(i)
		}
		local[p.Path()], used[n] = n, true
		name := n
		if n == p.Name() {
			name = ""
		}
		extra = append(extra, importSpec{name, p.Path()})
		return n
	}

	// main.go
	var body strings.Builder
	fmt.Fprintf(&body, "var %s = %s.New(%s)\n\n", nbVar, rtName, strconv.Quote(t.opts.OutDir))
	fmt.Fprintf(&body, "var %s = %s.Display()\n\n", displayVar, nbVar)
	if len(vars) > 0 {
		body.WriteString("// Variables declared by the cells' statements and var declarations.\nvar (\n")
		for _, v := range vars {
			ts := "any"
			if v.typ != nil && v.typ != types.Typ[types.Invalid] && !strings.Contains(types.TypeString(v.typ, nil), "invalid type") {
				ts = types.TypeString(v.typ, qual)
			} else {
				t.warnf(v.cell, "the type of %s is unknown: declared as any", v.name)
			}
			if hidden := unexportedIn(v.typ, pkg); hidden != "" {
				t.warnf(v.cell, "the type of %s mentions %s, which package main cannot name: declare %s inside a function or give it an exported type", v.name, hidden, v.name)
			}
			if used[v.name] {
				t.warnf(v.cell, "the variable %s has the name of an imported package: rename it", v.name)
			}
			fmt.Fprintf(&body, "\t%s %s\n", v.name, ts)
		}
		body.WriteString(")\n\n")
	}
	sort.Slice(edits, func(i, j int) bool {
		if edits[i].off != edits[j].off {
			return edits[i].off < edits[j].off
		}
		return edits[i].end < edits[j].end
	})
	apply := func(start, end int) string {
		var s strings.Builder
		at := start
		for _, e := range edits {
			if e.off < start || e.off > end || e.off < at || e.end > end {
				continue
			}
			s.WriteString(draft[at:e.off])
			s.WriteString(e.s)
			at = e.end
		}
		s.WriteString(draft[at:end])
		return s.String()
	}
	for _, d := range t.decls {
		if d.drop {
			continue
		}
		body.WriteString(apply(d.draftStart, d.draftStart+len(d.text)) + "\n\n")
	}
	var cellFns strings.Builder
	var pins []string
	body.WriteString("func main() {\n\tdefer " + nbVar + ".Close()\n")
	if n, ok := local[widgetPath]; ok {
		fmt.Fprintf(&body, "\t%s.Default().SetDisplay(%s)\n", n, displayVar)
	}
	for i, items := range t.cells {
		c := t.cellOf[i]
		if len(items) == 0 {
			continue
		}
		fn := "cell" + strconv.Itoa(c.N)
		if t.declared[fn] {
			return nil, fmt.Errorf("export: the notebook declares %s, the name of the exported program's function for In[%d]", fn, c.N)
		}
		fmt.Fprintf(&body, "\t%s.Cell(%d)\n\t%s()\n", nbVar, c.N, fn)
		fmt.Fprintf(&cellFns, "\n// %s runs In[%d], the notebook's cell %d.\nfunc %s() {\n", fn, c.N, c.Index+1, fn)
		var cb strings.Builder
		for _, it := range items {
			switch it.kind {
			case unitGo:
				cb.WriteString(strings.TrimLeft(apply(it.draftStart, it.draftStart+len(it.draft)), "\n") + "\n")
			case unitCall:
				cb.WriteString(it.text + "\n")
			case unitNote:
				cb.WriteString("// " + it.text + "\n")
			case unitPin:
				cb.WriteString("// %require " + it.text + " (in go.mod)\n")
				pins = append(pins, strings.Fields(it.text)...)
			case unitTimeBegin:
				cb.WriteString(rtName + ".Time(func() {\n")
			case unitTimeEnd:
				cb.WriteString("})\n")
			}
		}
		cellFns.WriteString(strings.TrimLeft(cb.String(), " \t\n") + "}\n")
	}
	body.WriteString("}\n")
	body.WriteString(cellFns.String())

	all := append(append([]importSpec(nil), imports...), extra...)
	all = append(all, importSpec{path: RuntimePath})
	src, paths := t.assemble(body.String(), all, local)
	out, err := format.Source([]byte(src))
	if err != nil {
		t.warnf(nil, "main.go is not gofmt-ed: %v", err)
		out = []byte(src)
	}
	return &Program{Main: out, Imports: paths, Warnings: t.warnings, Pins: pins}, nil
}

// unexportedIn returns the first unexported named type of another package
// in t, or "".
func unexportedIn(t types.Type, main *types.Package) string {
	seen := map[types.Type]bool{}
	var walk func(t types.Type) string
	walk = func(t types.Type) string {
		if t == nil || seen[t] {
			return ""
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named:
			if o := t.Obj(); o.Pkg() != nil && o.Pkg() != main && !o.Exported() {
				return o.Pkg().Path() + "." + o.Name()
			}
			if args := t.TypeArgs(); args != nil {
				for i := 0; i < args.Len(); i++ {
					if h := walk(args.At(i)); h != "" {
						return h
					}
				}
			}
			return ""
		case *types.Pointer:
			return walk(t.Elem())
		case *types.Slice:
			return walk(t.Elem())
		case *types.Array:
			return walk(t.Elem())
		case *types.Map:
			if h := walk(t.Key()); h != "" {
				return h
			}
			return walk(t.Elem())
		case *types.Chan:
			return walk(t.Elem())
		case *types.Signature:
			for _, tu := range []*types.Tuple{t.Params(), t.Results()} {
				for i := 0; i < tu.Len(); i++ {
					if h := walk(tu.At(i).Type()); h != "" {
						return h
					}
				}
			}
		case *types.Struct:
			for i := 0; i < t.NumFields(); i++ {
				if h := walk(t.Field(i).Type()); h != "" {
					return h
				}
			}
		}
		return ""
	}
	return walk(t)
}

// hasOneValue reports whether x has exactly one value (a cell ending with
// it has a value). Without its type, only a call is taken to have none.
func hasOneValue(x ast.Expr, info *types.Info) bool {
	tv, ok := info.Types[x]
	if !ok || tv.Type == nil || tv.Type == types.Typ[types.Invalid] {
		_, call := ast.Unparen(x).(*ast.CallExpr)
		return !call
	}
	if tv.IsVoid() || tv.IsType() || tv.IsBuiltin() {
		return false
	}
	if _, tuple := tv.Type.(*types.Tuple); tuple {
		return false
	}
	return true
}

// reportTypeErrors turns the draft's type errors into warnings with cell
// lines, except those of a declaration using a variable that the exported
// program declares at package level.
func (t *translator) reportTypeErrors(errs []types.Error, fset *token.FileSet, draft string, items []*item, hoisted map[string]bool) {
	n := 0
	for _, e := range errs {
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok && hoisted[name] {
			continue
		}
		if strings.HasPrefix(e.Msg, "could not import") || strings.Contains(e.Msg, "no type information") {
			continue
		}
		if strings.Contains(e.Msg, "declared and not used") || strings.HasSuffix(e.Msg, " is not used") {
			continue // variables of cells are package-level in the program
		}
		o := fset.Position(e.Pos).Offset
		where := ""
		for _, it := range items {
			if o >= it.draftStart && o <= it.draftStart+len(it.draft) {
				line := it.line + strings.Count(draft[it.draftStart:o], "\n") + 1
				where = fmt.Sprintf("In[%d] (cell %d) line %d: ", it.cell.N, it.cell.Index+1, line)
				break
			}
		}
		if n++; n > 10 {
			continue
		}
		t.warnings = append(t.warnings, where+e.Msg)
	}
	if n > 10 {
		t.warnings = append(t.warnings, fmt.Sprintf("and %d more type errors", n-10))
	}
}

// assemble writes the file with the imports its body uses.
func (t *translator) assemble(body string, specs []importSpec, local map[string]string) (string, []string) {
	usedNames := map[string]bool{}
	if f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+body, parser.SkipObjectResolution); err == nil {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					usedNames[id.Name] = true
				}
			}
			return true
		})
	}
	var b strings.Builder
	name := strings.TrimSuffix(t.opts.Name, ".ipynb")
	if name == "" {
		name = "the notebook"
	}
	fmt.Fprintf(&b, "// Command %s runs the code cells of %s in order, as exported by\n", progName(name), t.opts.Name)
	fmt.Fprintf(&b, "// gotrann export: what the cells print goes to standard output; every\n")
	fmt.Fprintf(&b, "// display (a cell's value, display.Show, plots, tables, progress bars) is\n")
	fmt.Fprintf(&b, "// written to a file in the directory %s and its text to standard error.\n", t.opts.OutDir)
	b.WriteString("package main\n\nimport (\n")
	seen := map[string]bool{}
	var paths []string
	// the standard library first, then the rest, as goimports groups them
	sort.SliceStable(specs, func(i, j int) bool { return isStd(specs[i].path) && !isStd(specs[j].path) })
	group := true
	for _, sp := range specs {
		if seen[sp.path] {
			continue
		}
		n := sp.name
		if n == "" {
			n = local[sp.path]
		}
		if n == "" && sp.path == RuntimePath {
			n = rtName
		}
		if n == "" {
			n = t.pkgName(sp.path)
		}
		if n != "_" && n != "." && !usedNames[n] {
			continue
		}
		seen[sp.path] = true
		if group && !isStd(sp.path) && len(paths) > 0 {
			b.WriteString("\n")
		}
		group = isStd(sp.path)
		paths = append(paths, sp.path)
		fmt.Fprintf(&b, "\t%s %s\n", sp.name, strconv.Quote(sp.path))
	}
	b.WriteString(")\n\n")
	b.WriteString(body)
	sort.Strings(paths)
	return b.String(), paths
}

// isStd reports whether an import path is of the standard library (no
// dot in its first element).
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// progName is the program's name for a notebook name.
func progName(name string) string {
	return ModulePath(name)
}

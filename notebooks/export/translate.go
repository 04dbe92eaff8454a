package export

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Import paths the translation knows.
const (
	displayPath = "github.com/trannsformer/gotrann/display"
	widgetPath  = "github.com/trannsformer/gotrann/display/widget"
	// RuntimePath is the package of the exported program's display sink and
	// magics.
	RuntimePath = "github.com/trannsformer/gotrann/notebooks/export/exportrt"
)

// displayMethods are the package-level functions of package display that
// are also methods of *display.Display: they produce output, so the
// exported program calls them on its own Display (writing files), and a
// cell ending with one of them has no value. exportrt's tests keep the list
// in step with the method set of *display.Display.
var displayMethods = map[string]bool{"Show": true, "Clear": true, "ClearWait": true, "Progress": true, "NewMonitor": true}

// Names the exported program declares besides the notebook's.
const (
	nbVar      = "exportNB"
	displayVar = "exportDisplay"
)

// Cell is one code cell to translate.
type Cell struct {
	// N is the cell's number, In[N]: its position among the notebook's
	// non-empty code cells, from 1.
	N int
	// Index is its index among all the notebook's cells, from 0.
	Index  int
	Source string
}

// Options configures Translate. The zero value translates with no
// automatic imports and no type information.
type Options struct {
	// Packages maps a package name to the import path that a selector on an
	// undeclared name of a cell imports, as the session's automatic imports
	// do (fmt, mat, plot, display, ...). Nil: none.
	Packages map[string]string
	// Importer gives the types of imported packages. With nil, every import
	// fails: the types of variables declared by statements are unknown and
	// written as any, and a last call expression of a cell is not shown.
	Importer types.Importer
	// Name is the notebook's file name, for comments.
	Name string
	// OutDir is the directory the exported program writes displays to,
	// relative to its working directory; "" means "out".
	OutDir string
}

// Program is a translated notebook.
type Program struct {
	Main     []byte   // main.go, gofmt-ed
	Imports  []string // the import paths of main.go, sorted
	Warnings []string // what the translation left out or could not type
	// Pins are the module versions of the cells' %require magics
	// ("module@version"), in order.
	Pins []string
}

// importSpec is one import of the program.
type importSpec struct{ name, path string }

// item is a piece of a cell's function: Go statements, a var declaration,
// a magic's call or note, or the bracket of a %time.
type item struct {
	kind  unitKind
	text  string
	cell  *Cell
	line  int  // 0-based line of the cell where text starts
	value bool // statements: their last expression statement is the cell's value
	isVar bool // a var declaration (moved into the cell, its variables hoisted)
	// block: a var declaration of names declared before, wrapped in a
	// block in the draft.
	block bool
	// draft is the text in the draft (":=" of names declared before become
	// "= "); draftStart its offset there.
	draft      string
	draftStart int
}

// decl is a package-level declaration of a cell (func, type, const).
type decl struct {
	text       string
	names      []string // declared names (not methods)
	keys       []string // store keys: names, Recv.Method for methods
	drop       bool     // redefined by a later cell
	draftStart int
	cell       *Cell
}

// translator holds the state of one Translate.
type translator struct {
	opts     Options
	warnings []string
	decls    []*decl
	cells    [][]*item // per cell
	cellOf   []*Cell
	explicit []importSpec
	// candidates are the undeclared selector bases, for automatic imports.
	candidates map[string]bool
	declared   map[string]bool // names declared at package level or by statements
}

func (t *translator) warnf(c *Cell, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c != nil {
		msg = fmt.Sprintf("In[%d] (cell %d): %s", c.N, c.Index+1, msg)
	}
	t.warnings = append(t.warnings, msg)
}

// Translate turns the code cells of a notebook into the main.go of a
// program that runs them in order (see the package documentation).
func Translate(cells []Cell, opts Options) (*Program, error) {
	if opts.OutDir == "" {
		opts.OutDir = "out"
	}
	t := &translator{opts: opts, candidates: map[string]bool{}, declared: map[string]bool{}}
	for i := range cells {
		if err := t.addCell(&cells[i]); err != nil {
			return nil, err
		}
	}
	t.dedupe()
	return t.generate()
}

const (
	stmtPrefix = "package main; func _() {\n"
	declPrefix = "package main;"
)

// addCell parses one cell into items and declarations.
func (t *translator) addCell(c *Cell) error {
	units, warns := cellUnits(c.Source)
	for _, w := range warns {
		t.warnf(c, "%s", w)
	}
	var items []*item
	for _, u := range units {
		if u.kind != unitGo {
			items = append(items, &item{kind: u.kind, text: u.text, cell: c, line: u.line})
			continue
		}
		rs := runs(splitCell(u.text))
		var mainBody string
		for ri, r := range rs {
			text := u.text[r.Start:r.End]
			line := u.line + strings.Count(u.text[:r.Start], "\n")
			if !r.Decl {
				it := &item{kind: unitGo, text: text, cell: c, line: line, value: u.wantValue && ri == len(rs)-1}
				if err := t.parseStmts(it); err != nil {
					return err
				}
				items = append(items, it)
				continue
			}
			vars, body, err := t.parseDecls(c, text, line)
			if err != nil {
				return err
			}
			items = append(items, vars...)
			if body != "" {
				mainBody = body
			}
		}
		if mainBody != "" {
			// a pasted func main runs once, at the end of the cell
			it := &item{kind: unitGo, text: "func() " + mainBody + "()", cell: c, line: u.line}
			if err := t.parseStmts(it); err != nil {
				return err
			}
			items = append(items, it)
		}
	}
	t.cells = append(t.cells, items)
	t.cellOf = append(t.cellOf, c)
	return nil
}

// cellError words a parse error of a cell's code: line is the cell's
// 0-based line where the parsed text starts, skip the lines the parsed
// source has before the text.
func cellError(c *Cell, line, skip int, err error) error {
	msg := err.Error()
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		msg = fmt.Sprintf("line %d:%d: %s", line+e.Pos.Line-skip, e.Pos.Column, e.Msg)
	}
	return fmt.Errorf("export: In[%d] (cell %d): %s", c.N, c.Index+1, msg)
}

// parseStmts checks a run of statements and notes its undeclared selector
// bases and the names its top-level definitions declare.
func (t *translator) parseStmts(it *item) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", stmtPrefix+it.text+"\n}", 0)
	if err != nil {
		return cellError(it.cell, it.line, 1, err)
	}
	t.noteSelectors(f)
	body := f.Decls[0].(*ast.FuncDecl).Body
	draft := []byte(it.text)
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		all := true
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" && !t.declared[id.Name] {
				all = false
			}
		}
		if all {
			off := fset.Position(as.TokPos).Offset - len(stmtPrefix)
			copy(draft[off:], "= ")
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
				t.declared[id.Name] = true
			}
		}
	}
	it.draft = string(draft)
	return nil
}

// parseDecls parses a run of declarations: imports are noted, var
// declarations become items of the cell, the others package-level
// declarations; body is the body of a func main.
func (t *translator) parseDecls(c *Cell, text string, line int) (vars []*item, body string, err error) {
	fset := token.NewFileSet()
	src := declPrefix + text
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, "", cellError(c, line, 0, err)
	}
	t.noteSelectors(f)
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	cmap := ast.NewCommentMap(fset, f, f.Comments)
	for _, d := range f.Decls {
		start, end := off(d.Pos()), off(d.End())
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Doc != nil {
				start = off(d.Doc.Pos())
			}
		case *ast.FuncDecl:
			if d.Doc != nil {
				start = off(d.Doc.Pos())
			}
		}
		// a comment on the declaration's last line goes with it
		for _, cg := range cmap[d] {
			if e := off(cg.End()); e > end && !strings.Contains(src[end:off(cg.Pos())], "\n") {
				end = e
			}
		}
		dtext := src[start:end]
		dline := line + strings.Count(src[len(declPrefix):start], "\n")
		switch d := d.(type) {
		case *ast.GenDecl:
			switch d.Tok {
			case token.IMPORT:
				for _, sp := range d.Specs {
					is := sp.(*ast.ImportSpec)
					p, _ := strconv.Unquote(is.Path.Value)
					name := ""
					if is.Name != nil {
						name = is.Name.Name
					}
					t.explicit = append(t.explicit, importSpec{name, p})
				}
				continue
			case token.VAR:
				it := &item{kind: unitGo, text: dtext, draft: dtext, cell: c, line: dline, isVar: true}
				all := true
				for _, sp := range d.Specs {
					for _, n := range sp.(*ast.ValueSpec).Names {
						if n.Name != "_" && !t.declared[n.Name] {
							all = false
						}
					}
				}
				it.block = all
				for _, sp := range d.Specs {
					for _, n := range sp.(*ast.ValueSpec).Names {
						t.declared[n.Name] = true
					}
				}
				vars = append(vars, it)
				continue
			}
			dc := &decl{text: dtext, cell: c}
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					dc.names = append(dc.names, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						dc.names = append(dc.names, n.Name)
					}
				}
			}
			dc.keys = dc.names
			t.addDecl(dc)
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "main" {
				if d.Body != nil {
					body = src[off(d.Body.Pos()):off(d.Body.End())]
				}
				continue
			}
			dc := &decl{text: dtext, cell: c}
			switch {
			case d.Recv != nil && len(d.Recv.List) == 1:
				dc.keys = []string{recvName(d.Recv.List[0].Type) + "." + d.Name.Name}
			case d.Name.Name == "init":
				// several init functions all run
			default:
				dc.names = []string{d.Name.Name}
				dc.keys = dc.names
			}
			t.addDecl(dc)
		}
	}
	return vars, body, nil
}

func (t *translator) addDecl(d *decl) {
	for _, n := range d.names {
		t.declared[n] = true
	}
	t.decls = append(t.decls, d)
}

// recvName returns the type name of a method's receiver.
func recvName(x ast.Expr) string {
	for {
		switch y := x.(type) {
		case *ast.StarExpr:
			x = y.X
		case *ast.ParenExpr:
			x = y.X
		case *ast.IndexExpr:
			x = y.X
		case *ast.IndexListExpr:
			x = y.X
		case *ast.Ident:
			return y.Name
		default:
			return types.ExprString(x)
		}
	}
}

// noteSelectors records the unresolved bases of selectors in f.
func (t *translator) noteSelectors(f *ast.File) {
	unresolved := map[string]bool{}
	for _, id := range f.Unresolved {
		unresolved[id.Name] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && unresolved[id.Name] {
				t.candidates[id.Name] = true
			}
		}
		return true
	})
}

// dedupe drops declarations whose every key a later cell declares again:
// as in the session, the newest definition wins.
func (t *translator) dedupe() {
	last := map[string]*decl{}
	for _, d := range t.decls {
		for _, k := range d.keys {
			last[k] = d
		}
	}
	for _, d := range t.decls {
		if len(d.keys) == 0 {
			continue
		}
		drop := true
		for _, k := range d.keys {
			if last[k] == d {
				drop = false
			}
		}
		if drop {
			d.drop = true
			t.warnf(d.cell, "%s is declared again by a later cell: the later declaration is used", strings.Join(d.keys, ", "))
		}
	}
}

// imports returns the explicit imports and the automatic ones.
func (t *translator) imports() []importSpec {
	var out []importSpec
	seen := map[importSpec]bool{}
	names := map[string]bool{}
	for _, sp := range t.explicit {
		if seen[sp] {
			continue
		}
		seen[sp] = true
		out = append(out, sp)
		n := sp.name
		if n == "" {
			n = t.pkgName(sp.path)
		}
		names[n] = true
	}
	var auto []string
	for n := range t.candidates {
		if t.declared[n] || names[n] {
			continue
		}
		if _, ok := t.opts.Packages[n]; ok {
			auto = append(auto, n)
		}
	}
	sort.Strings(auto)
	for _, n := range auto {
		out = append(out, importSpec{path: t.opts.Packages[n]})
	}
	return out
}

// pkgName guesses the name of the package at path: the table's name, or
// the path's last element that is not a major version.
func (t *translator) pkgName(p string) string {
	for n, q := range t.opts.Packages {
		if q == p {
			return n
		}
	}
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return strings.NewReplacer("-", "_", ".", "_").Replace(base)
}

// failImporter fails every import.
type failImporter struct{}

func (failImporter) Import(p string) (*types.Package, error) {
	return nil, fmt.Errorf("no type information for %q", p)
}

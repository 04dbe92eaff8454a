package notebooks

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// Cell tags of the papermill and nbclient conventions.
const (
	ParametersTag         = "parameters"
	InjectedParametersTag = "injected-parameters"
	RaisesExceptionTag    = "raises-exception" // the cell is expected to fail
)

// Parameter is one "-p name=value" of gotrann run. Value is the text as
// given; InjectParameters converts it to the type the parameters cell
// declares for Name.
type Parameter struct {
	Name  string
	Value string
}

// ParseParameter parses "name=value". The name must be a Go identifier.
func ParseParameter(s string) (Parameter, error) {
	name, value, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	switch {
	case !ok:
		return Parameter{}, fmt.Errorf("parameter %q: want name=value", s)
	case !token.IsIdentifier(name) || name == "_":
		return Parameter{}, fmt.Errorf("parameter %q: %q is not a Go identifier", s, name)
	}
	return Parameter{Name: name, Value: value}, nil
}

// InjectParameters implements the papermill convention: it finds the
// first cell tagged "parameters", reads the variables it declares (var
// declarations and := assignments, parsed with go/parser) and inserts
// right after it a code cell tagged "injected-parameters" that assigns the
// parameters, converted to the declared types:
//
//	// Parameters
//	epochs = 3
//	dataset = "mnist"
//	ks = []int{16, 32}
//
// Values are typed: integers, floats, booleans (true/false, True/False),
// strings (bare, "double-quoted" with Go escapes, or 'single-quoted'),
// JSON lists and objects for slices, arrays and maps, and durations
// ("1m30s") for time.Duration. A variable whose type cannot be inferred
// from its declaration gets the value's own type. A previous injected
// cell is replaced; a name repeated in params takes its last value.
//
// It is an error when params name a variable the parameters cell does not
// declare (the message lists those it does), when a value does not fit
// its type, and when no cell is tagged "parameters".
func InjectParameters(nb *Notebook, params []Parameter) error {
	if len(params) == 0 {
		return nil
	}
	pi := nb.CellByTag(ParametersTag)
	if pi < 0 {
		return fmt.Errorf("parameters given but no cell is tagged %q: tag the code cell that declares them (in Jupyter: the cell's property inspector, Cell Tags)", ParametersTag)
	}
	pc := nb.Cells[pi]
	where := fmt.Sprintf("the parameters cell (cell %d)", pi+1)
	if pc.Type != Code {
		return fmt.Errorf("%s is a %s cell, not a code cell", where, pc.Type)
	}
	decls, err := declarations(pc.Source)
	if err != nil {
		return fmt.Errorf("%s is not valid Go: %w", where, err)
	}

	var order []string
	values := map[string]string{}
	for _, p := range params {
		if _, dup := values[p.Name]; !dup {
			order = append(order, p.Name)
		}
		values[p.Name] = p.Value
	}
	lines := []string{"// Parameters"}
	for _, name := range order {
		d, ok := decls.byName[name]
		if !ok {
			if len(decls.names) == 0 {
				return fmt.Errorf("parameter %s: %s declares no variables", name, where)
			}
			return fmt.Errorf("parameter %s: %s does not declare it; its parameters are: %s", name, where, strings.Join(decls.names, ", "))
		}
		if d.constant {
			return fmt.Errorf("parameter %s: %s declares it as a constant; declare it with var to make it a parameter", name, where)
		}
		expr, err := convertParameter(d.typ, values[name])
		if err != nil {
			return fmt.Errorf("parameter %s=%s: %w", name, values[name], err)
		}
		lines = append(lines, name+" = "+expr)
	}

	// Drop earlier injected cells, then insert the new one after the
	// parameters cell.
	kept := nb.Cells[:0]
	for _, c := range nb.Cells {
		if !c.HasTag(InjectedParametersTag) || c == pc {
			kept = append(kept, c)
		}
	}
	for i := len(kept); i < len(nb.Cells); i++ {
		nb.Cells[i] = nil
	}
	nb.Cells = kept
	for i, c := range nb.Cells {
		if c == pc {
			pi = i
		}
	}
	seen := map[string]bool{}
	for _, c := range nb.Cells {
		seen[c.ID] = true
	}
	id := "injected-parameters"
	if seen[id] {
		id = derivedID(seen, id)
	}
	cell := &Cell{
		ID:       id,
		Type:     Code,
		Source:   strings.Join(lines, "\n"),
		Metadata: map[string]any{"tags": []any{InjectedParametersTag}},
		Outputs:  []*Output{},
		Extra:    map[string]any{},
	}
	nb.Cells = append(nb.Cells, nil)
	copy(nb.Cells[pi+2:], nb.Cells[pi+1:])
	nb.Cells[pi+1] = cell
	return nil
}

// declaration is one variable of the parameters cell.
type declaration struct {
	typ      ast.Expr // declared or inferred type; nil when unknown
	constant bool
}

// paramDecls is what the parameters cell declares, in order.
type paramDecls struct {
	names  []string
	byName map[string]declaration
}

func (d *paramDecls) add(name string, decl declaration) {
	if name == "_" {
		return
	}
	if _, dup := d.byName[name]; !dup {
		d.names = append(d.names, name)
	}
	d.byName[name] = decl
}

// declarations parses a parameters cell: as a file (var, const, import,
// func, type declarations), or else as a function body (which also allows
// := and other statements).
func declarations(src string) (*paramDecls, error) {
	d := &paramDecls{byName: map[string]declaration{}}
	fset := token.NewFileSet()
	if f, err := parser.ParseFile(fset, "", "package p\n"+src, parser.SkipObjectResolution); err == nil {
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok {
				d.genDecl(g)
			}
		}
		return d, nil
	}
	const head = "package p\nfunc _() {\n"
	f, err := parser.ParseFile(fset, "", head+src+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return nil, cellPosition(err, 2, strings.Count(src, "\n")+1)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	for _, stmt := range body.List {
		switch s := stmt.(type) {
		case *ast.DeclStmt:
			if g, ok := s.Decl.(*ast.GenDecl); ok {
				d.genDecl(g)
			}
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE {
				continue
			}
			for i, lhs := range s.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				var typ ast.Expr
				if len(s.Rhs) == len(s.Lhs) {
					typ = inferType(s.Rhs[i])
				}
				d.add(id.Name, declaration{typ: typ})
			}
		}
	}
	return d, nil
}

func (d *paramDecls) genDecl(g *ast.GenDecl) {
	if g.Tok != token.VAR && g.Tok != token.CONST {
		return
	}
	for _, spec := range g.Specs {
		vs := spec.(*ast.ValueSpec)
		for i, id := range vs.Names {
			typ := vs.Type
			if typ == nil && len(vs.Values) == len(vs.Names) {
				typ = inferType(vs.Values[i])
			}
			d.add(id.Name, declaration{typ: typ, constant: g.Tok == token.CONST})
		}
	}
}

// cellPosition turns a parse error of the wrapped source into one that
// gives the line and column in the cell, removing the lines added before it.
func cellPosition(err error, added, lines int) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return err
	}
	e := list[0]
	if line := e.Pos.Line - added; line <= lines {
		return fmt.Errorf("line %d, column %d: %s", line, e.Pos.Column, e.Msg)
	}
	return fmt.Errorf("at the end of the cell: %s", e.Msg)
}

var (
	basicTypes = map[string]bool{
		"bool": true, "string": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
		"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
		"byte": true, "rune": true, "float32": true, "float64": true, "complex64": true, "complex128": true,
	}
	durationUnits = map[string]bool{
		"Nanosecond": true, "Microsecond": true, "Millisecond": true, "Second": true, "Minute": true, "Hour": true,
	}
)

// inferType returns the type of a declaration's value expression when it
// is evident without type checking: literals, composite literals,
// conversions to basic types or time.Duration, and arithmetic on those
// (including multiples of time units); nil otherwise.
func inferType(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.INT:
			return ast.NewIdent("int")
		case token.FLOAT:
			return ast.NewIdent("float64")
		case token.IMAG:
			return ast.NewIdent("complex128")
		case token.CHAR:
			return ast.NewIdent("rune")
		case token.STRING:
			return ast.NewIdent("string")
		}
	case *ast.Ident:
		if e.Name == "true" || e.Name == "false" {
			return ast.NewIdent("bool")
		}
	case *ast.CompositeLit:
		return e.Type
	case *ast.ParenExpr:
		return inferType(e.X)
	case *ast.UnaryExpr:
		switch e.Op {
		case token.SUB, token.ADD, token.XOR:
			return inferType(e.X)
		case token.NOT:
			return ast.NewIdent("bool")
		}
	case *ast.CallExpr:
		if len(e.Args) != 1 {
			return nil
		}
		switch f := e.Fun.(type) {
		case *ast.Ident:
			if basicTypes[f.Name] {
				return f
			}
		case *ast.ArrayType, *ast.MapType:
			return f
		case *ast.SelectorExpr:
			if isTime(f, "Duration") {
				return f
			}
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && x.Name == "time" && durationUnits[e.Sel.Name] {
			return &ast.SelectorExpr{X: ast.NewIdent("time"), Sel: ast.NewIdent("Duration")}
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return ast.NewIdent("bool")
		case token.SHL, token.SHR:
			return inferType(e.X)
		}
		x, y := inferType(e.X), inferType(e.Y)
		switch {
		case x == nil || y == nil:
			return nil
		case isDuration(x):
			return x
		case isDuration(y):
			return y
		}
		xs, ys := types.ExprString(x), types.ExprString(y)
		rank := map[string]int{"rune": 1, "int": 2, "float64": 3, "complex128": 4}
		if rank[xs] > 0 && rank[ys] > 0 {
			if rank[xs] >= rank[ys] {
				return x
			}
			return y
		}
		if xs == ys {
			return x
		}
	}
	return nil
}

func isTime(s *ast.SelectorExpr, name string) bool {
	x, ok := s.X.(*ast.Ident)
	return ok && x.Name == "time" && s.Sel.Name == name
}

func isDuration(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && isTime(s, "Duration")
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

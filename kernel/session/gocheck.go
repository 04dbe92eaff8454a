package session

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Type checking of cells (go/types) for the rewrites of modern.go: range
// over an integer or a function, per-iteration loop variables, the min,
// max and clear builtins and the type arguments of generic calls.
//
// The compiled packages are known to go/types through their yaegi symbol
// tables: reflect types converted to go/types types (typesFromReflect).
// Declarations of earlier cells come from the store, variables of earlier
// statement cells from the interpreter's globals (their reflect types,
// named after the cell types they were made of). Errors are ignored: a
// node the checker could not type is left to the interpreter as it is.

// reflectImporter builds go/types packages from symbol tables, lazily, and
// keeps them: the tables of a session do not change.
type reflectImporter struct {
	tab   *tables
	mu    sync.Mutex
	pkgs  map[string]*types.Package
	named map[reflect.Type]types.Type
	// main maps reflect types of cell-declared types to their go/types
	// type while a cell is checked (set by check).
	main map[reflect.Type]types.Type
	// depth bounds the conversion of unnamed types (an interpreted
	// recursive type may look infinite through reflect).
	depth int
}

func newReflectImporter(tab *tables) *reflectImporter {
	return &reflectImporter{tab: tab, pkgs: map[string]*types.Package{}, named: map[reflect.Type]types.Type{}}
}

var errNoPackage = errors.New("package not in the symbol tables")

// Import implements types.Importer.
func (r *reflectImporter) Import(p string) (*types.Package, error) {
	name, ok := r.tab.paths[p]
	if !ok {
		return nil, fmt.Errorf("%s: %w", p, errNoPackage)
	}
	pkg := r.pkg(p, name)
	if pkg.Complete() {
		return pkg, nil
	}
	syms := r.tab.all[p+"/"+name]
	scope := pkg.Scope()
	for n, v := range syms {
		if n == "" || strings.HasPrefix(n, "_") || scope.Lookup(n) != nil || !v.IsValid() {
			continue
		}
		var obj types.Object
		switch {
		case v.Kind() == reflect.Pointer && v.IsNil():
			t := v.Type().Elem()
			if nt, ok := r.typ(t).(*types.Named); ok && t.Name() == n && t.PkgPath() == p {
				obj = nt.Obj()
			} else {
				obj = types.NewTypeName(token.NoPos, pkg, n, r.typ(t))
			}
		case v.CanAddr():
			obj = types.NewVar(token.NoPos, pkg, n, r.typ(v.Type()))
		case v.Kind() == reflect.Func:
			obj = types.NewFunc(token.NoPos, pkg, n, r.typ(v.Type()).(*types.Signature))
		default:
			obj = r.constant(pkg, n, v)
		}
		if obj != nil && obj.Type() != nil {
			scope.Insert(obj)
		}
	}
	pkg.MarkComplete()
	return pkg, nil
}

func (r *reflectImporter) pkg(p, name string) *types.Package {
	if pkg := r.pkgs[p]; pkg != nil {
		return pkg
	}
	if name == "" {
		name = r.tab.paths[p]
		if name == "" {
			name = path.Base(p)
		}
	}
	pkg := types.NewPackage(p, name)
	r.pkgs[p] = pkg
	return pkg
}

// constant converts a constant of a symbol table: a constant.Value is
// untyped, anything else has the type of its value.
func (r *reflectImporter) constant(pkg *types.Package, n string, v reflect.Value) types.Object {
	if cv, ok := v.Interface().(constant.Value); ok {
		var t types.Type
		switch cv.Kind() {
		case constant.Bool:
			t = types.Typ[types.UntypedBool]
		case constant.String:
			t = types.Typ[types.UntypedString]
		case constant.Int:
			t = types.Typ[types.UntypedInt]
		case constant.Float:
			t = types.Typ[types.UntypedFloat]
		case constant.Complex:
			t = types.Typ[types.UntypedComplex]
		default:
			return nil
		}
		return types.NewConst(token.NoPos, pkg, n, t, cv)
	}
	var cv constant.Value
	switch v.Kind() {
	case reflect.Bool:
		cv = constant.MakeBool(v.Bool())
	case reflect.String:
		cv = constant.MakeString(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		cv = constant.MakeInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		cv = constant.MakeUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		cv = constant.MakeFloat64(v.Float())
	default:
		return types.NewVar(token.NoPos, pkg, n, r.typ(v.Type()))
	}
	return types.NewConst(token.NoPos, pkg, n, r.typ(v.Type()), cv)
}

var basicKinds = map[reflect.Kind]types.BasicKind{
	reflect.Bool: types.Bool, reflect.Int: types.Int, reflect.Int8: types.Int8, reflect.Int16: types.Int16,
	reflect.Int32: types.Int32, reflect.Int64: types.Int64, reflect.Uint: types.Uint, reflect.Uint8: types.Uint8,
	reflect.Uint16: types.Uint16, reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64,
	reflect.Uintptr: types.Uintptr, reflect.Float32: types.Float32, reflect.Float64: types.Float64,
	reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128, reflect.String: types.String,
	reflect.UnsafePointer: types.UnsafePointer,
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// typ converts a reflect type.
func (r *reflectImporter) typ(t reflect.Type) types.Type {
	if mt, ok := r.main[t]; ok {
		return mt
	}
	if t == errorType {
		return types.Universe.Lookup("error").Type()
	}
	if t.Name() != "" && t.PkgPath() == "" {
		if k, ok := basicKinds[t.Kind()]; ok {
			return types.Typ[k]
		}
	}
	if t.Name() != "" && t.PkgPath() != "" && !strings.Contains(t.Name(), "[") {
		if nt, ok := r.named[t]; ok {
			return nt
		}
		pkg := r.pkg(t.PkgPath(), "")
		obj := types.NewTypeName(token.NoPos, pkg, t.Name(), nil)
		nt := types.NewNamed(obj, nil, nil)
		r.named[t] = nt
		nt.SetUnderlying(r.under(t))
		if t.Kind() != reflect.Interface {
			ptr := reflect.PointerTo(t)
			for i := 0; i < ptr.NumMethod(); i++ {
				m := ptr.Method(i)
				_, onValue := t.MethodByName(m.Name)
				var recvT types.Type = nt
				if !onValue {
					recvT = types.NewPointer(nt)
				}
				sig := r.sig(m.Type, 1, types.NewVar(token.NoPos, pkg, "", recvT))
				nt.AddMethod(types.NewFunc(token.NoPos, pkg, m.Name, sig))
			}
		}
		return nt
	}
	return r.under(t)
}

// under converts the structure of t.
func (r *reflectImporter) under(t reflect.Type) types.Type {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 64 {
		return types.Typ[types.Invalid]
	}
	switch t.Kind() {
	case reflect.Pointer:
		return types.NewPointer(r.typ(t.Elem()))
	case reflect.Slice:
		return types.NewSlice(r.typ(t.Elem()))
	case reflect.Array:
		return types.NewArray(r.typ(t.Elem()), int64(t.Len()))
	case reflect.Map:
		return types.NewMap(r.typ(t.Key()), r.typ(t.Elem()))
	case reflect.Chan:
		dir := types.SendRecv
		switch t.ChanDir() {
		case reflect.SendDir:
			dir = types.SendOnly
		case reflect.RecvDir:
			dir = types.RecvOnly
		}
		return types.NewChan(dir, r.typ(t.Elem()))
	case reflect.Func:
		return r.sig(t, 0, nil)
	case reflect.Struct:
		var fields []*types.Var
		var tags []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			var pkg *types.Package
			if f.PkgPath != "" {
				pkg = r.pkg(f.PkgPath, "")
			}
			fields = append(fields, types.NewField(token.NoPos, pkg, f.Name, r.typ(f.Type), f.Anonymous))
			tags = append(tags, string(f.Tag))
		}
		return types.NewStruct(fields, tags)
	case reflect.Interface:
		var ms []*types.Func
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			var pkg *types.Package
			if m.PkgPath != "" {
				pkg = r.pkg(m.PkgPath, "")
			}
			ms = append(ms, types.NewFunc(token.NoPos, pkg, m.Name, r.sig(m.Type, 0, nil)))
		}
		it := types.NewInterfaceType(ms, nil)
		it.Complete()
		return it
	}
	if k, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[k]
	}
	return types.Typ[types.Invalid]
}

// sig converts a func type, skipping its first skip parameters (a
// method's receiver).
func (r *reflectImporter) sig(t reflect.Type, skip int, recv *types.Var) *types.Signature {
	var params, results []*types.Var
	for i := skip; i < t.NumIn(); i++ {
		params = append(params, types.NewParam(token.NoPos, nil, "", r.typ(t.In(i))))
	}
	for i := 0; i < t.NumOut(); i++ {
		results = append(results, types.NewParam(token.NoPos, nil, "", r.typ(t.Out(i))))
	}
	return types.NewSignatureType(recv, nil, nil, types.NewTuple(params...), types.NewTuple(results...), t.IsVariadic())
}

// checked is the outcome of type-checking a cell's file.
type checked struct {
	info *types.Info
	// qualify names packages in type expressions; need collects the
	// imports those names require.
	qualify func(*types.Package) string
	need    []importSpec
}

// typeCheck type-checks f (a file of the interpreter's file set). With
// withStore, the declarations of earlier cells that f does not redeclare
// and the interpreter's variables are declared too.
func (s *Session) typeCheck(fset *token.FileSet, f *ast.File, withStore bool) *checked {
	if s.importer == nil {
		s.importer = newReflectImporter(s.tab)
	}
	r := s.importer
	r.mu.Lock()
	defer r.mu.Unlock()
	info := &types.Info{
		Types:     map[ast.Expr]types.TypeAndValue{},
		Defs:      map[*ast.Ident]types.Object{},
		Uses:      map[*ast.Ident]types.Object{},
		Instances: map[*ast.Ident]types.Instance{},
		Scopes:    map[ast.Node]*types.Scope{},
	}
	conf := &types.Config{Importer: r, GoVersion: "go1.24", Error: func(error) {}, FakeImportC: true}
	pkg := types.NewPackage("main", "main")
	chk := types.NewChecker(conf, fset, pkg, info)
	// every file sees the session's imports (yaegi shares them between
	// cells)
	var imports []ast.Spec
	seen := map[string]bool{}
	for sp := range s.imported {
		if sp.path == cellPath || seen[sp.name+" "+sp.path] {
			continue
		}
		seen[sp.name+" "+sp.path] = true
		is := &ast.ImportSpec{Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(sp.path)}}
		if sp.name != "" {
			is.Name = ast.NewIdent(sp.name)
		}
		imports = append(imports, is)
	}
	withImports := func(f *ast.File) func() {
		if len(imports) == 0 {
			return func() {}
		}
		old := f.Decls
		f.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.IMPORT, Specs: imports}}, f.Decls...)
		return func() { f.Decls = old }
	}
	var storeFile *ast.File
	base := fset.Base()
	if withStore && len(s.store.byKey) > 0 {
		own := declaredIn(f)
		var b strings.Builder
		b.WriteString("package main\n")
		for _, e := range s.store.sorted() {
			skip := own[e.key]
			for _, n := range e.names {
				skip = skip || own[n]
			}
			if !skip {
				b.WriteString(e.text + "\n")
			}
		}
		storeFile, _ = parser.ParseFile(fset, "_check.go", b.String(), parser.SkipObjectResolution)
		defer forgetFile(fset, base)
	}
	r.main = map[reflect.Type]types.Type{}
	defer func() { r.main = nil }()
	if storeFile != nil {
		restore := withImports(storeFile)
		_ = chk.Files([]*ast.File{storeFile})
		restore()
	}
	if withStore {
		s.declareGlobals(pkg, r)
	}
	restore := withImports(f)
	_ = chk.Files([]*ast.File{f})
	restore()
	c := &checked{info: info}
	c.qualify = func(p *types.Package) string {
		if p == nil || p.Path() == "main" {
			return ""
		}
		for sp := range s.imported {
			if sp.path == p.Path() && sp.name != "_" && sp.name != "." {
				if sp.name != "" {
					return sp.name
				}
				return p.Name()
			}
		}
		c.need = append(c.need, importSpec{path: p.Path()})
		return p.Name()
	}
	return c
}

// declareGlobals declares the interpreter's variables not declared by the
// store in pkg's scope, with the cell types they were made of.
func (s *Session) declareGlobals(pkg *types.Package, r *reflectImporter) {
	if s.snap != nil && s.snap.in == s.in {
		for rt, name := range s.snap.typeNames {
			if obj := pkg.Scope().Lookup(name); obj != nil {
				if _, ok := obj.(*types.TypeName); ok {
					r.main[rt] = obj.Type()
				}
			}
		}
	}
	for n, v := range safeGlobals(s.in) {
		if strings.HasPrefix(n, "_gotrann") || n == "_" || !v.IsValid() || pkg.Scope().Lookup(n) != nil {
			continue
		}
		var t types.Type
		if h := s.hints[n]; h != "" {
			if obj, ok := pkg.Scope().Lookup(strings.TrimPrefix(h, "*")).(*types.TypeName); ok {
				t = obj.Type()
				if strings.HasPrefix(h, "*") {
					t = types.NewPointer(t)
				}
			}
		}
		if t == nil {
			t = r.typ(v.Type())
		}
		if v.CanAddr() {
			pkg.Scope().Insert(types.NewVar(token.NoPos, pkg, n, t))
		}
	}
}

// declaredIn returns the names and method keys ("T.M") f declares.
func declaredIn(f *ast.File) map[string]bool {
	own := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) > 0 {
				own[recvName(d.Recv.List[0].Type)+"."+d.Name.Name] = true
			} else {
				own[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					own[sp.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						own[n.Name] = true
					}
				}
			}
		}
	}
	return own
}

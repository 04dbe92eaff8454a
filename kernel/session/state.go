package session

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// State is what a fresh session needs to take over from this one after
// its process died: the imports, the declarations and the variables'
// names and types (not their values), and the execution counter. It is
// JSON-serialisable.
type State struct {
	Imports []Import `json:"imports"`
	// Decls are the newest version of every top-level declaration, in
	// order of first definition.
	Decls []Decl `json:"decls"`
	// Vars are every global variable of the user's, declared by var or by
	// x := ... at the top level of a cell.
	Vars  []Var `json:"vars"`
	Count int   `json:"count"` // execution counter
	// Require are the session's %require pins, module@version.
	Require []string `json:"require,omitempty"`
}

// Import is one import: Name is the alias, "" for the package's name.
type Import struct {
	Name string `json:"name,omitempty"`
	Path string `json:"path"`
}

// Decl is one top-level declaration: a func, a method (Key "T.M", no
// Names), a type spec, a var spec or a const spec (or a const group using
// iota). Text is its source with a line directive that places it in its
// cell.
type Decl struct {
	Key   string   `json:"key"`
	Kind  string   `json:"kind"` // "func", "type", "var" or "const"
	Names []string `json:"names,omitempty"`
	Text  string   `json:"text"`
}

// Var is a global variable: Type is a Go type expression valid in a fresh
// session with the same imports and declarations, "" when it cannot be
// written (a value of an unnamed struct type, an unexported compiled
// type).
type Var struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

var declKinds = map[string]token.Token{"func": token.FUNC, "type": token.TYPE, "var": token.VAR, "const": token.CONST}

// State returns the session's state. It is meant to be called between
// cells (never while Execute runs), after every cell: it costs a walk over
// the global variables, and the first time per interpreter a lookup of
// each struct type declared in cells.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Count: s.count, Imports: []Import{}, Decls: []Decl{}, Vars: []Var{}, Require: s.mods.pinList()}
	owner := map[string]*declEntry{}
	for _, e := range s.store.sorted() {
		st.Decls = append(st.Decls, Decl{Key: e.key, Kind: e.kind.String(), Names: append([]string(nil), e.names...), Text: e.text})
		for _, n := range e.names {
			owner[n] = e
		}
	}
	// Nothing runs in an interpreter an interrupted cell is still blocked
	// in: it would resume that cell (see Execute).
	sn := s.snapshot(!s.executing())
	var extra []importSpec
	tw := &typeWriter{names: sn.typeNames, pkg: s.qualifier(&extra)}
	names := make([]string, 0, len(sn.globals))
	for n, v := range sn.globals {
		if strings.HasPrefix(n, "_gotrann") || n == "_" || !v.IsValid() || !v.CanAddr() {
			continue // constants are not addressable
		}
		if e := owner[n]; e != nil && e.kind != token.VAR {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		st.Vars = append(st.Vars, Var{Name: n, Type: s.varType(n, sn.globals[n].Type(), owner[n], tw)})
	}
	if sn.globalsOK {
		s.lastVars = st.Vars
	} else {
		// the interpreter cannot list its variables now: they are those
		// of the last State that could
		st.Vars = append(st.Vars, s.lastVars...)
	}
	for _, sp := range append(append([]importSpec(nil), s.imports...), extra...) {
		st.Imports = append(st.Imports, Import{Name: sp.name, Path: sp.path})
	}
	return st
}

// varType returns the type expression of the global variable n of reflect
// type t declared by e (nil for x := ...): the type its var declaration
// states, the cell type its initialiser names (T{...}, &T{...}, T(v)), or t
// written out.
func (s *Session) varType(n string, t reflect.Type, e *declEntry, tw *typeWriter) string {
	h := s.hints[n]
	if e != nil && e.kind == token.VAR {
		if e.typ != "" {
			return e.typ
		}
		h = ""
		if vs, ok := e.node.(*ast.ValueSpec); ok && len(e.names) == 1 && vs.Type == nil && len(vs.Values) == 1 {
			h = typeHint(s.store, vs.Values[0])
		}
	}
	if h != "" {
		if d := s.store.byKey[strings.TrimPrefix(h, "*")]; d != nil && d.kind == token.TYPE {
			return h
		}
	}
	if expr, ok := tw.write(t); ok {
		return expr
	}
	return ""
}

// Restore makes the session continue from st, as after a restart of its
// process: the imports, then the declarations verbatim, and every variable
// declared with its type but without running its initialiser (its value
// is the zero value: re-running `var net = train()` could repeat the very
// crash); variables whose Type is "" are left out. The execution counter
// is set to st.Count. The notes say which values were lost. Should the
// declarations fail to compile, Restore returns the error and the session
// stays as it was, usable.
func (s *Session) Restore(ctx context.Context, st State) (notes []string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("session: restore: %v", r)
		}
	}()
	s.mods.setPins(st.Require)
	store := newStore()
	fset := token.NewFileSet()
	for _, d := range st.Decls {
		kind, ok := declKinds[d.Kind]
		if !ok {
			return nil, fmt.Errorf("session: restore: declaration %q has kind %q, want func, type, var or const", d.Key, d.Kind)
		}
		src := "package main\n" + d.Text
		f, err := parser.ParseFile(fset, "_.go", src, parser.ParseComments|parser.DeclarationErrors)
		if err != nil {
			return nil, fmt.Errorf("session: restore: declaration %q: %w", d.Key, err)
		}
		if len(f.Decls) != 1 {
			return nil, fmt.Errorf("session: restore: declaration %q: want one declaration, found %d", d.Key, len(f.Decls))
		}
		es := entries(fset, src, f.Decls[0])
		if len(es) != 1 || es[0].kind != kind {
			return nil, fmt.Errorf("session: restore: declaration %q is not one %s declaration", d.Key, d.Kind)
		}
		e := es[0]
		e.text = d.Text // as it was, with its line directive
		store.put(e)
	}
	var imports []importSpec
	seen := map[importSpec]bool{}
	for _, im := range st.Imports {
		sp := importSpec{im.Name, im.Path}
		if seen[sp] {
			continue
		}
		seen[sp] = true
		if _, ok := s.tab.paths[sp.path]; !ok {
			notes = append(notes, fmt.Sprintf("note: the worker was restarted: package %q is not available and was not imported again", sp.path))
			continue
		}
		imports = append(imports, sp)
	}
	// variables: declared with their types, without initialisers
	declared := map[string]bool{}
	var vars []Var
	var undeclared []string
	for _, v := range st.Vars {
		if !token.IsIdentifier(v.Name) || declared[v.Name] {
			continue
		}
		if _, err := parser.ParseExpr(v.Type); strings.TrimSpace(v.Type) == "" || err != nil {
			undeclared = append(undeclared, v.Name)
			continue
		}
		declared[v.Name] = true
		vars = append(vars, v)
	}
	var b strings.Builder
	b.WriteString("package main\nimport (\n")
	for _, sp := range imports {
		b.WriteString(sp.name + " " + strconv.Quote(sp.path) + "\n")
	}
	b.WriteString(")\n")
	for _, e := range store.sorted() {
		if e.kind != token.VAR {
			b.WriteString(e.text + "\n")
		}
	}
	decls := b.String()
	for _, v := range vars {
		b.WriteString("var " + v.Name + " " + v.Type + "\n")
	}
	in, err := s.newInterp()
	if err != nil {
		return notes, err
	}
	if _, err := s.evalSource(ctx, in, b.String(), store, nil); err != nil {
		// Without the variables, then each variable on its own: a type
		// that cannot be declared loses only its variable.
		in, err = s.newInterp()
		if err != nil {
			return notes, err
		}
		if _, err := s.evalSource(ctx, in, decls, store, nil); err != nil {
			return notes, fmt.Errorf("session: restore: %w", err)
		}
		kept := vars[:0]
		for _, v := range vars {
			if _, err := s.evalSource(ctx, in, "package main\nvar "+v.Name+" "+v.Type+"\n", nil, nil); err != nil {
				delete(declared, v.Name)
				undeclared = append(undeclared, v.Name)
				continue
			}
			kept = append(kept, v)
		}
		vars = kept
	}
	// a var spec stays in the store only if all its names are declared
	// (so that re-running its cell assigns them); others are dropped
	for k, e := range store.byKey {
		if e.kind != token.VAR {
			continue
		}
		for _, n := range e.names {
			if !declared[n] {
				delete(store.byKey, k)
				break
			}
		}
	}
	var lost []string
	for _, v := range vars {
		lost = append(lost, v.Name)
	}
	imported := s.baseImports()
	for _, sp := range imports {
		imported[sp] = true
	}
	hints := map[string]string{}
	for _, v := range vars {
		if d := store.byKey[strings.TrimPrefix(v.Type, "*")]; d != nil && d.kind == token.TYPE {
			hints[v.Name] = v.Type
		}
	}
	s.state.Lock()
	s.in, s.store, s.imports, s.imported, s.hints = in, store, imports, imported, hints
	s.state.Unlock()
	s.count = st.Count
	s.lastVars = vars
	s.interrupted = false
	s.snap = nil
	if len(lost) > 0 {
		notes = append(notes, "note: the worker was restarted: the values of "+strings.Join(lost, ", ")+" were lost (now zero); re-run the cells that set them")
	}
	if len(undeclared) > 0 {
		notes = append(notes, "note: the worker was restarted: "+strings.Join(undeclared, ", ")+" could not be declared again (their types cannot be written); re-run the cells that define them")
	}
	return notes, nil
}

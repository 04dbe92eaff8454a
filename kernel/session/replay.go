package session

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/traefik/yaegi/interp"
)

const carryAlias = "_gotrann_carry"

// snapshot is what a replay needs of an interpreter: its variables and
// the reflect types of the struct types declared in cells. Execute takes
// one before every cell, so that the replay that abandons an interrupted
// cell still blocked in a compiled call reads nothing of the interpreter
// that cell's goroutine may still use (its frame, which yaegi resizes).
type snapshot struct {
	in      *interp.Interpreter
	globals map[string]reflect.Value
	// globalsOK is false when the interpreter could not list them (yaegi
	// can panic after a failed compile): globals is then empty.
	globalsOK bool
	// typeNames maps the reflect type of each interpreted struct type
	// to its name.
	typeNames map[reflect.Type]string
}

// takeSnapshot returns the current interpreter's snapshot. It must not be
// called while a cell may run in s.in.
func (s *Session) takeSnapshot() *snapshot { return s.snapshot(true) }

// snapshot returns the current interpreter's snapshot; without eval, it
// runs nothing in the interpreter and knows only the struct types already
// looked up.
func (s *Session) snapshot(eval bool) *snapshot {
	if s.typesIn != s.in {
		s.typesIn, s.types = s.in, map[string]reflect.Type{}
	}
	g, ok := globals(s.in)
	sn := &snapshot{in: s.in, globals: g, globalsOK: ok, typeNames: map[reflect.Type]string{}}
	for _, e := range s.store.sorted() {
		if e.kind != token.TYPE {
			continue
		}
		t, seen := s.types[e.key]
		if !seen && eval {
			// once per type and interpreter: a redefined type makes a
			// new interpreter
			t, _ = s.reflectType(context.Background(), s.in, e.key)
			s.types[e.key] = t
		}
		if t != nil && t.Kind() == reflect.Struct {
			if _, dup := sn.typeNames[t]; !dup {
				sn.typeNames[t] = e.key
			}
		}
	}
	return sn
}

// replay builds a fresh interpreter from st (imports, then every
// declaration as one file, so order does not matter), carries the values
// of variables across, and replaces the session's interpreter and store on
// success. Names in redefined get their new declaration's value. The notes
// say which values could not be carried. With a snapshot of the current
// interpreter, the values are taken from it and the interpreter is not
// touched; without, a snapshot is taken now.
func (s *Session) replay(ctx context.Context, st *store, redefined map[string]bool, sn *snapshot) (notes []string, err error) {
	if sn == nil || sn.in != s.in {
		sn = s.takeSnapshot()
	}
	oldGlobals := sn.globals
	// a variable of an interpreted struct type is declared with its name
	typeNames := sn.typeNames
	consts := map[string]bool{}
	for _, e := range st.byKey {
		if e.kind == token.CONST || e.kind == token.FUNC {
			for _, n := range e.names {
				consts[n] = true
			}
		}
	}
	storeVar := map[string]*declEntry{}
	for _, e := range st.byKey {
		if e.kind == token.VAR {
			for _, n := range e.names {
				storeVar[n] = e
			}
		}
	}
	type carried struct {
		name string
		old  reflect.Value
		decl string // var declaration in the replay file, "" if by the store
	}
	var plan []carried
	var extra []importSpec // packages the carried types need
	tw := &typeWriter{names: typeNames, pkg: s.qualifier(&extra)}
	carryPkg := map[string]reflect.Value{}
	names := make([]string, 0, len(oldGlobals))
	for n := range oldGlobals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := oldGlobals[n]
		if redefined[n] || consts[n] || strings.HasPrefix(n, "_gotrann") || !v.IsValid() {
			continue
		}
		if se := s.store.owner(n); se != nil && se.kind == token.CONST {
			continue
		}
		t := v.Type()
		h := s.hints[n]
		if e := storeVar[n]; e != nil && len(e.names) == 1 {
			if vs, ok := e.node.(*ast.ValueSpec); ok && vs.Type == nil && len(vs.Values) == 1 {
				h = typeHint(st, vs.Values[0])
			} else {
				h = ""
			}
		}
		if h != "" && st.byKey[strings.TrimPrefix(h, "*")] != nil {
			if e := st.byKey[strings.TrimPrefix(h, "*")]; e.kind == token.TYPE {
				plan = append(plan, carried{n, v, "var " + n + " " + h})
				continue
			}
		}
		if containsNamed(t, typeNames) {
			if expr, ok := tw.write(t); ok {
				plan = append(plan, carried{n, v, "var " + n + " " + expr})
				continue
			}
		}
		if !hasInterpreted(t) {
			p := reflect.New(t)
			p.Elem().Set(v)
			carryPkg[n] = p.Elem() // binary variables are addressable values
			plan = append(plan, carried{n, reflect.Value{}, "var " + n + " = " + carryAlias + "." + n})
			if t.Kind() == reflect.Func && !v.IsNil() {
				notes = append(notes, fmt.Sprintf("note: %s is a func value: it keeps the code it had before the redefinition", n))
			} else if t.Kind() == reflect.Interface && !v.IsNil() && hasInterpreted(v.Elem().Type()) {
				notes = append(notes, fmt.Sprintf("note: %s holds a value of an earlier type definition: its methods keep their old code; re-run the cell that sets it", n))
			}
			continue
		}
		if storeVar[n] != nil {
			plan = append(plan, carried{n, v, ""})
			continue
		}
		notes = append(notes, fmt.Sprintf("note: the value of %s (%s) could not be carried over to the new definitions; re-run the cell that defines it", n, t))
	}
	// var specs whose names are all carried by a declaration are replaced.
	replaced := map[string]bool{}
	for _, p := range plan {
		if p.decl != "" {
			replaced[p.name] = true
		}
	}
	var b strings.Builder
	b.WriteString("package main\nimport (\n")
	b.WriteString(carryAlias + " \"gotrann.internal/carry\"\n")
	imports := append(append([]importSpec(nil), s.imports...), extra...)
	for _, sp := range imports {
		b.WriteString(sp.name + " " + strconv.Quote(sp.path) + "\n")
	}
	b.WriteString(")\n")
	declared := map[string]bool{}
	for _, e := range st.sorted() {
		if e.kind == token.VAR {
			all := true
			for _, n := range e.names {
				all = all && replaced[n]
			}
			if all {
				continue
			}
			for _, n := range e.names {
				declared[n] = true
			}
		}
		b.WriteString(e.text + "\n")
	}
	for _, p := range plan {
		if p.decl != "" && !declared[p.name] {
			b.WriteString(p.decl + "\n")
		}
	}
	in, err := s.newInterp()
	if err != nil {
		return notes, err
	}
	if err := in.Use(interp.Exports{"gotrann.internal/carry/carry": carryPkg}); err != nil {
		return notes, err
	}
	if _, err := s.evalSource(ctx, in, b.String(), st, oldGlobals); err != nil {
		return nil, err
	}
	newGlobals := safeGlobals(in)
	// one copier for all: values that shared memory keep sharing it;
	// struct variables first, so that pointers to them point at the new
	// variables
	cp := newCopier()
	sort.SliceStable(plan, func(i, j int) bool {
		return plan[i].old.IsValid() && plan[i].old.Kind() == reflect.Struct &&
			!(plan[j].old.IsValid() && plan[j].old.Kind() == reflect.Struct)
	})
	for _, p := range plan {
		if !p.old.IsValid() {
			continue
		}
		dst, ok := newGlobals[p.name]
		if !ok || !cp.copy(dst, p.old) {
			if declared[p.name] {
				notes = append(notes, fmt.Sprintf("note: %s was re-initialised: its value could not be carried over to the new definitions", p.name))
			} else {
				notes = append(notes, fmt.Sprintf("note: the value of %s could not be carried over to the new definitions", p.name))
			}
		}
	}
	imported := s.baseImports()
	for _, sp := range imports {
		imported[sp] = true
	}
	s.state.Lock()
	s.in, s.store, s.imported, s.imports = in, st, imported, imports
	s.state.Unlock()
	// the cell goes on in the new interpreter: its snapshot is the one an
	// interrupt of the rest of the cell needs
	s.snap = s.takeSnapshot()
	return notes, nil
}

// reflectType returns the reflect type of the interpreted type name in in.
func (s *Session) reflectType(ctx context.Context, in *interp.Interpreter, name string) (reflect.Type, bool) {
	s.val.Lock()
	s.val.v, s.val.ok = nil, false
	s.val.Unlock()
	compiling.Add(1)
	_, err := in.EvalWithContext(ctx, cellAlias+".Set((*"+name+")(nil))")
	compiling.Add(-1)
	if err != nil {
		return nil, false
	}
	s.val.Lock()
	got := s.val.v
	s.val.Unlock()
	if got == nil {
		return nil, false
	}
	t := reflect.TypeOf(got)
	if t.Kind() != reflect.Pointer {
		return nil, false
	}
	return t.Elem(), true
}

// containsNamed reports whether t mentions an interpreted named type.
func containsNamed(t reflect.Type, names map[reflect.Type]string) bool {
	if _, ok := names[t]; ok {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return containsNamed(t.Elem(), names)
	case reflect.Map:
		return containsNamed(t.Key(), names) || containsNamed(t.Elem(), names)
	}
	return false
}

// hasInterpreted reports whether t contains an unnamed struct type, which
// is how the interpreter's own types look in reflect.
func hasInterpreted(t reflect.Type) bool {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type) bool
	walk = func(t reflect.Type) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Struct:
			if t.Name() == "" {
				return true
			}
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			return walk(t.Elem())
		case reflect.Map:
			return walk(t.Key()) || walk(t.Elem())
		}
		return false
	}
	return walk(t)
}

// copier copies values of old types into values of new types (replay),
// field by field between struct types with the same field names. Like
// reflect.DeepEqual, it keeps a visited map keyed by (pointer, type): a
// cyclic value (n.Next = n) is copied once and stays cyclic, and two
// pointers, maps or slices that shared memory before share it after,
// across all the variables copied by one copier.
type copier struct {
	seen map[visit]reflect.Value
}

// visit is a reference met in the source, and the destination type it
// was copied to.
type visit struct {
	ptr      uintptr
	src, dst reflect.Type
	n        int // length of a slice (0 otherwise)
}

func newCopier() *copier { return &copier{seen: map[visit]reflect.Value{}} }

// copy copies src into the settable dst. It reports false when nothing
// sensible could be copied.
func (c *copier) copy(dst, src reflect.Value) bool {
	if !src.IsValid() {
		return false
	}
	dst = writable(dst)
	if src.Type() == dst.Type() {
		switch {
		case src.Kind() == reflect.Pointer && !src.IsNil():
			// a pointer to a variable copied before points at the copy
			if p, ok := c.seen[visit{ptr: src.Pointer(), src: src.Type().Elem(), dst: dst.Type().Elem()}]; ok {
				dst.Set(p)
				return true
			}
		case src.CanAddr() && dst.CanAddr():
			k := visit{ptr: src.UnsafeAddr(), src: src.Type(), dst: dst.Type()}
			if _, ok := c.seen[k]; !ok {
				c.seen[k] = dst.Addr()
			}
		}
		dst.Set(src)
		return true
	}
	switch dst.Kind() {
	case reflect.Struct:
		if src.Kind() != reflect.Struct {
			return false
		}
		if !src.CanAddr() {
			cp := reflect.New(src.Type()).Elem()
			cp.Set(src)
			src = cp
		} else if dst.CanAddr() {
			// a pointer to this struct met later points at its copy
			k := visit{ptr: src.UnsafeAddr(), src: src.Type(), dst: dst.Type()}
			if _, ok := c.seen[k]; !ok {
				c.seen[k] = dst.Addr()
			}
		}
		any := false
		for i := 0; i < dst.NumField(); i++ {
			f := dst.Type().Field(i)
			sf := src.FieldByName(f.Name)
			if !sf.IsValid() {
				continue
			}
			if c.copy(dst.Field(i), writable(sf)) {
				any = true
			}
		}
		return any || dst.NumField() == 0
	case reflect.Pointer:
		if src.Kind() != reflect.Pointer {
			return false
		}
		if src.IsNil() {
			dst.Set(reflect.Zero(dst.Type()))
			return true
		}
		k := visit{ptr: src.Pointer(), src: src.Type().Elem(), dst: dst.Type().Elem()}
		if p, ok := c.seen[k]; ok {
			dst.Set(p)
			return true
		}
		p := reflect.New(dst.Type().Elem())
		c.seen[k] = p // before the element: a cycle leads back here
		if !c.copy(p.Elem(), src.Elem()) {
			delete(c.seen, k)
			return false
		}
		dst.Set(p)
		return true
	case reflect.Slice:
		if src.Kind() != reflect.Slice && src.Kind() != reflect.Array {
			return false
		}
		if src.Kind() == reflect.Slice && src.IsNil() {
			dst.Set(reflect.Zero(dst.Type()))
			return true
		}
		var k visit
		if src.Kind() == reflect.Slice && src.Len() > 0 {
			k = visit{ptr: src.Pointer(), src: src.Type(), dst: dst.Type(), n: src.Len()}
			if d, ok := c.seen[k]; ok {
				dst.Set(d)
				return true
			}
		}
		d := reflect.MakeSlice(dst.Type(), src.Len(), src.Len())
		if k.ptr != 0 {
			c.seen[k] = d
		}
		for i := 0; i < src.Len(); i++ {
			if !c.copy(d.Index(i), src.Index(i)) {
				if k.ptr != 0 {
					delete(c.seen, k)
				}
				return false
			}
		}
		dst.Set(d)
		return true
	case reflect.Array:
		if src.Kind() != reflect.Array || src.Len() != dst.Len() {
			return false
		}
		for i := 0; i < src.Len(); i++ {
			if !c.copy(dst.Index(i), src.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if src.Kind() != reflect.Map {
			return false
		}
		if src.IsNil() {
			dst.Set(reflect.Zero(dst.Type()))
			return true
		}
		k := visit{ptr: src.Pointer(), src: src.Type(), dst: dst.Type()}
		if m, ok := c.seen[k]; ok {
			dst.Set(m)
			return true
		}
		m := reflect.MakeMapWithSize(dst.Type(), src.Len())
		c.seen[k] = m
		it := src.MapRange()
		for it.Next() {
			kv := reflect.New(dst.Type().Key()).Elem()
			v := reflect.New(dst.Type().Elem()).Elem()
			if !c.copy(kv, it.Key()) || !c.copy(v, it.Value()) {
				delete(c.seen, k)
				return false
			}
			m.SetMapIndex(kv, v)
		}
		dst.Set(m)
		return true
	}
	if src.Type().ConvertibleTo(dst.Type()) && src.Kind() == dst.Kind() {
		dst.Set(src.Convert(dst.Type()))
		return true
	}
	return false
}

// writable returns v made settable when it is addressable but was reached
// through unexported fields (the interpreter names fields as written).
func writable(v reflect.Value) reflect.Value {
	if v.CanSet() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

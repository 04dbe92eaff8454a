package session

import (
	"context"
	"errors"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/kernel/nb"
)

// Import paths of the packages the session binds to itself.
const (
	displayPath = "github.com/trannsformer/gotrann/display"
	nbPath      = "github.com/trannsformer/gotrann/kernel/nb"
	// cellPath is the session's private package: it receives the cell's
	// value and the panics of goroutines. Cells never see it by name.
	cellPath  = "gotrann.internal/cellrt"
	cellAlias = "_gotrann_rt"
)

// tables holds the symbol tables of one session, with display and nb bound
// to it, and the package-name index used for automatic imports.
type tables struct {
	all    interp.Exports    // every table, stdlib first
	byName map[string]string // package name -> import path (goimports' choice)
	paths  map[string]string // import path -> package name
}

// cellRuntime is what the private package gives interpreted code.
type cellRuntime struct {
	setValue  func(v any)
	goPanic   func(v any)
	deferCall func(f func())
	runDefers func()
}

func newTables(pre interp.Exports, d *display.Display, ctx func() context.Context, rt cellRuntime) *tables {
	t := &tables{all: interp.Exports{}, byName: map[string]string{}, paths: map[string]string{}}
	std := stdlib.Symbols
	for k, v := range std {
		t.all[k] = v
	}
	// time.AfterFunc and context.AfterFunc run their callback in a
	// goroutine of their own: a panic there is recovered and reported as a
	// goroutine's. Goexit
	// ends the cell (or the goroutine) with a panic the session knows.
	// (copies: stdlib.Symbols is shared by every interpreter)
	override := func(k string, m map[string]reflect.Value) {
		c := make(map[string]reflect.Value, len(t.all[k])+len(m))
		for n, v := range t.all[k] {
			c[n] = v
		}
		for n, v := range m {
			c[n] = v
		}
		t.all[k] = c
	}
	guard := func(f func()) func() {
		return func() {
			defer func() {
				if r := recover(); r != nil {
					rt.goPanic(r)
				}
			}()
			f()
		}
	}
	override("time/time", map[string]reflect.Value{
		"AfterFunc": reflect.ValueOf(func(d time.Duration, f func()) *time.Timer {
			return time.AfterFunc(d, guard(f))
		}),
	})
	override("context/context", map[string]reflect.Value{
		"AfterFunc": reflect.ValueOf(func(ctx context.Context, f func()) (stop func() bool) {
			return context.AfterFunc(ctx, guard(f))
		}),
	})
	override("runtime/runtime", map[string]reflect.Value{
		"Goexit": reflect.ValueOf(goexit),
	})
	for k, v := range pre {
		m := make(map[string]reflect.Value, len(v))
		for n, s := range v {
			m[n] = s
		}
		t.all[k] = m
	}
	// display: package-level functions that are methods of *Display are
	// bound to this session's Display.
	dk := displayPath + "/display"
	dm := t.all[dk]
	fromTable := dm != nil
	if dm == nil {
		// kernel/symbols has no display table: make the entries that
		// exist, and every method of *Display as a package function.
		dm = map[string]reflect.Value{
			"Render":  reflect.ValueOf(display.Render),
			"New":     reflect.ValueOf(display.New),
			"Bundle":  reflect.ValueOf((*display.Bundle)(nil)),
			"Sink":    reflect.ValueOf((*display.Sink)(nil)),
			"Display": reflect.ValueOf((*display.Display)(nil)),
		}
		t.all[dk] = dm
	}
	dv := reflect.ValueOf(d)
	for i := 0; i < dv.NumMethod(); i++ {
		name := dv.Type().Method(i).Name
		old, ok := dm[name]
		if ok && old.Kind() == reflect.Func || !ok && !fromTable {
			dm[name] = dv.Method(i)
		}
	}
	if old, ok := dm["Default"]; ok && old.Kind() == reflect.Func {
		dm["Default"] = reflect.ValueOf(func() *display.Display { return d })
	}
	// nb: closures over the session.
	nk := nbPath + "/nb"
	nm := t.all[nk]
	if nm == nil {
		nm = map[string]reflect.Value{}
		t.all[nk] = nm
	}
	_ = nb.Context // the compiled default; the session's binding replaces it
	nm["Context"] = reflect.ValueOf(ctx)
	t.all[cellPath+"/cellrt"] = map[string]reflect.Value{
		"Set":       reflect.ValueOf(rt.setValue),
		"GoPanic":   reflect.ValueOf(rt.goPanic),
		"Defer":     reflect.ValueOf(rt.deferCall),
		"RunDefers": reflect.ValueOf(rt.runDefers),
		// RenderParts for the rich wrapper of values of cell types (rich.go)
		"RenderParts": reflect.ValueOf(display.RenderParts),
	}

	// Package names: stdlib first, shortest path first, then the rest.
	keys := make([]string, 0, len(t.all))
	for k := range t.all {
		keys = append(keys, k)
	}
	isStd := func(k string) bool { _, ok := std[k]; return ok }
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if isStd(a) != isStd(b) {
			return isStd(a)
		}
		if pa, pb := preferred[path.Dir(a)], preferred[path.Dir(b)]; pa != pb {
			return pa
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	for _, k := range keys {
		p, name := path.Dir(k), path.Base(k)
		t.paths[p] = name
		if strings.HasPrefix(p, "gotrann.internal/") || strings.Contains(p, "internal") {
			continue
		}
		if _, ok := t.byName[name]; !ok {
			t.byName[name] = p
		}
	}
	return t
}

// errGoexit is what runtime.Goexit panics with in interpreted code: yaegi
// runs a cell in a goroutine of its own, which a real Goexit would end
// without a word, leaving the rest of the cell to run as if nothing
// happened. The cell ends with a Goexit error instead; in a goroutine the
// cell started, the goroutine just ends.
var errGoexit = errors.New("runtime.Goexit was called")

func goexit() { panic(errGoexit) }

// preferred wins a package-name collision, as goimports would choose.
var preferred = map[string]bool{"math/rand": true, "text/template": true}

// lookup returns a package member's value.
func (t *tables) member(path, name string) (reflect.Value, bool) {
	v, ok := t.all[path+"/"+t.paths[path]][name]
	return v, ok
}

// members returns the exported names of a package.
func (t *tables) members(path string) []string {
	m := t.all[path+"/"+t.paths[path]]
	out := make([]string, 0, len(m))
	for n := range m {
		if n != "" && n[0] >= 'A' && n[0] <= 'Z' && !strings.HasPrefix(n, "_") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

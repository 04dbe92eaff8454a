package session

import (
	"reflect"
	"strconv"
	"strings"
)

// typeWriter writes reflect types as Go type expressions that are valid in
// a session: interpreted struct types by the names they were declared
// with (reflect shows them as unnamed structs), compiled named types
// qualified with the name their package is imported under.
type typeWriter struct {
	names map[reflect.Type]string
	// pkg returns the name to qualify a type of the package with import
	// path p, "" when the package cannot be named.
	pkg func(p string) string
}

// write returns t as a type expression; ok is false when t cannot be
// written (an unnamed struct that is no declared type, an unexported or
// generic compiled type, an interface literal with methods).
func (w *typeWriter) write(t reflect.Type) (string, bool) {
	if n, ok := w.names[t]; ok {
		return n, true
	}
	if name := t.Name(); name != "" {
		if t.PkgPath() == "" {
			return name, true // predeclared: int, string, error, ...
		}
		if strings.ContainsAny(name, "[.") || !isExported(name) || w.pkg == nil {
			return "", false
		}
		q := w.pkg(t.PkgPath())
		if q == "" {
			return "", false
		}
		return q + "." + name, true
	}
	switch t.Kind() {
	case reflect.Pointer:
		e, ok := w.write(t.Elem())
		return "*" + e, ok
	case reflect.Slice:
		e, ok := w.write(t.Elem())
		return "[]" + e, ok
	case reflect.Array:
		e, ok := w.write(t.Elem())
		return "[" + strconv.Itoa(t.Len()) + "]" + e, ok
	case reflect.Map:
		k, ok1 := w.write(t.Key())
		e, ok2 := w.write(t.Elem())
		return "map[" + k + "]" + e, ok1 && ok2
	case reflect.Chan:
		e, ok := w.write(t.Elem())
		switch t.ChanDir() {
		case reflect.RecvDir:
			return "<-chan " + e, ok
		case reflect.SendDir:
			return "chan<- " + e, ok
		}
		if t.Elem().Kind() == reflect.Chan && t.Elem().ChanDir() == reflect.RecvDir {
			e = "(" + e + ")"
		}
		return "chan " + e, ok
	case reflect.Func:
		var b strings.Builder
		b.WriteString("func(")
		for i := 0; i < t.NumIn(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			in := t.In(i)
			if t.IsVariadic() && i == t.NumIn()-1 {
				b.WriteString("...")
				in = in.Elem()
			}
			e, ok := w.write(in)
			if !ok {
				return "", false
			}
			b.WriteString(e)
		}
		b.WriteString(")")
		if t.NumOut() > 0 {
			var outs []string
			for i := 0; i < t.NumOut(); i++ {
				e, ok := w.write(t.Out(i))
				if !ok {
					return "", false
				}
				outs = append(outs, e)
			}
			if len(outs) == 1 {
				b.WriteString(" " + outs[0])
			} else {
				b.WriteString(" (" + strings.Join(outs, ", ") + ")")
			}
		}
		return b.String(), true
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "interface{}", true
		}
	}
	return "", false
}

func isExported(name string) bool { return name != "" && name[0] >= 'A' && name[0] <= 'Z' }

// qualifier returns a typeWriter.pkg for the session's imports: the alias
// or package name of an imported package; a package that is available but
// not imported is named by its package name and appended to *extra,
// unless that name is taken.
func (s *Session) qualifier(extra *[]importSpec) func(string) string {
	return func(p string) string {
		for _, sp := range s.imports {
			if sp.path == p && sp.name != "_" && sp.name != "." {
				if sp.name != "" {
					return sp.name
				}
				return s.tab.paths[p]
			}
		}
		for sp := range s.baseImports() {
			if sp.path == p && sp.name == "" {
				return s.tab.paths[p]
			}
		}
		n, ok := s.tab.paths[p]
		if !ok || strings.HasPrefix(p, "gotrann.internal/") {
			return ""
		}
		for _, sp := range s.imports {
			if sp.name == n || sp.name == "" && s.tab.paths[sp.path] == n {
				return "" // the name is another package's
			}
		}
		if s.store.owner(n) != nil {
			return ""
		}
		if extra != nil {
			for _, sp := range *extra {
				if sp.path == p {
					return n
				}
			}
			*extra = append(*extra, importSpec{"", p})
		}
		return n
	}
}

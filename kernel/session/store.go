package session

import (
	"go/ast"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// declEntry is one top-level declaration the user made: a func, a method,
// one type spec, or one var or const spec.
type declEntry struct {
	key   string      // "f", "T", "T.M" for methods, "a,b" for var a, b
	kind  token.Token // FUNC, TYPE, VAR, CONST
	names []string    // names it declares (for methods: none)
	text  string      // source text with its /*line*/ directive
	raw   string      // source text without it, for comparison
	node  ast.Node    // *ast.FuncDecl, *ast.TypeSpec or *ast.ValueSpec
	doc   string
	// values is "e1, e2" for a var spec with initialisers.
	values string
	typ    string // explicit type of a var spec, "" if none
	seq    int    // order of first definition
}

// store holds the newest version of every declaration, keyed by name (and
// methods by receiver type and name). It is replayed into a fresh
// interpreter when something already defined is redefined.
type store struct {
	byKey map[string]*declEntry
	seq   int
}

func newStore() *store { return &store{byKey: map[string]*declEntry{}} }

func (s *store) clone() *store {
	c := &store{byKey: make(map[string]*declEntry, len(s.byKey)), seq: s.seq}
	for k, v := range s.byKey {
		c.byKey[k] = v
	}
	return c
}

// put adds or replaces e, keeping the first definition's order. A var or
// const spec that declares a name owned by another spec removes that name's
// old spec.
func (s *store) put(e *declEntry) {
	if old, ok := s.byKey[e.key]; ok {
		e.seq = old.seq
	} else {
		s.seq++
		e.seq = s.seq
	}
	for _, n := range e.names {
		if o := s.owner(n); o != nil && o.key != e.key {
			delete(s.byKey, o.key)
		}
	}
	s.byKey[e.key] = e
}

// owner returns the entry declaring the package-level name n.
func (s *store) owner(n string) *declEntry {
	for _, e := range s.byKey {
		for _, m := range e.names {
			if m == n {
				return e
			}
		}
	}
	return nil
}

// sorted returns the entries in order of first definition.
func (s *store) sorted() []*declEntry {
	out := make([]*declEntry, 0, len(s.byKey))
	for _, e := range s.byKey {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// entries cuts a parsed declaration into store entries. src is the text
// the declaration was parsed from (with fset positions relative to it).
func entries(fset *token.FileSet, src string, d ast.Decl) []*declEntry {
	off := func(p token.Pos) int { return fset.File(p).Offset(p) }
	text := func(from, to token.Pos) string { return src[off(from):off(to)] }
	directive := func(p token.Pos) string {
		pos := fset.Position(p)
		return "/*line " + pos.Filename + ":" + itoa(pos.Line) + ":" + itoa(pos.Column) + "*/"
	}
	switch d := d.(type) {
	case *ast.FuncDecl:
		e := &declEntry{kind: token.FUNC, key: d.Name.Name, node: d}
		if d.Recv != nil && len(d.Recv.List) > 0 {
			e.key = recvName(d.Recv.List[0].Type) + "." + d.Name.Name
		} else {
			e.names = []string{d.Name.Name}
		}
		e.raw = text(d.Pos(), d.End())
		e.text = directive(d.Pos()) + e.raw
		e.doc = d.Doc.Text()
		if e.doc == "" || strings.HasPrefix(e.doc, "line ") {
			e.doc = precedingComment(src, off(d.Pos()))
		}
		return []*declEntry{e}
	case *ast.GenDecl:
		var out []*declEntry
		for _, sp := range d.Specs {
			e := &declEntry{kind: d.Tok, node: sp}
			var body string
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				e.key = sp.Name.Name
				e.names = []string{sp.Name.Name}
				e.doc = sp.Doc.Text()
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					e.names = append(e.names, n.Name)
				}
				e.key = strings.Join(e.names, ",")
				e.doc = sp.Doc.Text()
				if len(sp.Values) > 0 {
					e.values = text(sp.Values[0].Pos(), sp.Values[len(sp.Values)-1].End())
				}
				if sp.Type != nil {
					e.typ = text(sp.Type.Pos(), sp.Type.End())
				}
				if d.Tok == token.CONST && len(sp.Values) == 0 {
					// an iota continuation: keep the whole group together
					e.key = ""
				}
			}
			if e.doc == "" && len(d.Specs) == 1 {
				e.doc = d.Doc.Text()
				if e.doc == "" || strings.HasPrefix(e.doc, "line ") {
					e.doc = precedingComment(src, off(d.Pos()))
				}
			}
			body = text(sp.Pos(), sp.End())
			e.raw = d.Tok.String() + " " + body
			e.text = d.Tok.String() + " " + directive(sp.Pos()) + body
			out = append(out, e)
		}
		// const groups using iota continuation lines stay one entry.
		for _, e := range out {
			if e.key == "" {
				var names []string
				for _, x := range out {
					names = append(names, x.names...)
				}
				whole := &declEntry{kind: d.Tok, key: strings.Join(names, ","), names: names, node: d,
					raw: text(d.Pos(), d.End()), doc: d.Doc.Text()}
				whole.text = directive(d.Pos()) + whole.raw
				return []*declEntry{whole}
			}
		}
		return out
	}
	return nil
}

func recvName(x ast.Expr) string {
	switch t := x.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.ParenExpr:
		return recvName(t.X)
	}
	return "?"
}

func itoa(i int) string { return strconv.Itoa(i) }

// precedingComment returns the // comment lines right before offset off.
func precedingComment(src string, off int) string {
	lines := strings.Split(src[:off], "\n")
	var doc []string
	for i := len(lines) - 2; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if j := strings.LastIndex(l, "*/"); strings.HasPrefix(l, "package main;/*line") && j >= 0 {
			l = strings.TrimSpace(l[j+2:])
		}
		if !strings.HasPrefix(l, "//") {
			break
		}
		doc = append([]string{strings.TrimSpace(strings.TrimPrefix(l, "//"))}, doc...)
	}
	if len(doc) == 0 {
		return ""
	}
	return strings.Join(doc, "\n") + "\n"
}

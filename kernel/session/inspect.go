package session

import (
	"go/ast"
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"unicode"
)

// identAt returns the dotted identifier around cursor (a rune index) in
// code: qualifier ("fmt" in "fmt.Pri"), the word, and the rune range of the
// word.
func identAt(code string, cursor int, extend bool) (qual, word string, start, end int) {
	rs := []rune(code)
	if cursor > len(rs) {
		cursor = len(rs)
	}
	isID := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	start = cursor
	for start > 0 && isID(rs[start-1]) {
		start--
	}
	end = cursor
	if extend {
		for end < len(rs) && isID(rs[end]) {
			end++
		}
	}
	word = string(rs[start:end])
	if start > 0 && rs[start-1] == '.' {
		q := start - 1
		for q > 0 && isID(rs[q-1]) {
			q--
		}
		qual = string(rs[q : start-1])
	}
	return qual, word, start, end
}

var keywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package",
	"range", "return", "select", "struct", "switch", "type", "var"}

var predeclared = []string{"any", "bool", "byte", "comparable", "complex64", "complex128", "error",
	"float32", "float64", "int", "int8", "int16", "int32", "int64", "rune", "string", "uint",
	"uint8", "uint16", "uint32", "uint64", "uintptr", "true", "false", "iota", "nil",
	"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max",
	"min", "new", "panic", "print", "println", "real", "recover"}

// Complete returns completion matches for code at cursor (in code points)
// and the range [start, end) of code points they replace.
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	s.state.RLock()
	defer s.state.RUnlock()
	qual, word, start, end := identAt(code, cursor, false)
	if m, st, ok := magicCompletion(code, cursor); ok {
		return m, st, cursor
	}
	var cands []string
	if qual != "" {
		cands = s.memberNames(qual)
	} else {
		// the keys of a composite literal: Pt{Xc, image.Rectangle{Mi
		cands = append(cands, s.literalFields(string([]rune(code)[:start]))...)
		cands = append(cands, keywords...)
		cands = append(cands, predeclared...)
		for name := range s.tab.byName {
			cands = append(cands, name)
		}
		for _, e := range s.store.sorted() {
			cands = append(cands, e.names...)
		}
		for n := range safeGlobals(s.in) {
			cands = append(cands, n)
		}
		for _, id := range codeIdents(code) {
			if id != word {
				cands = append(cands, id)
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, word) && !seen[c] && !strings.HasPrefix(c, "_gotrann") {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, start, end
}

// memberNames lists what may follow "qual.": package members, or the
// fields and methods of a variable's type.
func (s *Session) memberNames(qual string) []string {
	if v, ok := safeGlobals(s.in)[qual]; ok && v.IsValid() {
		return typeMembers(v.Type(), s.structFields(v.Type()))
	}
	if p, ok := s.packagePath(qual); ok {
		return s.tab.members(p)
	}
	return nil
}

// structFields returns the fields (as declared) and methods of the
// cell-declared struct type whose reflect type is t, or nil.
func (s *Session) structFields(t reflect.Type) []string {
	ts := s.structDecl(t)
	if ts == nil {
		return nil
	}
	var out []string
	for _, f := range ts.Type.(*ast.StructType).Fields.List {
		for _, n := range f.Names {
			out = append(out, n.Name)
		}
		if len(f.Names) == 0 {
			out = append(out, recvName(f.Type))
		}
	}
	for k := range s.store.byKey {
		if strings.HasPrefix(k, ts.Name.Name+".") {
			out = append(out, strings.TrimPrefix(k, ts.Name.Name+"."))
		}
	}
	return out
}

// structDecl finds the declaration of the cell-declared struct type whose
// reflect type (or pointer to it) is t. The interpreter's reflect types are
// unnamed structs whose unexported fields get an "X" prefix.
func (s *Session) structDecl(t reflect.Type) *ast.TypeSpec {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.Name() != "" {
		return nil
	}
	for _, e := range s.store.sorted() {
		ts, ok := e.node.(*ast.TypeSpec)
		if !ok {
			continue
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		var names []string
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
			if len(f.Names) == 0 {
				names = append(names, recvName(f.Type))
			}
		}
		if len(names) != t.NumField() {
			continue
		}
		match := true
		for i, n := range names {
			rn := t.Field(i).Name
			if rn != n && rn != "X"+n {
				match = false
				break
			}
		}
		if match {
			return ts
		}
	}
	return nil
}

func typeMembers(t reflect.Type, extra []string) []string {
	out := append([]string(nil), extra...)
	for _, tt := range []reflect.Type{t, reflect.PointerTo(t)} {
		for i := 0; i < tt.NumMethod(); i++ {
			out = append(out, tt.Method(i).Name)
		}
	}
	b := t
	for b.Kind() == reflect.Pointer {
		b = b.Elem()
	}
	if b.Kind() == reflect.Struct && extra == nil {
		for i := 0; i < b.NumField(); i++ {
			if b.Field(i).IsExported() {
				out = append(out, b.Field(i).Name)
			}
		}
	}
	return out
}

// packagePath resolves a package name as a cell would.
func (s *Session) packagePath(name string) (string, bool) {
	for sp := range s.imported {
		if sp.name == name {
			return sp.path, true
		}
	}
	p, ok := s.tab.byName[name]
	return p, ok
}

// Inspect returns documentation for the name at cursor: a MIME bundle
// (text/plain, and text/markdown or text/html) and whether it was found.
func (s *Session) Inspect(code string, cursor, detail int) (data map[string]any, found bool) {
	s.state.RLock()
	defer s.state.RUnlock()
	qual, word, _, _ := identAt(code, cursor, true)
	if word == "" {
		// cursor right after "f(": inspect the called name
		rs := []rune(code)
		c := cursor
		for c > 0 && c <= len(rs) && (rs[c-1] == '(' || rs[c-1] == ' ') {
			c--
		}
		qual, word, _, _ = identAt(code, c, false)
	}
	name := word
	if qual != "" {
		name = qual + "." + word
	}
	return s.inspectName(name, detail)
}

// inspectName returns documentation for a (possibly qualified) name: a
// user declaration (its source and doc comment), a package member (its
// type from the symbol table), a variable (its type and value) or a
// package.
func (s *Session) inspectName(name string, detail int) (map[string]any, bool) {
	var sig, doc string
	globals := safeGlobals(s.in)
	if qual, member, ok := strings.Cut(name, "."); ok {
		if v, ok := globals[qual]; ok && v.IsValid() {
			t := v.Type()
			if d, dc, ok := s.methodDoc(t, member); ok {
				sig, doc = d, dc
			} else if e := s.store.byKey[s.typeNameOf(t)+"."+member]; e != nil {
				sig, doc = declSignature(e, detail), e.doc
			} else if m, ok := t.MethodByName(member); ok {
				sig = "func (" + t.String() + ") " + member + strings.TrimPrefix(m.Type.String(), "func")
			}
		} else if e := s.store.byKey[name]; e != nil {
			sig, doc = declSignature(e, detail), e.doc
		} else if p, ok := s.packagePath(qual); ok {
			if d, dc, ok := s.memberDoc(p, member); ok {
				sig, doc = d, dc
			} else if v, ok := s.tab.member(p, member); ok {
				sig = describeSymbol(qual, member, v)
			}
		}
	} else if e := s.store.owner(name); e != nil {
		sig, doc = declSignature(e, detail), e.doc
	} else if v, ok := globals[name]; ok && v.IsValid() {
		sig = "var " + name + " " + v.Type().String()
		if detail > 0 && v.CanInterface() {
			doc = "value: " + strings.TrimSpace(sprintShort(v.Interface()))
		}
	} else if p, ok := s.packagePath(name); ok {
		sig = "package " + name + " // import \"" + p + "\""
		if d, ok := s.packageDoc(p); ok {
			doc = d
		} else {
			doc = "members: " + strings.Join(s.tab.members(p), ", ")
		}
	}
	if sig == "" {
		return nil, false
	}
	doc = strings.TrimSpace(doc)
	plain := sig
	if doc != "" {
		plain += "\n\n" + doc
	}
	md := "```go\n" + sig + "\n```\n"
	if doc != "" {
		md += "\n" + doc + "\n"
	}
	return map[string]any{"text/plain": plain, "text/markdown": md}, true
}

// typeNameOf finds the declared name of an interpreted struct type.
func (s *Session) typeNameOf(t reflect.Type) string {
	if ts := s.structDecl(t); ts != nil {
		return ts.Name.Name
	}
	return ""
}

// declSignature is a declaration's source: with detail 0 a func's body is
// left out.
func declSignature(e *declEntry, detail int) string {
	txt := e.raw
	if fd, ok := e.node.(*ast.FuncDecl); ok && detail == 0 && fd.Body != nil {
		if i := strings.Index(txt, "{"); i > 0 && e.kind == token.FUNC {
			// the body starts at the last top-level "{" of the signature;
			// signatures rarely contain braces, so the first is a fair cut.
			txt = strings.TrimSpace(txt[:i])
		}
	}
	return txt
}

func describeSymbol(pkg, name string, v reflect.Value) string {
	t := v.Type()
	switch {
	case v.Kind() == reflect.Func:
		return "func " + pkg + "." + name + strings.TrimPrefix(t.String(), "func")
	case v.Kind() == reflect.Pointer && v.IsNil():
		return "type " + pkg + "." + name + " " + t.Elem().Kind().String()
	default:
		return "var " + pkg + "." + name + " " + t.String()
	}
}

func sprintShort(v any) string {
	s := strings.ReplaceAll(strings.TrimSpace(fmtSprint(v)), "\n", " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// codeIdents returns the identifiers written in code (locals, parameters).
func codeIdents(code string) []string {
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(code))
	var sc scanner.Scanner
	sc.Init(f, []byte(code), func(token.Position, string) {}, 0)
	var out []string
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.IDENT {
			out = append(out, lit)
		}
	}
}

// magicCompletion completes a magic name when the cursor's line starts
// with % and the cursor is in its first word.
func magicCompletion(code string, cursor int) (matches []string, start int, ok bool) {
	rs := []rune(code)
	cursor = min(cursor, len(rs))
	ls := cursor
	for ls > 0 && rs[ls-1] != '\n' {
		ls--
	}
	line := string(rs[ls:cursor])
	trimmed := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(trimmed, "%") || strings.ContainsAny(trimmed, " \t") {
		return nil, 0, false
	}
	for _, m := range append(append([]magicInfo(nil), lineMagics...), cellMagics...) {
		if strings.HasPrefix(m.name, trimmed) && m.name != "!" {
			matches = append(matches, m.name)
		}
	}
	sort.Strings(matches)
	return matches, cursor - len([]rune(trimmed)), true
}

// literalFields returns the field names of the struct type of the
// composite literal whose key is being typed at the end of before (after
// "{" or ","), or nil.
func (s *Session) literalFields(before string) []string {
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(before))
	var sc scanner.Scanner
	sc.Init(f, []byte(before), func(token.Position, string) {}, 0)
	type tok struct {
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		_, t, lit := sc.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit == "\n" {
			continue
		}
		toks = append(toks, tok{t, lit})
	}
	if len(toks) == 0 || toks[len(toks)-1].tok != token.LBRACE && toks[len(toks)-1].tok != token.COMMA {
		return nil
	}
	// the innermost "{" left open
	depth := 0
	open := -1
	for i := len(toks) - 1; i >= 0 && open < 0; i-- {
		switch toks[i].tok {
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth++
		case token.LPAREN, token.LBRACK:
			depth--
		case token.LBRACE:
			if depth == 0 {
				open = i
			} else {
				depth--
			}
		}
		if depth < 0 {
			return nil
		}
	}
	if open < 1 || toks[open-1].tok != token.IDENT {
		return nil
	}
	name := toks[open-1].lit
	if open >= 3 && toks[open-2].tok == token.PERIOD && toks[open-3].tok == token.IDENT {
		p, ok := s.packagePath(toks[open-3].lit)
		if !ok {
			return nil
		}
		v, ok := s.tab.member(p, name)
		if !ok || v.Kind() != reflect.Pointer || !v.IsNil() {
			return nil
		}
		t := v.Type().Elem()
		if t.Kind() != reflect.Struct {
			return nil
		}
		var out []string
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				out = append(out, t.Field(i).Name)
			}
		}
		return out
	}
	e := s.store.byKey[name]
	if e == nil {
		return nil
	}
	ts, ok := e.node.(*ast.TypeSpec)
	if !ok {
		return nil
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return nil
	}
	var out []string
	for _, fl := range st.Fields.List {
		for _, n := range fl.Names {
			out = append(out, n.Name)
		}
		if len(fl.Names) == 0 {
			out = append(out, recvName(fl.Type))
		}
	}
	return out
}

package export

import (
	"go/scanner"
	"go/token"
)

// The splitting of a cell into top-level declarations and statements is the
// session's (kernel/session/split.go), repeated here so that exporting a
// notebook links no interpreter: keep the two in step.

// segKind tells what a top-level segment of a cell is.
type segKind int

const (
	segStmt segKind = iota
	segDecl
	segImport
	segPackage
)

// segment is one top-level statement or declaration of a cell, as a byte
// range of the cell's source.
type segment struct {
	kind       segKind
	start, end int // byte offsets in the cell
}

// run is a maximal sequence of segments of the same kind (imports count as
// declarations).
type run struct {
	decl       bool
	start, end int
}

// splitCell cuts code into top-level segments with go/scanner: a segment
// starts at depth 0 after a semicolon (explicit or automatic). A segment
// starting with import, type, var, const, package or a func declaration (not
// a func literal) is a declaration; anything else is a statement.
func splitCell(code string) []segment {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(code))
	var s scanner.Scanner
	s.Init(file, []byte(code), nil, 0) // errors surface later, in go/parser

	type tok struct {
		pos int
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}
	var segs []segment
	depth := 0
	begin := -1
	lastEnd := 0
	header := false // inside the header of if/for/switch/select, before "{"
	for i, t := range toks {
		if t.tok != token.SEMICOLON {
			if begin < 0 {
				begin = i
				switch t.tok {
				case token.IF, token.FOR, token.SWITCH, token.SELECT:
					header = true
				}
			}
			// clamped: an illegal byte's literal is U+FFFD, longer than it
			lastEnd = min(t.pos+tokLen(t.tok, t.lit), len(code))
		}
		if t.tok == token.SEMICOLON && header && t.lit == ";" && i != len(toks)-1 {
			continue // for i := 0; i < n; i++ {
		}
		switch t.tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			if t.tok == token.LBRACE && depth == 0 {
				header = false
			}
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if depth > 0 {
				depth--
			}
		}
		if begin >= 0 && ((t.tok == token.SEMICOLON && depth == 0) || i == len(toks)-1) {
			ts := make([]token.Token, 0, i+1-begin)
			for _, x := range toks[begin : i+1] {
				ts = append(ts, x.tok)
			}
			segs = append(segs, segment{kind: classify(ts), start: toks[begin].pos, end: lastEnd})
			begin = -1
			header = false
		}
	}
	return segs
}

func tokLen(t token.Token, lit string) int {
	if lit != "" {
		return len(lit)
	}
	return len(t.String())
}

// classify decides the kind of a segment from its first tokens.
func classify(ts []token.Token) segKind {
	get := func(j int) token.Token {
		if j >= len(ts) {
			return token.EOF
		}
		return ts[j]
	}
	switch get(0) {
	case token.PACKAGE:
		return segPackage
	case token.IMPORT:
		return segImport
	case token.TYPE, token.VAR, token.CONST:
		return segDecl
	case token.FUNC:
		switch get(1) {
		case token.IDENT:
			return segDecl
		case token.LPAREN:
			// func (r T) M(...) is a method; func(...) ... is a literal.
			depth := 0
			for j := 1; j < len(ts); j++ {
				switch ts[j] {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
					if depth == 0 {
						if get(j+1) == token.IDENT && (get(j+2) == token.LPAREN || get(j+2) == token.LBRACK) {
							return segDecl
						}
						return segStmt
					}
				}
			}
		}
	}
	return segStmt
}

// runs groups segments into runs of declarations and statements, keeping
// package clauses out.
func runs(segs []segment) []run {
	var out []run
	prev := 0
	for _, sg := range segs {
		if sg.kind == segPackage {
			prev = sg.end // the package clause is dropped
			continue
		}
		decl := sg.kind != segStmt
		if len(out) > 0 && out[len(out)-1].decl == decl {
			out[len(out)-1].end = sg.end
			prev = sg.end
			continue
		}
		out = append(out, run{decl: decl, start: prev, end: sg.end})
		prev = sg.end
	}
	return out
}

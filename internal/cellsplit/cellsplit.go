package cellsplit

import (
	"go/scanner"
	"go/token"
)

// Kind tells what a top-level segment of a cell is.
type Kind int

// The kinds of segment.
const (
	Stmt Kind = iota
	Decl
	Import
	Package
)

// Segment is one top-level statement or declaration of a cell, as a byte
// range of the cell's source.
type Segment struct {
	Kind       Kind
	Start, End int // byte offsets in the cell
}

// Run is a maximal sequence of segments of the same kind (imports count as
// declarations).
type Run struct {
	Decl       bool
	Start, End int
}

// Split cuts code into top-level segments with go/scanner: a segment
// starts at depth 0 after a semicolon (explicit or automatic). A segment
// starting with import, type, var, const, package or a func declaration (not
// a func literal) is a declaration; anything else is a statement.
func Split(code string) []Segment {
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
	var segs []Segment
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
			segs = append(segs, Segment{Kind: classify(ts), Start: toks[begin].pos, End: lastEnd})
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
func classify(ts []token.Token) Kind {
	get := func(j int) token.Token {
		if j >= len(ts) {
			return token.EOF
		}
		return ts[j]
	}
	switch get(0) {
	case token.PACKAGE:
		return Package
	case token.IMPORT:
		return Import
	case token.TYPE, token.VAR, token.CONST:
		return Decl
	case token.FUNC:
		switch get(1) {
		case token.IDENT:
			return Decl
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
							return Decl
						}
						return Stmt
					}
				}
			}
		}
	}
	return Stmt
}

// Runs groups segments into runs of declarations and statements, keeping
// package clauses out.
func Runs(segs []Segment) []Run {
	var out []Run
	prev := 0
	for _, sg := range segs {
		if sg.Kind == Package {
			prev = sg.End // the package clause is dropped
			continue
		}
		decl := sg.Kind != Stmt
		if len(out) > 0 && out[len(out)-1].Decl == decl {
			out[len(out)-1].End = sg.End
			prev = sg.End
			continue
		}
		out = append(out, Run{Decl: decl, Start: prev, End: sg.End})
		prev = sg.End
	}
	return out
}

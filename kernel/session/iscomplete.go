package session

import (
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// isComplete parses code the way Execute does (runs of declarations as a
// file, runs of statements inside a function) and applies the yaegi REPL's
// rules for input that needs more lines: an error "found 'EOF'", an
// unterminated raw string, or "expected operand, found '}'" on a line not
// ending in "}". Incomplete code gets one tab more than its open brackets.
func isComplete(code string) (status, indent string) {
	if strings.TrimSpace(code) == "" {
		return "complete", ""
	}
	for _, r := range runs(splitCell(code)) {
		text := code[r.Start:r.End]
		var src string
		if r.Decl {
			src = "package main;" + text
		} else {
			src = "package main; func main() {" + text + "\n}"
		}
		_, err := parser.ParseFile(token.NewFileSet(), "_.go", src, parser.DeclarationErrors)
		if err == nil {
			continue
		}
		list, ok := err.(scanner.ErrorList)
		if !ok || len(list) == 0 {
			return "invalid", ""
		}
		if incomplete(list[0], code) {
			return "incomplete", strings.Repeat("\t", max(1, openDepth(code)))
		}
		return "invalid", ""
	}
	// an unterminated block can parse as statements once wrapped: check the
	// bracket depth of the cell itself.
	if d := openDepth(code); d > 0 {
		return "incomplete", strings.Repeat("\t", d)
	}
	return "complete", ""
}

func incomplete(e *scanner.Error, src string) bool {
	msg := e.Msg
	src = strings.TrimRight(src, " \t\n")
	return strings.HasSuffix(msg, "found 'EOF'") ||
		msg == "raw string literal not terminated" ||
		strings.HasPrefix(msg, "expected operand, found '}'") && !strings.HasSuffix(src, "}") ||
		strings.HasSuffix(msg, "found '}'") && openDepth(src) > 0
}

// openDepth counts brackets left open at the end of code (at least 1 when
// the scanner sees an unterminated raw string).
func openDepth(code string) int {
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(code))
	var s scanner.Scanner
	s.Init(f, []byte(code), func(token.Position, string) {}, 0)
	d := 0
	for {
		_, tok, lit := s.Scan()
		switch tok {
		case token.EOF:
			if d < 0 {
				return 0
			}
			return d
		case token.LBRACE, token.LPAREN, token.LBRACK:
			d++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			d--
		case token.STRING:
			if strings.HasPrefix(lit, "`") && (len(lit) == 1 || !strings.HasSuffix(lit, "`")) {
				return max(d, 1)
			}
		}
	}
}

package session

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// compileSafe compiles n, turning interpreter panics into errors.
func compileSafe(in *interp.Interpreter, n ast.Node) (p *interp.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return compileAST(in, n)
}

// compileAST compiles n, counted in compiling so that yaegi's "nil type"
// log line is dropped (it panics after it: the panic is the error).
func compileAST(in *interp.Interpreter, n ast.Node) (*interp.Program, error) {
	compiling.Add(1)
	defer compiling.Add(-1)
	return in.CompileAST(n)
}

// posRe finds "In[3]:4:2" positions in messages.
var posRe = regexp.MustCompile(`(In\[\d*\]|user_expression):(\d+):(\d+)`)

const (
	red   = "\x1b[0;31m"
	green = "\x1b[0;32m"
	reset = "\x1b[0m"
)

// toError shapes err as a Jupyter error with a traceback in cell lines.
func (s *Session) toError(ctx context.Context, err error, c *cell) *Error {
	s.flush()
	panics := s.r.takePanics()
	for i, l := range panics {
		panics[i] = stripBase(l)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return &Error{Name: "Interrupted", Value: "execution interrupted",
			Traceback: []string{red + "Interrupted" + reset + ": execution interrupted; compiled calls that ignore nb.Context() may still be running"}}
	}
	var help string
	var he *helpError
	if errors.As(err, &he) {
		help = he.help
		err = he.err
	}
	var me *magicError
	if errors.As(err, &me) {
		return &Error{Name: me.name, Value: me.msg, Traceback: []string{red + me.name + reset + ": " + me.msg}}
	}
	var p interp.Panic
	if errors.As(err, &p) {
		v := p.Value
		if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
			v = rv.Interface()
		}
		if v == errGoexit {
			return &Error{Name: "Goexit", Value: errGoexit.Error(),
				Traceback: []string{red + "Goexit" + reset + ": " + errGoexit.Error() + "; the rest of the cell did not run"}}
		}
		name := "panic"
		val := stripBase(fmt.Sprint(v))
		if _, ok := v.(runtime.Error); ok {
			name = "RuntimeError"
			val = strings.TrimPrefix(val, "runtime error: ")
		} else if e, ok := v.(error); ok {
			val = e.Error()
		}
		if strings.HasPrefix(val, "os.Exit(") {
			name = "Exit"
			val = val + " was called; the session keeps running"
		}
		tb := []string{red + name + reset + ": " + val}
		for _, l := range panics {
			l = "  " + cleanPanicLine(l)
			if l == tb[len(tb)-1] {
				continue // a statement run in a closure (assign.go) repeats its frame
			}
			tb = append(tb, l)
		}
		tb = append(tb, sourceLines(c, panics)...)
		if help != "" {
			tb = append(tb, help)
		}
		return &Error{Name: name, Value: val, Traceback: tb}
	}
	var list scanner.ErrorList
	msg := stripBase(err.Error())
	var lines []string
	if errors.As(err, &list) {
		for _, e := range list {
			lines = append(lines, stripBase(e.Error()))
		}
	} else {
		lines = strings.Split(msg, "\n")
	}
	name := "CompileError"
	if strings.Contains(msg, "is not available: this kernel preloads") {
		name = "ImportError"
	}
	val := strings.Join(lines, "; ")
	if help != "" {
		val = help + " (" + val + ")"
	}
	tb := []string{red + name + reset + ": " + strings.Join(lines, "\n")}
	tb = append(tb, sourceLines(c, lines)...)
	if help != "" {
		tb = append(tb, green+"hint"+reset+": "+help)
	}
	return &Error{Name: name, Value: val, Traceback: tb}
}

// cleanPanicLine turns "In[3]:4:2: panic: main.f(...)" into
// "In[3] line 4, in main.f".
func cleanPanicLine(l string) string {
	m := posRe.FindStringSubmatchIndex(l)
	if m == nil {
		return l
	}
	where := l[m[2]:m[3]] + " line " + l[m[4]:m[5]]
	rest := strings.TrimPrefix(l[m[1]:], ": panic")
	rest = strings.TrimPrefix(rest, ": ")
	rest = strings.TrimSuffix(rest, "(...)")
	if rest != "" {
		return where + ", in " + rest
	}
	return where
}

// sourceLines shows the cell's source lines that msgs point at.
func sourceLines(c *cell, msgs []string) []string {
	if c == nil {
		return nil
	}
	src := strings.Split(c.code, "\n")
	var out []string
	seen := map[int]bool{}
	for _, m := range msgs {
		for _, sm := range posRe.FindAllStringSubmatch(m, -1) {
			if sm[1] != c.name {
				continue
			}
			ln, _ := strconv.Atoi(sm[2])
			col, _ := strconv.Atoi(sm[3])
			if ln < 1 || ln > len(src) || seen[ln] {
				continue
			}
			seen[ln] = true
			out = append(out, fmt.Sprintf("%s%4d%s | %s", green, ln, reset, src[ln-1]))
			if col >= 1 {
				out = append(out, "     | "+strings.Repeat(" ", col-1)+red+"^"+reset)
			}
		}
	}
	return out
}

// stripBase removes the "/_.go" the session adds to cell file names.
func stripBase(s string) string { return strings.ReplaceAll(s, "/_.go:", ":") }

func fmtSprint(v any) string { return fmt.Sprint(v) }

// compilePanic is a panic of the interpreter's compiler.
type compilePanic struct {
	value     any
	rangeStmt bool // the code has a range statement
}

func (e *compilePanic) Error() string {
	msg := fmt.Sprintf("the interpreter failed on this code: %v", e.value)
	if e.rangeStmt {
		msg += " (a range statement the session could not rewrite for yaegi v0.16.1, which cannot range over an integer or a function: write for i := 0; i < n; i++ for an integer, f(func(v V) bool { ...; return true }) for an iterator f)"
	}
	return msg
}

// hasRange reports whether n contains a range statement.
func hasRange(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if _, ok := x.(*ast.RangeStmt); ok {
			found = true
		}
		return !found
	})
	return found
}

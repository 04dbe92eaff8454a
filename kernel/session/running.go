package session

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"reflect"
	"sync/atomic"

	"github.com/traefik/yaegi/interp"
)

// After an interrupt, an interpreted loop stops at its next step, but a
// cell blocked in a compiled call (time.Sleep, a long gonum call that
// ignores nb.Context) keeps the goroutine yaegi's ExecuteWithContext runs
// the program in, and would carry on with the rest of its cell as soon as
// the interpreter runs again. The session must know whether that
// goroutine is still inside the program, in O(1) (a stack dump of every
// goroutine took seconds with 10,000 goroutines).
//
// yaegi runs the calls deferred in its global frame each time a run of the
// global frame ends, in the goroutine that runs the program: at the end of
// the program's statements and of its global variables' initialisers,
// also when the run was stopped by a cancellation or a panic. Every
// interpreter of the session has one such call, Tick, registered once
// (tickSource): a Tick made while the program's context is cancelled
// means the goroutine has left the program's code. (Other goroutines do
// not run the global frame: go statements and callbacks get frames of
// their own.)

// progRun is one program handed to ExecuteWithContext.
type progRun struct {
	in        *interp.Interpreter
	ctx       context.Context
	cancelled atomic.Bool // ExecuteWithContext returned on the cancellation
	ended     atomic.Bool // the program's goroutine left its code
}

// tickSource registers Tick in an interpreter's global frame.
const tickSource = "package main; func main() { defer " + cellAlias + ".Tick() }"

// registerTick binds Tick for in and registers it (see above).
func (s *Session) registerTick(in *interp.Interpreter) error {
	tick := func() {
		if p := s.prog.Load(); p != nil && p.in == in && p.ctx.Err() != nil {
			p.ended.Store(true)
		}
	}
	if err := in.Use(interp.Exports{cellPath + "/cellrt": {"Tick": reflect.ValueOf(tick)}}); err != nil {
		return err
	}
	f, err := parser.ParseFile(in.FileSet(), "_.go", tickSource, 0)
	if err != nil {
		return err
	}
	prog, err := compileAST(in, f.Decls[0].(*ast.FuncDecl).Body)
	if err != nil {
		return err
	}
	_, err = in.Execute(prog)
	return err
}

// execute runs prog in in with ctx, tracking it for executing.
func (s *Session) execute(ctx context.Context, in *interp.Interpreter, prog *interp.Program) error {
	p := &progRun{in: in, ctx: ctx}
	s.prog.Store(p)
	_, err := in.ExecuteWithContext(ctx, prog)
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		p.cancelled.Store(true)
	} else {
		p.ended.Store(true)
	}
	return err
}

// executing reports whether the goroutine of the last program, if it was
// interrupted, is still inside the program (blocked in a compiled call).
func (s *Session) executing() bool {
	p := s.prog.Load()
	return p != nil && p.cancelled.Load() && !p.ended.Load()
}

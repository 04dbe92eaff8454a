package session

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/traefik/yaegi/interp"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/kernel/engine"
)

// Output receives everything a cell produces while it runs (see
// engine.Output).
type Output = engine.Output

// Options configures a Session. The zero value is the default: pipe mode,
// where cells' os.Stdout and os.Stderr are pipes the session reads and
// routes to the running cell's Output.
type Options struct {
	// CaptureStdio redirects the process's file descriptors 1 and 2 while
	// cells run, so that output written by compiled code reaches the cell.
	//
	// Deprecated: run the session in a worker process whose descriptors 1
	// and 2 are pipes read by the kernel, and set Stdout and Stderr.
	CaptureStdio bool
	// Env is the environment cells see; nil means os.Environ().
	Env []string
	// Packages are the compiled packages cells may import besides the
	// standard library: yaegi symbol tables, as "yaegi extract" writes
	// them (main passes those of package kernel/symbols: gonum,
	// gonum/plot, display, trannsformer). nil means the standard library
	// only (and the session's own display and nb).
	Packages interp.Exports
	// Docs documents Packages for completion and inspection; nil means
	// none.
	Docs Docs
	// Stdout and Stderr select worker mode when either is set (a nil one
	// then means os.Stdout or os.Stderr): cells write straight to these
	// files (fmt.Print*, println, os.Stdout, os.Stderr and log of
	// interpreted code), and the session creates no pipes, starts no
	// pumps and redirects no descriptor. Only yaegi's own panic lines are
	// kept from Stderr (they become the cell's traceback). Notes and
	// messages of recovered goroutine panics still go to
	// Output.Stream("stderr"). New wraps the standard logger's output in
	// a filter that drops only yaegi's "nil type" compile-time log line
	// while the session compiles: set log's output before New.
	Stdout, Stderr *os.File
	// Modules builds workers with packages no table has (the worker
	// command sets it, see package kernel/workermain); nil means such an
	// import is an error.
	Modules Modules
}

// Request, Result and Error are the engine's: the session is an
// engine.Engine.
type (
	Request = engine.Request
	Result  = engine.Result
	Error   = engine.Error
)

var _ engine.Engine = (*Session)(nil)

// Session is a Go interpreter session.
//
// Output written after a cell has finished (by goroutines the cell started)
// goes to the Output of the most recent cell.
type Session struct {
	opts Options
	mu   sync.Mutex // serialises Execute
	// state guards in, store, imports and imported, which Execute changes
	// and Complete and Inspect read while a cell may be running.
	state  sync.RWMutex
	in     *interp.Interpreter
	tab    *tables
	disp   *display.Display
	r      *router
	stdout *streamWriter
	stderr *streamWriter
	// ystderr is yaegi's own stderr: its panic lines go to the router,
	// anything else to the cells' stderr file.
	ystderr *yaegiStderr
	io      *stdio
	ctx     atomic.Pointer[context.Context]
	// prog is the program run last (running.go).
	prog atomic.Pointer[progRun]
	// lastVars are the variables of the last State whose globals could be
	// read, for a State taken when they cannot.
	lastVars []Var
	count    int // executions with StoreHistory: cell file names In[n]
	store    *store
	// imports lists every import ever made, in order; imported holds those
	// made in the current interpreter.
	imports  []importSpec
	imported map[importSpec]bool
	// hints maps variables defined by statements (x := T{...}, T(v),
	// &T{...}) to their declared type, which reflect cannot tell for
	// types declared in cells.
	hints map[string]string
	// interrupted is set when a cell was interrupted: the next Execute
	// checks whether it is still running compiled code.
	interrupted bool
	// mods holds the %require pins and a pending switch to another worker
	// (require.go).
	mods modState
	// rich is the wrapper function of cell types with display methods.
	rich richState
	// snap is the snapshot of the interpreter taken before the last cell
	// (replay.go); types caches the reflect types of cell types in typesIn.
	snap    *snapshot
	types   map[string]reflect.Type
	typesIn *interp.Interpreter
	val     struct {
		sync.Mutex
		v  any
		ok bool
	}
	// importer knows the compiled packages' types (gocheck.go).
	importer *reflectImporter
	// defers holds the calls deferred at the top level of the running
	// cell (rewrite.go): they run when the cell ends, last first.
	defers struct {
		sync.Mutex
		f   []func()
		err error // the first panic of a deferred call (runDeferred)
	}
}

// importSpec is one import: name is the alias ("" for the package name).
type importSpec struct{ name, path string }

// New returns a new session.
func New(opts Options) (*Session, error) {
	s := &Session{opts: opts, r: &router{}, store: newStore(), hints: map[string]string{}}
	s.stdout = &streamWriter{r: s.r, name: "stdout"}
	s.stderr = &streamWriter{r: s.r, name: "stderr"}
	bg := context.Background()
	s.ctx.Store(&bg)
	s.disp = display.New(sinkAdapter{s.r})
	s.tab = newTables(opts.Packages, s.disp, s.cellContext, cellRuntime{setValue: s.setValue, goPanic: s.goPanic, deferCall: s.deferCall, runDefers: s.runDeferred})
	io, err := newStdio(opts, s.stdout, s.stderr)
	if err != nil {
		return nil, err
	}
	s.io = io
	s.ystderr = &yaegiStderr{r: s.r, dst: io.files[1]}
	if io.worker || io.restore != nil {
		// the standard logger writes to what cells see as their stderr
		filterStdLog()
	}
	in, err := s.newInterp()
	if err != nil {
		s.Close()
		return nil, err
	}
	s.in = in
	s.imported = s.baseImports()
	return s, nil
}

// LogWriter returns a writer to the process's original stderr, for logging
// while file descriptor 2 is captured (os.Stderr in the other modes).
func (s *Session) LogWriter() io.Writer {
	if s.io != nil {
		return s.io.log
	}
	return os.Stderr
}

func (s *Session) cellContext() context.Context { return *s.ctx.Load() }

func (s *Session) setValue(v any) {
	s.val.Lock()
	s.val.v, s.val.ok = v, true
	s.val.Unlock()
}

// deferCall registers a call deferred at the top level of a cell.
func (s *Session) deferCall(f func()) {
	s.defers.Lock()
	s.defers.f = append(s.defers.f, f)
	s.defers.Unlock()
}

// runDefers runs the calls deferred at the top level of the cell that just
// ended, last first, as Go runs a function's deferred calls when it
// returns. They run inside a program of the interpreter, under ctx: an
// interpreted loop in a deferred call stops on interrupt, and Execute
// returns on interrupt even if a deferred compiled call blocks. A panic in
// one becomes the cell's error unless it already has one; an interrupt
// drops the calls not yet run. With ctx already cancelled, none runs.
func (s *Session) runDefers(ctx context.Context, err error) error {
	s.defers.Lock()
	n := len(s.defers.f)
	s.defers.Unlock()
	if n == 0 {
		return err
	}
	if ctx.Err() != nil {
		s.dropDefers()
		return err
	}
	s.defers.Lock()
	s.defers.err = nil
	s.defers.Unlock()
	fset := s.in.FileSet()
	base := fset.Base()
	f, perr := parser.ParseFile(fset, "_.go", runDefersSource, 0)
	if perr == nil {
		perr = s.run(ctx, s.in, f.Decls[0].(*ast.FuncDecl).Body)
	}
	forgetFile(fset, base)
	s.dropDefers()
	if perr == nil {
		s.defers.Lock()
		perr = s.defers.err
		s.defers.Unlock()
	}
	if perr != nil && err == nil {
		err = perr
	}
	return err
}

const runDefersSource = "package main; func main() { " + cellAlias + ".RunDefers() }"

func (s *Session) dropDefers() {
	s.defers.Lock()
	s.defers.f = nil
	s.defers.Unlock()
}

// runDeferred is RunDefers: it runs the deferred calls in the program's
// goroutine and keeps the first panic in s.defers.err.
func (s *Session) runDeferred() {
	for {
		s.defers.Lock()
		n := len(s.defers.f)
		if n == 0 {
			s.defers.Unlock()
			return
		}
		f := s.defers.f[n-1]
		s.defers.f = s.defers.f[:n-1]
		s.defers.Unlock()
		if perr := callDeferred(f); perr != nil {
			s.defers.Lock()
			if s.defers.err == nil {
				s.defers.err = perr
			}
			s.defers.Unlock()
		}
	}
}

func callDeferred(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if rv, ok := r.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
				r = rv.Interface()
			}
			err = interp.Panic{Value: r} // reported as the cell's panic
		}
	}()
	f()
	return nil
}

func (s *Session) goPanic(v any) {
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		v = rv.Interface()
	}
	s.r.takePanics()
	if v == errGoexit {
		return // runtime.Goexit in a goroutine: it just ends
	}
	s.r.stream("stderr", fmt.Sprintf("panic in goroutine (recovered, the session lives on): %v\n", v))
}

// baseImports are the imports every interpreter starts with.
func (s *Session) baseImports() map[importSpec]bool {
	return map[importSpec]bool{{cellAlias, cellPath}: true, {"", "sort"}: true}
}

// newInterp makes an interpreter with the session's symbols, stdio and
// prelude.
func (s *Session) newInterp() (*interp.Interpreter, error) {
	env := s.opts.Env
	if env == nil {
		env = os.Environ()
	}
	// fmt.Print* go to the same file as os.Stdout, so everything arrives
	// in order; yaegi's own stderr is the panic-line filter, and os.Stderr
	// and log are bound to the stderr file itself, so that nothing a cell
	// writes to its stderr is ever taken for yaegi's.
	in := interp.New(interp.Options{Stdin: stdinReader{s.r}, Stdout: s.io.files[0], Stderr: s.ystderr, Env: env})
	if err := in.Use(s.tab.all); err != nil {
		return nil, fmt.Errorf("session: load symbols: %w", err)
	}
	if err := in.Use(stdioSymbols(stdinReader{s.r}, s.io.files[0], s.io.files[1])); err != nil {
		return nil, fmt.Errorf("session: bind stdio: %w", err)
	}
	src := "package main\nimport (\n" + cellAlias + " " + strconv.Quote(cellPath) + "\n\"sort\"\n)\n" + strings.TrimPrefix(prelude, "package main\n")
	if _, err := s.evalSource(context.Background(), in, src, nil, nil); err != nil {
		return nil, fmt.Errorf("session: prelude: %w", err)
	}
	if err := s.registerTick(in); err != nil {
		return nil, fmt.Errorf("session: register tick: %w", err)
	}
	return in, nil
}

// evalSource parses src as a file with in's file set, applies the session's
// rewrites and runs it. With st, values of st's types with display methods
// handed to display calls are rendered with them (rich.go); globals are the
// variables that may hold display handles.
func (s *Session) evalSource(ctx context.Context, in *interp.Interpreter, src string, st *store, globals map[string]reflect.Value) (ast.Node, error) {
	f, err := parser.ParseFile(in.FileSet(), "_.go", src, parser.ParseComments|parser.DeclarationErrors)
	if err != nil {
		return nil, err
	}
	if _, err := s.modernize(in.FileSet(), f, false); err != nil {
		return f, err
	}
	help := rewriteGaps(f, func(name string) bool {
		return s.tab.byName[name] != "" && s.store.owner(name) == nil
	})
	rewriteGo(f)
	rewriteParallel(f)
	declared := func() {}
	if st != nil {
		name, d, err := s.withRich(in, st, f)
		if err != nil {
			return f, err
		}
		declared = d
		s.newRichWrapper(name, globals).rewrite(f)
	}
	if err := s.run(ctx, in, f); err != nil {
		if help != "" {
			return f, &helpError{err, help}
		}
		return f, err
	}
	declared()
	return f, nil
}

// run compiles and executes n (a file or a block) with cancellation,
// recovering interpreter panics.
func (s *Session) run(ctx context.Context, in *interp.Interpreter, n ast.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			// the compiler panics on syntax it does not support
			err = &compilePanic{value: r, rangeStmt: hasRange(n)}
		}
	}()
	prog, err := compileAST(in, n)
	if err != nil {
		return err
	}
	return s.execute(ctx, in, prog)
}

var pagerCell = regexp.MustCompile(`^(?:\?+\s*([\pL\pN_.]+)|([\pL\pN_.]+)\s*\?+)$`)

// Execute runs one cell. ctx is cancelled on interrupt.
func (s *Session) Execute(ctx context.Context, req Request, out Output) (res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.set(out, req.AllowStdin)
	s.ctx.Store(&ctx)
	defer func() {
		if r := recover(); r != nil {
			// a bug in the session itself: report it, keep the kernel alive
			res = Result{Err: &Error{Name: "InternalError", Value: fmt.Sprint(r),
				Traceback: []string{red + "InternalError" + reset + ": " + fmt.Sprint(r), string(debug.Stack())}}}
		}
		// Progress bars left as the cell ends show their last count,
		// without times: the state a saved notebook keeps.
		s.disp.Settle()
		s.flush()
		bg := context.Background()
		s.ctx.Store(&bg)
		dropCompiled(s.in) // memory.go
	}()
	switch {
	case req.ExecutionCount > 0:
		s.count = req.ExecutionCount
	case req.StoreHistory && !req.Silent:
		s.count++
	}
	if m := pagerCell.FindStringSubmatch(strings.TrimSpace(req.Code)); m != nil {
		name := m[1] + m[2]
		data, found := s.inspectName(name, 1)
		if !found {
			data = map[string]any{"text/plain": "no documentation found for " + name}
		}
		res.Payload = []map[string]any{{"source": "page", "data": data, "start": 0}}
		return res
	}
	c := &cell{s: s, ctx: ctx, code: req.Code, name: fmt.Sprintf("In[%d]", s.count), silent: req.Silent}
	if s.interrupted {
		s.interrupted = false
		// An interpreted loop stops at its next step: give it a moment.
		for deadline := time.Now().Add(100 * time.Millisecond); s.executing() && time.Now().Before(deadline) && ctx.Err() == nil; {
			time.Sleep(time.Millisecond)
		}
		if ctx.Err() != nil {
			// Interrupted again before this cell started: stop at once and
			// check once more before the next cell.
			s.interrupted = true
			res.Err = s.toError(ctx, ctx.Err(), c)
			return res
		}
		if s.executing() {
			// Abandon the interpreter the interrupted cell still runs in:
			// it stops at its next interpreted step instead of resuming.
			// The replay reads the snapshot taken before the cell, not the
			// interpreter, whose frame the cell's goroutine still owns.
			// Variables the cell defined are lost.
			notes, err := s.replay(ctx, s.store, nil, s.snap)
			c.note("note: the interrupted cell is still blocked in a compiled call; the session was rebuilt so that it cannot resume")
			for _, n := range notes {
				c.note(n)
			}
			if err != nil {
				c.note("warning: rebuilding the session failed: " + err.Error())
			}
		}
	}
	s.snap = s.takeSnapshot()
	v, has, err := c.execMagics()
	s.flush() // before toError: yaegi's panic lines come through the pipe
	res.Notes = c.notes
	if err != nil {
		res.Err = s.toError(ctx, err, c)
		if res.Err.Name == "Interrupted" {
			s.interrupted = true
		}
		return res
	}
	if has && !req.Silent {
		b := engine.Bundle(display.Render(v))
		res.Value = &b
	}
	if len(req.UserExpressions) > 0 {
		res.UserExpressions = map[string]any{}
		for name, expr := range req.UserExpressions {
			res.UserExpressions[name] = s.userExpression(ctx, expr)
		}
	}
	return res
}

// flush routes pending output of the cell.
func (s *Session) flush() {
	s.ystderr.flush()
	if s.io != nil {
		s.io.flush()
	}
}

func (s *Session) userExpression(ctx context.Context, expr string) map[string]any {
	c := &cell{s: s, ctx: ctx, code: expr, name: "user_expression", silent: false}
	v, has, err := c.exec()
	if err == nil && !has {
		err = fmt.Errorf("expression has no value")
	}
	if err != nil {
		e := s.toError(ctx, err, c)
		return map[string]any{"status": "error", "ename": e.Name, "evalue": e.Value, "traceback": e.Traceback}
	}
	b := display.Render(v)
	return map[string]any{"status": "ok", "data": b.Data, "metadata": map[string]any{}}
}

// IsComplete reports "complete", "incomplete" (with indent), "invalid" or
// "unknown" for code.
func (s *Session) IsComplete(code string) (status, indent string) {
	if isMagicCell(code) {
		// magics run as they are; Go code after line magics is checked
		// with them blanked
		lines := strings.Split(code, "\n")
		i := 0
		for i < len(lines) && (strings.TrimSpace(lines[i]) == "" || isMagicLine(lines[i])) {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), "%%") {
				return "complete", ""
			}
			i++
		}
		if i == len(lines) {
			return "complete", ""
		}
		return isComplete(blankLines(lines, i))
	}
	return isComplete(code)
}

// Close releases the session (restores captured file descriptors).
func (s *Session) Close() error {
	if s.io != nil {
		s.flush()
		io := s.io
		s.io = nil
		return io.close()
	}
	return nil
}

// safeGlobals returns in.Globals(), which can panic after a failed compile.
func safeGlobals(in *interp.Interpreter) map[string]reflect.Value {
	g, _ := globals(in)
	return g
}

// globals returns in.Globals(); ok is false (and g empty) when it panicked.
func globals(in *interp.Interpreter) (g map[string]reflect.Value, ok bool) {
	defer func() {
		if recover() != nil {
			g, ok = map[string]reflect.Value{}, false
		}
	}()
	return in.Globals(), true
}

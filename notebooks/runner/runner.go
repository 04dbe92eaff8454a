package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/notebooks"
)

// ErrNotRun matches (with errors.Is) the errors Run returns before it
// executes any cell: bad parameters, no Session, a context cancelled
// before the first cell. The notebook then holds no
// new output and is best not written back over its input.
var ErrNotRun = errors.New("notebook not run")

// notRun marks an error as ErrNotRun without changing its message.
type notRun struct{ err error }

func (e notRun) Error() string   { return e.err.Error() }
func (e notRun) Unwrap() []error { return []error{ErrNotRun, e.err} }

// Executor executes one cell: the Execute method of engine.Engine, which
// both the in-process session and the worker supervisor implement. Tests
// use fakes.
type Executor interface {
	Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result
}

// DefaultStopGrace is how long Run waits, by default, for a cell to stop
// after its context is cancelled (interrupt or timeout).
const DefaultStopGrace = 10 * time.Second

// ErrNoSession is the error (matching ErrNotRun) of a Run without
// Options.Session.
var ErrNoSession = errors.New("no session to execute the cells: Options.Session is nil")

// Options configures Run. Session is required; for every other field the
// zero value runs every code cell without a time limit, stops at the
// first failing cell and prints nothing.
type Options struct {
	// Session executes the cells (required): an engine.Engine such as the
	// worker supervisor, or any Executor. Run does not close it.
	Session Executor

	// Parameters are injected after the cell tagged "parameters" (see
	// notebooks.InjectParameters) before anything runs.
	Parameters []notebooks.Parameter

	// Timeout limits each cell (0: no limit). A cell that exceeds it is
	// interrupted and gets a TimeoutError output.
	Timeout time.Duration
	// AllowErrors keeps going after a failing cell; Run then returns nil
	// unless it is interrupted or the session gets stuck.
	AllowErrors bool
	// StopGrace is how long to wait for an interrupted cell to return
	// before giving up on the session (0: DefaultStopGrace).
	StopGrace time.Duration

	// Progress receives one line per code cell and a summary (nil: none).
	Progress io.Writer
	// Live, if not nil, also receives every display call (progress bars
	// and figures as they happen), e.g. a terminal sink on stderr.
	Live engine.Sink
}

// Run executes the code cells of nb in order in opts.Session and records
// their outputs in nb. Before running, it normalizes nb to nbformat 4.5
// (Notebook.Normalize), sets the gotrann kernelspec and language_info
// (Notebook.SetKernel), injects opts.Parameters and clears the outputs
// and execution counts of every code cell. Cells whose source is blank
// are not executed. Errors before the first cell runs match ErrNotRun;
// without opts.Session, Run returns ErrNoSession and leaves nb as it was.
//
// A failing cell gets an error output and, unless opts.AllowErrors, stops
// the run: Run returns a *CellError naming it. As with nbclient, a cell
// tagged "raises-exception" may fail without stopping the run (a timeout
// or an interrupt still does). When ctx is cancelled the running cell is
// interrupted, gets an error output, and Run returns an error wrapping
// ctx's error. In every case nb holds what has run, ready
// to be written. Output that arrives after Run returns is dropped.
func Run(ctx context.Context, nb *notebooks.Notebook, opts Options) error {
	ex := opts.Session
	if ex == nil {
		return notRun{ErrNoSession}
	}
	nb.Normalize()
	nb.SetKernel()
	if len(opts.Parameters) > 0 {
		if err := notebooks.InjectParameters(nb, opts.Parameters); err != nil {
			return notRun{err}
		}
	}
	var todo []int
	for i, c := range nb.Cells {
		if c.Type != notebooks.Code {
			continue
		}
		c.ClearOutputs()
		if strings.TrimSpace(c.Source) != "" {
			todo = append(todo, i)
		}
	}
	if err := ctx.Err(); err != nil {
		return notRun{fmt.Errorf("interrupted before the first cell: %w", err)}
	}
	grace := opts.StopGrace
	if grace <= 0 {
		grace = DefaultStopGrace
	}

	pr := &progress{w: opts.Progress}
	rec := newRecorder(opts.Live, pr.interrupt)
	defer rec.close()
	start := time.Now()
	var failed []string
	ran := 0
	summary := func(what string) {
		msg := fmt.Sprintf("%s: ran %d of %s in %s", what, ran, plural(len(todo), "code cell"), seconds(time.Since(start)))
		if len(failed) > 0 {
			msg += fmt.Sprintf(", %d failed (%s)", len(failed), strings.Join(failed, ", "))
		}
		pr.printf("%s\n", msg)
	}

	for k, i := range todo {
		c := nb.Cells[i]
		if err := ctx.Err(); err != nil {
			summary("interrupted")
			return fmt.Errorf("interrupted before cell %d (id %s): %w", i+1, c.ID, err)
		}
		count := k + 1
		c.ExecutionCount = &count
		out := rec.cell(c)
		pr.start(k+1, len(todo), i)
		t0 := time.Now()
		res, timedOut, stuck := execute(ctx, ex, engine.Request{Code: c.Source, StoreHistory: true, ExecutionCount: count}, out, opts.Timeout, grace)
		elapsed := time.Since(t0)
		ran++
		interrupted := ctx.Err() != nil

		var cerr *engine.Error
		switch {
		case stuck:
			name, why := "Interrupted", "interrupted"
			if timedOut {
				name, why = "TimeoutError", fmt.Sprintf("the cell ran longer than the timeout of %v", opts.Timeout)
			}
			msg := fmt.Sprintf("%s, and the session did not stop within %v; later cells were not run", why, grace)
			cerr = &engine.Error{Name: name, Value: msg, Traceback: []string{name + ": " + msg}}
		case res.Err != nil && timedOut:
			msg := fmt.Sprintf("the cell ran longer than the timeout of %v", opts.Timeout)
			tb := res.Err.Traceback
			if len(tb) == 0 {
				tb = []string{"TimeoutError: " + msg}
			}
			cerr = &engine.Error{Name: "TimeoutError", Value: msg, Traceback: tb}
		case res.Err != nil:
			cerr = res.Err
		}
		if res.Value != nil && !stuck {
			out.result(res.Value, count)
		}
		if cerr != nil {
			out.fail(cerr)
		}

		status := "ok"
		switch {
		case cerr != nil && interrupted:
			status = "interrupted"
		case cerr != nil && timedOut:
			status = "timeout"
		case cerr != nil && c.HasTag(notebooks.RaisesExceptionTag):
			status = "expected error (" + firstLine(cerr.Name+": "+cerr.Value) + ")"
		case cerr != nil:
			status = "error (" + firstLine(cerr.Name+": "+cerr.Value) + ")"
		}
		rec.endCell() // the last updates held back; end a progress bar's line
		pr.done(status, elapsed)
		if cerr == nil {
			continue
		}
		expected := c.HasTag(notebooks.RaisesExceptionTag) && !interrupted && !timedOut && !stuck
		if !expected {
			failed = append(failed, fmt.Sprintf("cell %d", i+1))
		}
		ce := &CellError{Index: i, ID: c.ID, Count: count, Err: cerr, Timeout: timedOut, Stuck: stuck}
		switch {
		case interrupted:
			summary("interrupted")
			return fmt.Errorf("interrupted during cell %d (id %s): %w", i+1, c.ID, ctx.Err())
		case expected:
		case stuck || !opts.AllowErrors:
			summary("failed")
			return ce
		}
	}
	summary("done")
	return nil
}

// execute runs one cell with its own context, cancelled after timeout (if
// positive). When the context ends before the cell, it waits grace for the
// session to return, then reports stuck.
func execute(ctx context.Context, ex Executor, req engine.Request, out engine.Output, timeout, grace time.Duration) (res engine.Result, timedOut, stuck bool) {
	cctx, cancel := context.WithCancel(ctx)
	if timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	done := make(chan engine.Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				msg := fmt.Sprint(p)
				done <- engine.Result{Err: &engine.Error{Name: "panic", Value: msg, Traceback: []string{"panic: " + msg}}}
			}
		}()
		done <- ex.Execute(cctx, req, out)
	}()
	select {
	case res = <-done:
	case <-cctx.Done():
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case res = <-done:
		case <-t.C:
			stuck = true
		}
	}
	timedOut = timeout > 0 && ctx.Err() == nil && cctx.Err() == context.DeadlineExceeded
	return res, timedOut, stuck
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return s
}

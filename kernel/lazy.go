package kernel

import (
	"context"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// Lazy is an Engine made in the background, so that the kernel binds its
// sockets and answers kernel_info while the interpreter is still being
// built. Calls made before the engine is ready wait for it.
type Lazy struct {
	ready chan struct{}
	eng   Engine
	err   error
}

var _ Engine = (*Lazy)(nil)

// NewLazy starts build on a new goroutine and returns the Lazy engine that
// will use its result.
func NewLazy(build func() (Engine, error)) *Lazy {
	l := &Lazy{ready: make(chan struct{})}
	go func() {
		eng, err := build()
		if err != nil {
			eng = nil
		}
		l.eng, l.err = eng, err
		close(l.ready)
	}()
	return l
}

// Wait waits for the engine and returns it, or the error that made it fail.
func (l *Lazy) Wait(ctx context.Context) (Engine, error) {
	select {
	case <-l.ready:
		return l.eng, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Ready is closed when the engine is made (or failed).
func (l *Lazy) Ready() <-chan struct{} { return l.ready }

func (l *Lazy) get() Engine {
	<-l.ready
	return l.eng
}

// Execute waits for the engine, then runs the cell. If the engine could
// not be made, or ctx ends first, the cell fails.
func (l *Lazy) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	eng, err := l.Wait(ctx)
	if err != nil {
		return engine.Result{Err: &engine.Error{Name: "KernelError", Value: err.Error(), Traceback: []string{err.Error()}}}
	}
	return eng.Execute(ctx, req, out)
}

// Complete forwards to the engine; no matches if it failed.
func (l *Lazy) Complete(code string, cursor int) ([]string, int, int) {
	if eng := l.get(); eng != nil {
		return eng.Complete(code, cursor)
	}
	return nil, cursor, cursor
}

// Inspect forwards to the engine; not found if it failed.
func (l *Lazy) Inspect(code string, cursor, detail int) (map[string]any, bool) {
	if eng := l.get(); eng != nil {
		return eng.Inspect(code, cursor, detail)
	}
	return nil, false
}

// IsComplete forwards to the engine; "unknown" if it failed.
func (l *Lazy) IsComplete(code string) (string, string) {
	if eng := l.get(); eng != nil {
		return eng.IsComplete(code)
	}
	return "unknown", ""
}

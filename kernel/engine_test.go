package kernel

import (
	"context"
	"github.com/trannsformer/gotrann/kernel/engine"
	"strings"
	"sync"
)

// fakeEngine runs a few scripted cells, named by their code.
type fakeEngine struct {
	started chan string   // receives the code of each cell as it starts
	gate    chan struct{} // "gate-error" waits for a value on it
	late    chan struct{} // "late" prints from a goroutine after a value on it

	mu         sync.Mutex
	cursors    []int // cursors passed to Complete and Inspect
	interrupts int   // calls of Interrupt
}

// Interrupt makes fakeEngine an Interrupter.
func (e *fakeEngine) Interrupt() {
	e.mu.Lock()
	e.interrupts++
	e.mu.Unlock()
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{started: make(chan string, 64), gate: make(chan struct{}), late: make(chan struct{})}
}

func text(s string) *engine.Bundle {
	return &engine.Bundle{Data: map[string]any{"text/plain": s}}
}

func (e *fakeEngine) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	e.started <- req.Code
	switch req.Code {
	case "hello":
		out.Stream("stdout", "hello, world\n")
	case "streams":
		out.Stream("stdout", "a")
		out.Stream("stdout", "b")
		out.Stream("stderr", "c")
		out.Stream("stdout", "d")
	case "value":
		return engine.Result{Value: text("2")}
	case "error":
		out.Stream("stdout", "before\n")
		return engine.Result{Err: &engine.Error{Name: "CompileError", Value: "1:1: expected operand"}}
	case "gate-error":
		<-e.gate
		return engine.Result{Err: &engine.Error{Name: "panic", Value: "boom", Traceback: []string{"panic: boom"}}}
	case "display":
		out.Display(engine.Bundle{Data: map[string]any{"text/plain": "0%", "text/html": "<b>0%</b>"}}, "bar")
		out.Update(engine.Bundle{Data: map[string]any{"text/plain": "100%"}}, "bar")
		out.Clear(true)
		out.Display(*text("plain"), "")
	case "late":
		go func() {
			<-e.late
			out.Stream("stdout", "late\n")
			e.started <- "late done"
		}()
	case "block":
		<-ctx.Done()
		return engine.Result{Err: &engine.Error{Name: "Interrupted", Value: "interrupted", Traceback: []string{}}}
	case "input":
		v, err := out.Input("name? ", false)
		if err != nil {
			return engine.Result{Err: &engine.Error{Name: "InputError", Value: err.Error()}}
		}
		out.Stream("stdout", "got "+v)
	case "page":
		return engine.Result{Payload: []map[string]any{{"source": "page", "data": map[string]any{"text/plain": "doc"}, "start": 0}}}
	case "exprs":
		ue := map[string]any{}
		for name, expr := range req.UserExpressions {
			ue[name] = map[string]any{"status": "ok", "data": map[string]any{"text/plain": strings.ToUpper(expr)}, "metadata": map[string]any{}}
		}
		return engine.Result{UserExpressions: ue}
	default:
		return engine.Result{Value: text(req.Code)}
	}
	return engine.Result{}
}

func (e *fakeEngine) Complete(code string, cursor int) ([]string, int, int) {
	e.mu.Lock()
	e.cursors = append(e.cursors, cursor)
	e.mu.Unlock()
	if cursor >= 2 {
		return []string{"Printf", "Println"}, cursor - 2, cursor
	}
	return nil, cursor, cursor
}

func (e *fakeEngine) Inspect(code string, cursor, detail int) (map[string]any, bool) {
	e.mu.Lock()
	e.cursors = append(e.cursors, cursor)
	e.mu.Unlock()
	if strings.Contains(code, "fmt") {
		return map[string]any{"text/plain": "package fmt"}, true
	}
	return nil, false
}

func (e *fakeEngine) IsComplete(code string) (string, string) {
	switch {
	case strings.HasSuffix(code, "{"):
		return "incomplete", "\t"
	case strings.HasPrefix(code, "}"):
		return "invalid", ""
	}
	return "complete", ""
}

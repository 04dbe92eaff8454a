package runner

import (
	"context"
	"strings"
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/notebooks"
)

// fakeSession is an Executor that interprets a tiny language, one command
// per line of the cell, so that tests control exactly what a cell emits:
//
//	print TEXT         stdout TEXT\n           eprint TEXT   stderr TEXT\n
//	write TEXT         stdout TEXT (no \n)
//	show ID TEXT       display text/plain TEXT with display id ID ("-": none)
//	html TEXT          display text/html and text/plain, multi-line
//	png                display a tiny image/png with metadata
//	json               display application/json
//	update ID TEXT     update display ID
//	clear | clearwait  clear_output(wait=false|true)
//	value TEXT         the cell's value is TEXT
//	fail NAME VALUE    the cell fails
//	wait               block until the cell's context ends, then fail "Interrupted"
//	hang               block until release is closed, ignoring the context
//	cancel             call onCancel (a test's stand-in for SIGINT)
//	input              ask for input; the error is printed on stderr
//	keep               remember the cell's Output in kept
type fakeSession struct {
	mu       sync.Mutex
	codes    []string
	onCancel func()
	release  chan struct{}
	kept     engine.Output
}

func (f *fakeSession) executed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.codes...)
}

func textBundle(text string) engine.Bundle {
	return engine.Bundle{Data: map[string]any{"text/plain": text}}
}

func (f *fakeSession) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	f.mu.Lock()
	f.codes = append(f.codes, req.Code)
	f.mu.Unlock()
	var res engine.Result
	for _, line := range strings.Split(req.Code, "\n") {
		cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		id, text, _ := strings.Cut(arg, " ")
		if id == "-" {
			id = ""
		}
		switch cmd {
		case "print":
			out.Stream("stdout", arg+"\n")
		case "eprint":
			out.Stream("stderr", arg+"\n")
		case "write":
			out.Stream("stdout", arg)
		case "show":
			out.Display(textBundle(text), id)
		case "html":
			out.Display(engine.Bundle{Data: map[string]any{
				"text/html":  "<b>" + arg + "</b>\n<i>&amp;</i>\n",
				"text/plain": arg + "\nsecond line",
			}}, "")
		case "png":
			out.Display(engine.Bundle{
				Data:     map[string]any{"image/png": "iVBORw0KGgoAAAANSUhEUg==", "text/plain": "<image 2x1>"},
				Metadata: map[string]any{"image/png": map[string]any{"width": 2, "height": 1}},
			}, "")
		case "json":
			out.Display(engine.Bundle{Data: map[string]any{
				"application/json": map[string]any{"loss": []float64{0.5, 0.25}, "ok": true},
				"text/plain":       "{...}",
			}}, "")
		case "update":
			out.Update(textBundle(text), id)
		case "clear":
			out.Clear(false)
		case "clearwait":
			out.Clear(true)
		case "value":
			b := textBundle(arg)
			res.Value = &b
		case "fail":
			return engine.Result{Err: &engine.Error{Name: id, Value: text,
				Traceback: []string{"\x1b[0;31m" + id + "\x1b[0m: " + text, "    at In [?] line 1"}}}
		case "wait":
			<-ctx.Done()
			return engine.Result{Err: &engine.Error{Name: "Interrupted", Value: ctx.Err().Error(),
				Traceback: []string{"Interrupted: " + ctx.Err().Error()}}}
		case "hang":
			<-f.release
		case "cancel":
			f.onCancel()
		case "input":
			if _, err := out.Input("name? ", false); err != nil {
				out.Stream("stderr", err.Error()+"\n")
			}
		case "keep":
			f.mu.Lock()
			f.kept = out
			f.mu.Unlock()
		}
	}
	return res
}

// newNotebook builds a notebook from cell sources: "md:" starts a
// markdown cell, "params:" a code cell tagged parameters, anything else is
// a code cell.
func newNotebook(cells ...string) *notebooks.Notebook {
	nb := &notebooks.Notebook{Format: 4, FormatMinor: 5, Metadata: map[string]any{}}
	for _, src := range cells {
		c := &notebooks.Cell{Type: notebooks.Code, Metadata: map[string]any{}, Outputs: []*notebooks.Output{}}
		switch {
		case strings.HasPrefix(src, "md:"):
			c.Type, src = notebooks.Markdown, strings.TrimPrefix(src, "md:")
			c.Outputs = nil
		case strings.HasPrefix(src, "params:"):
			src = strings.TrimPrefix(src, "params:")
			c.Metadata["tags"] = []any{"parameters"}
		}
		c.Source = src
		nb.Cells = append(nb.Cells, c)
	}
	return nb
}

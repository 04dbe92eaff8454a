package session

import (
	"context"
	"errors"

	"github.com/trannsformer/gotrann/display"
)

// Output receives everything a cell produces while it runs. The kernel and
// the notebook runner implement it. Its methods may be called from several
// goroutines; implementations serialise.
type Output interface {
	display.Sink
	// Stream appends text to the cell's "stdout" or "stderr" stream.
	Stream(name, text string)
	// Input asks the user for one line of input (without the newline).
	// It returns an error when input is not allowed.
	Input(prompt string, password bool) (string, error)
}

// Options configures a Session. The zero value is the default.
type Options struct {
	// CaptureStdio redirects the process's file descriptors 1 and 2 while
	// cells run, so that output written by compiled code reaches the cell.
	CaptureStdio bool
	// Env is the environment cells see; nil means os.Environ().
	Env []string
}

// Request is one cell to execute.
type Request struct {
	Code            string
	Silent          bool              // no execute_result, no history
	StoreHistory    bool              // count this execution
	UserExpressions map[string]string // name -> expression, evaluated after the cell
	AllowStdin      bool
}

// Result is the outcome of Execute.
type Result struct {
	// Value is the cell's rendered last value, nil when it has none.
	Value *display.Bundle
	// Payload holds pager payloads ({"source":"page","data":{...},"start":0}).
	Payload []map[string]any
	// UserExpressions maps each requested name to
	// {"status":"ok","data":{...},"metadata":{}} or an error dict.
	UserExpressions map[string]any
	// Err is nil on success.
	Err *Error
}

// Error is a failed cell, shaped like a Jupyter error output.
type Error struct {
	Name      string   // ename, e.g. "panic", "CompileError", "Interrupted"
	Value     string   // evalue
	Traceback []string // lines, ANSI colours allowed
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Session is a Go interpreter session.
type Session struct{}

// New returns a new session.
func New(opts Options) (*Session, error) { return nil, errors.New("session: not implemented yet") }

// Execute runs one cell. ctx is cancelled on interrupt.
func (s *Session) Execute(ctx context.Context, req Request, out Output) Result {
	return Result{Err: &Error{Name: "NotImplemented", Value: "session"}}
}

// Complete returns completion matches for code at cursor (in code points)
// and the range [start, end) of code points they replace.
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	return nil, cursor, cursor
}

// Inspect returns documentation for the name at cursor: a MIME bundle
// (text/plain, and text/markdown or text/html) and whether it was found.
func (s *Session) Inspect(code string, cursor, detail int) (data map[string]any, found bool) {
	return nil, false
}

// IsComplete reports "complete", "incomplete" (with indent), "invalid" or
// "unknown" for code.
func (s *Session) IsComplete(code string) (status, indent string) { return "unknown", "" }

// Close releases the session (restores captured file descriptors).
func (s *Session) Close() error { return nil }

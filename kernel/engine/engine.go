package engine

import "context"

// Bundle is one MIME bundle: data by MIME type, and its metadata. It has
// the same shape as display.Bundle, which converts to it.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Sink receives a cell's rich output.
type Sink interface {
	// Display shows a new output. id is the display_id ("" for none).
	Display(b Bundle, id string)
	// Update replaces every output shown with display_id id.
	Update(b Bundle, id string)
	// Clear clears the cell's output; with wait, only when new output arrives.
	Clear(wait bool)
}

// Output receives everything a cell produces while it runs. The kernel and
// the notebook runner implement it. Its methods may be called from several
// goroutines; implementations serialise.
type Output interface {
	Sink
	// Stream appends text to the cell's "stdout" or "stderr" stream.
	Stream(name, text string)
	// Input asks the user for one line of input (without the newline).
	// It returns an error when input is not allowed.
	Input(prompt string, password bool) (string, error)
}

// Request is one cell to execute.
type Request struct {
	Code            string
	Silent          bool              // no execute_result, no history
	StoreHistory    bool              // count this execution
	UserExpressions map[string]string // name -> expression, evaluated after the cell
	AllowStdin      bool
	// ExecutionCount is the cell's number in the notebook or kernel: the
	// cell's file name in positions and tracebacks is In[ExecutionCount].
	// 0 means the engine's own counter (executions with StoreHistory).
	// A positive count also sets that counter, so that later requests
	// without one continue from it.
	ExecutionCount int
}

// Result is the outcome of Execute.
type Result struct {
	// Value is the cell's rendered last value, nil when it has none.
	Value *Bundle
	// Payload holds pager payloads ({"source":"page","data":{...},"start":0}).
	Payload []map[string]any
	// UserExpressions maps each requested name to
	// {"status":"ok","data":{...},"metadata":{}} or an error dict.
	UserExpressions map[string]any
	// Err is nil on success.
	Err *Error
	// Notes are the engine's own messages about the cell (values that
	// could not be carried across a redefinition, a restarted worker).
	// They have already been streamed to the Output as "stderr"; callers
	// need not show them again.
	Notes []string
}

// Error is a failed cell, shaped like a Jupyter error output.
type Error struct {
	Name      string   // ename, e.g. "panic", "CompileError", "Interrupted"
	Value     string   // evalue
	Traceback []string // lines, ANSI colours allowed
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Engine runs cells. The kernel calls Execute from one goroutine at a
// time; Complete, Inspect and IsComplete may be called while a cell runs.
type Engine interface {
	// Execute runs one cell; ctx is cancelled on interrupt.
	Execute(ctx context.Context, req Request, out Output) Result
	// Complete returns matches for code at cursor and the replaced range,
	// all in Unicode code points.
	Complete(code string, cursor int) (matches []string, start, end int)
	// Inspect returns a MIME bundle documenting the name at cursor.
	Inspect(code string, cursor, detail int) (data map[string]any, found bool)
	// IsComplete returns complete, incomplete (with indent), invalid or unknown.
	IsComplete(code string) (status, indent string)
}

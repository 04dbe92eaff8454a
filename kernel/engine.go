package kernel

import (
	"context"

	"github.com/trannsformer/gotrann/kernel/session"
)

// Engine is the interpreter behind the kernel; *session.Session satisfies it.
// The server calls it from one goroutine at a time.
type Engine interface {
	// Execute runs one cell; ctx is cancelled on interrupt.
	Execute(ctx context.Context, req session.Request, out session.Output) session.Result
	// Complete returns matches for code at cursor and the replaced range,
	// all in Unicode code points.
	Complete(code string, cursor int) (matches []string, start, end int)
	// Inspect returns a MIME bundle documenting the name at cursor.
	Inspect(code string, cursor, detail int) (data map[string]any, found bool)
	// IsComplete returns complete, incomplete (with indent), invalid or unknown.
	IsComplete(code string) (status, indent string)
}

var _ Engine = (*session.Session)(nil)

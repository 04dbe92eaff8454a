package runner

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// CellError is a code cell that failed during Run.
type CellError struct {
	Index int    // index of the cell in Notebook.Cells
	ID    string // the cell's id
	Count int    // its execution count (In [Count])
	Err   *engine.Error
	// Timeout is set when the cell exceeded Options.Timeout.
	Timeout bool
	// Stuck is set when the session did not return after the cell was
	// interrupted; the run could not go on.
	Stuck bool
}

// ansi matches terminal colour sequences in tracebacks.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// Error names the cell and shows the traceback, without colours.
func (e *CellError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cell %d (id %s, In [%d]) failed: %s: %s", e.Index+1, e.ID, e.Count, e.Err.Name, e.Err.Value)
	for _, line := range e.Err.Traceback {
		line = strings.TrimRight(ansi.ReplaceAllString(line, ""), "\n")
		if line == "" {
			continue
		}
		b.WriteString("\n    ")
		b.WriteString(strings.ReplaceAll(line, "\n", "\n    "))
	}
	return b.String()
}

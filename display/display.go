package display

import "fmt"

// Display sends output to one Sink. The kernel's session makes one per
// session and binds the package-level functions of the same names (Show,
// Clear, ...) to it, so cells call display.Show(v) with no set-up.
type Display struct {
	sink Sink
}

// New returns a Display writing to sink.
func New(sink Sink) *Display { return &Display{sink: sink} }

// Show displays v and returns nothing yet (placeholder until the handle exists).
func (d *Display) Show(v any) { d.sink.Display(Render(v), "") }

// Render renders v as a MIME bundle. The bundle always has text/plain.
func Render(v any) Bundle {
	return Bundle{Data: map[string]any{"text/plain": fmt.Sprint(v)}, Metadata: map[string]any{}}
}

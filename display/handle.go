package display

// Handle refers to one output shown by a Display, by its display ID.
type Handle struct {
	d  *Display
	id string
}

// ID returns the display ID of the output.
func (h *Handle) ID() string {
	if h == nil {
		return ""
	}
	return h.id
}

// Update replaces the output with the rendering of v, in place (Jupyter's
// update_display_data). A nil Handle does nothing.
func (h *Handle) Update(v any) {
	if h == nil || h.d == nil {
		return
	}
	h.d.sink.Update(Render(v), h.id)
}

// String returns a short description, so that a Handle left as a cell's
// last value prints something sensible.
func (h *Handle) String() string {
	if h == nil {
		return "display.Handle(nil)"
	}
	return "display.Handle(" + h.id + ")"
}

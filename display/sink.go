package display

// Bundle is one rich output: a MIME bundle and its metadata.
//
// Data maps a MIME type to its content. Text types (text/plain, text/html,
// text/markdown, text/latex, image/svg+xml) hold a string; binary types
// (image/png, image/jpeg) hold the base64 encoding as a string;
// application/json holds any JSON-marshalable value. Every bundle made by
// this package has text/plain.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Sink receives the output of a Display. The kernel turns these calls into
// display_data, update_display_data and clear_output messages; the notebook
// runner turns them into notebook outputs.
type Sink interface {
	// Display shows a new output. id is the display_id ("" for none).
	Display(b Bundle, id string)
	// Update replaces every output shown with display_id id.
	Update(b Bundle, id string)
	// Clear clears the cell's output; with wait, only when new output arrives.
	Clear(wait bool)
}

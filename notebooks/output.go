package notebooks

import "strings"

// Output types.
const (
	Stream        = "stream"
	DisplayData   = "display_data"
	ExecuteResult = "execute_result"
	Error         = "error"
)

// Output is one output of a code cell.
type Output struct {
	Type string // Stream, DisplayData, ExecuteResult or Error

	// Stream.
	Name string // "stdout" or "stderr"
	Text string

	// DisplayData and ExecuteResult. Data maps a MIME type to its content:
	// a string for text and base64 types, any JSON value for
	// application/json and */*+json.
	Data     map[string]any
	Metadata map[string]any

	// ExecuteResult.
	ExecutionCount *int

	// Error.
	EName     string
	EValue    string
	Traceback []string

	// Extra holds unknown keys, written back unchanged.
	Extra map[string]any
}

// isJSONMime reports whether a MIME type holds a JSON value rather than a
// (multi-line) string, as nbformat decides.
func isJSONMime(mime string) bool {
	return mime == "application/json" ||
		(strings.HasPrefix(mime, "application/") && strings.HasSuffix(mime, "+json"))
}

// splitMime reports whether nbformat writes the MIME type's string as a
// list of lines: text/*, application/javascript and image/svg+xml.
func splitMime(mime string) bool {
	return strings.HasPrefix(mime, "text/") || mime == "application/javascript" || mime == "image/svg+xml"
}

package cellsplit

import "strings"

// IsMagicLine reports whether a line of a cell (indentation ignored) is a
// line magic (%name) or a shell command (!cmd).
func IsMagicLine(l string) bool {
	l = strings.TrimSpace(l)
	return strings.HasPrefix(l, "%") || strings.HasPrefix(l, "!")
}

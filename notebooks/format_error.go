package notebooks

import (
	"fmt"
	"strings"
)

// FormatError is a malformed notebook: the file name and every problem
// found (up to a limit), each naming where it is ("cell 3 (cells[2])").
type FormatError struct {
	File     string
	Problems []string
}

func (e *FormatError) Error() string {
	name := e.File
	if name == "" {
		name = "notebook"
	}
	if len(e.Problems) == 1 {
		return fmt.Sprintf("%s: malformed notebook: %s", name, e.Problems[0])
	}
	return fmt.Sprintf("%s: malformed notebook:\n  %s", name, strings.Join(e.Problems, "\n  "))
}

package main

import (
	"fmt"
	"io"

	"github.com/trannsformer/gotrann/notebooks"
)

// maxListedDifferences is how many differences "gotrann run --check"
// lists; it counts the rest.
const maxListedDifferences = 40

// checkOutputs compares the outputs of ran, the notebook a run produced,
// as its file will hold them, with those of stored, the notebook as it
// was read from name, and lists the differences on w. It returns an error
// when there is any.
func checkOutputs(w io.Writer, name string, stored, ran *notebooks.Notebook) error {
	// Compare what the file holds: numbers and strings as a write and a
	// read give them back.
	data, err := notebooks.Marshal(ran)
	if err != nil {
		return fmt.Errorf("run --check: %w", err)
	}
	fresh, err := notebooks.Parse(data, name)
	if err != nil {
		return fmt.Errorf("run --check: %w", err)
	}
	diffs := notebooks.CompareOutputs(stored, fresh)
	if len(diffs) == 0 {
		fmt.Fprintf(w, "check: the outputs are those stored in %s\n", name)
		return nil
	}
	n := fmt.Sprintf("%d differences", len(diffs))
	if len(diffs) == 1 {
		n = "1 difference"
	}
	fmt.Fprintf(w, "check: %s from the outputs stored in %s (want: stored, got: this run)\n", n, name)
	for i, d := range diffs {
		if i == maxListedDifferences {
			fmt.Fprintf(w, "  ... and %d more\n", len(diffs)-i)
			break
		}
		fmt.Fprintf(w, "  %s\n", d)
	}
	return fmt.Errorf("run --check: %s from the outputs stored in %s", n, name)
}

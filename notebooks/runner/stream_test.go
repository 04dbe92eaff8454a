package runner

import (
	"runtime"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/notebooks"
)

// streamChunk is one line of 100 bytes, as a training loop prints.
var streamChunk = strings.Repeat("x", 99) + "\n"

// recordStream records total bytes of stdout, in chunks, into one cell
// and returns the cell.
func recordStream(total int, chunk string) *notebooks.Cell {
	c := &notebooks.Cell{Type: notebooks.Code, Outputs: []*notebooks.Output{}}
	out := newRecorder(nil, nil).cell(c)
	for n := 0; n < total; n += len(chunk) {
		out.Stream("stdout", chunk)
	}
	return c
}

// TestStreamLinear records 2 MB of stdout in chunks of 1 KB and checks
// the bytes allocated, which do not depend on the machine's load: linear
// recording allocates a small multiple of the output (the builder's
// growth), a string += per chunk (quadratic) about a thousand times it.
// The time it takes is BenchmarkStream's business.
func TestStreamLinear(t *testing.T) {
	const size = 2 << 20
	chunk := strings.Repeat("y", 1023) + "\n"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := recordStream(size, chunk)
	runtime.ReadMemStats(&after)
	if len(c.Outputs) != 1 || len(c.Outputs[0].Text) != size {
		t.Fatalf("recorded %d outputs, %d bytes; want one of %d", len(c.Outputs), len(c.Outputs[0].Text), size)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("recording %d bytes allocated %d bytes (%.1f×)", size, alloc, float64(alloc)/size)
	if alloc > 16*size {
		t.Fatalf("recording %d bytes in %d-byte chunks allocated %d bytes (%.0f× the output): not linear", size, len(chunk), alloc, float64(alloc)/size)
	}
}

// TestStreamAfterOtherOutput checks that the stream builder follows the
// cell's outputs: a new output, a clear, another stream or a stream
// output that was already there start or continue the right output.
func TestStreamAfterOtherOutput(t *testing.T) {
	for _, tc := range []struct {
		name string
		code string
		want []string
	}{
		{"display between", "write a\nwrite b\nshow - d\nwrite c\nwrite e", []string{`stream stdout "ab"`, `display "d"`, `stream stdout "ce"`}},
		{"clear between", "write a\nclear\nwrite b\nwrite c", []string{`stream stdout "bc"`}},
		{"clear wait between", "write a\nclearwait\nwrite b\nwrite c", []string{`stream stdout "bc"`}},
		{"other stream between", "write a\neprint e\nwrite b\nwrite c", []string{`stream stdout "a"`, `stream stderr "e\n"`, `stream stdout "bc"`}},
		{"value after", "write a\nwrite b\nvalue 1", []string{`stream stdout "ab"`, `result 1 "1"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb := newNotebook(tc.code)
			if err := Run(t.Context(), nb, Options{Session: &fakeSession{}}); err != nil {
				t.Fatal(err)
			}
			if got := describeOutputs(nb.Cells[0].Outputs); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("outputs:\n got  %q\n want %q", got, tc.want)
			}
		})
	}

	// A stream output the cell already holds (not made by this recorder)
	// is continued, not replaced.
	c := &notebooks.Cell{Type: notebooks.Code, Outputs: []*notebooks.Output{{Type: notebooks.Stream, Name: "stdout", Text: "old "}}}
	out := newRecorder(nil, nil).cell(c)
	out.Stream("stdout", "new")
	out.Stream("stdout", "er")
	if len(c.Outputs) != 1 || c.Outputs[0].Text != "old newer" {
		t.Errorf("outputs %q", describeOutputs(c.Outputs))
	}
	// Text changed behind the recorder's back is taken as it is.
	c.Outputs[0].Text = "reset"
	out.Stream("stdout", "!")
	if c.Outputs[0].Text != "reset!" {
		t.Errorf("text %q, want %q", c.Outputs[0].Text, "reset!")
	}
}

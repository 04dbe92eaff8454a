package runner

import (
	"strings"
	"testing"
	"time"

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

// TestStreamLinear records 40 MB of stdout in chunks of 1 KB and checks
// that it takes about 40 times as long as 1 MB, measured in the same run
// (in CPU time, which other processes on a busy machine do not inflate):
// with a string += per chunk (quadratic) it takes 1,600 times as long.
// The time is checked after every MB, so a regression fails within
// seconds instead of running for minutes.
func TestStreamLinear(t *testing.T) {
	const small, large = 1 << 20, 40 << 20
	chunk := strings.Repeat("y", 1023) + "\n"
	// The baseline: the fastest of a few 1 MB runs.
	base := time.Duration(1<<63 - 1)
	for i := 0; i < 3; i++ {
		start := cpuTime()
		if c := recordStream(small, chunk); len(c.Outputs[0].Text) != small {
			t.Fatalf("recorded %d bytes, want %d", len(c.Outputs[0].Text), small)
		}
		base = min(base, cpuTime()-start)
	}
	// Linear recording takes k times the baseline for k MB; allow 4 times
	// that for garbage collection and fresh memory, and 100 ms of slack
	// for a baseline too short to measure well (the clock ticks in ms).
	const slack = 100 * time.Millisecond
	budget := func(mb int) time.Duration { return time.Duration(4*mb)*base + slack }

	c := &notebooks.Cell{Type: notebooks.Code, Outputs: []*notebooks.Output{}}
	out := newRecorder(nil, nil).cell(c)
	start := cpuTime()
	for n := len(chunk); n <= large; n += len(chunk) {
		out.Stream("stdout", chunk)
		if n%small == 0 {
			mb := n / small
			if d := cpuTime() - start; d > budget(mb) {
				t.Fatalf("recording %d MB took %v, over %v (4×%d× the %v of 1 MB, plus %v): not linear", mb, d, budget(mb), mb, base, slack)
			}
		}
	}
	elapsed := cpuTime() - start
	t.Logf("CPU time: 1 MB %v, 40 MB %v (%.1f×)", base, elapsed, float64(elapsed)/float64(base))
	if len(c.Outputs) != 1 || len(c.Outputs[0].Text) != large || c.Outputs[0].Text[large-len(chunk):] != chunk {
		t.Fatalf("recorded %d outputs, %d bytes; want one of %d", len(c.Outputs), len(c.Outputs[0].Text), large)
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

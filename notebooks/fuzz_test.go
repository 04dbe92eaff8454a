package notebooks

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds returns the seed corpus of FuzzParse: the repository's
// notebooks (their large outputs cut short, so that the fuzzer mutates
// structure rather than base64), the notebooks under testdata, and the
// malformed notebooks of TestParseMalformed.
func fuzzSeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	for _, pattern := range []string{"[0-9][0-9]-*.ipynb", "testdata/*.ipynb", "runner/testdata/*.ipynb"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			if len(data) > 16<<10 {
				nb, err := Parse(data, p)
				if err != nil {
					tb.Fatal(err)
				}
				if data, err = Marshal(shorten(nb)); err != nil {
					tb.Fatal(err)
				}
			}
			seeds = append(seeds, data)
		}
	}
	if len(seeds) < 6 {
		tb.Fatalf("only %d seed notebooks found", len(seeds))
	}
	for _, tc := range malformedNotebooks() {
		seeds = append(seeds, []byte(tc.data))
	}
	return seeds
}

// shorten keeps the first outputs of the first cells of nb, with data
// strings of at most 64 bytes.
func shorten(nb *Notebook) *Notebook {
	nb.Cells = nb.Cells[:min(len(nb.Cells), 12)]
	for _, c := range nb.Cells {
		c.Outputs = c.Outputs[:min(len(c.Outputs), 3)]
		for _, o := range c.Outputs {
			o.Text = o.Text[:min(len(o.Text), 64)]
			for mime, v := range o.Data {
				if s, ok := v.(string); ok && len(s) > 64 {
					o.Data[mime] = s[:64]
				}
			}
		}
	}
	return nb
}

// FuzzParse checks that Parse never panics: it returns a notebook or a
// *FormatError, and a notebook it returns is written by Marshal and read
// back to the same notebook (Marshal, Parse, Marshal gives the same
// bytes). What Marshal writes grows at most with the nesting depth
// (indentation): a small file never writes as a huge one.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Parse(data, "fuzz.ipynb")
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || nb != nil || len(fe.Problems) == 0 || len(fe.Problems) > maxProblems+1 {
				t.Fatalf("Parse = %v, %#v; want nil and a *FormatError listing 1 to %d problems", nb, err, maxProblems+1)
			}
			return
		}
		out, err := Marshal(nb)
		if err != nil {
			t.Fatalf("Marshal of a parsed notebook: %v", err)
		}
		if limit := (MaxDepth+16)*len(data) + 1024; len(out) > limit {
			t.Fatalf("%d bytes parse to a notebook written as %d bytes, over %d", len(data), len(out), limit)
		}
		again, err := Parse(out, "written.ipynb")
		if err != nil {
			t.Fatalf("Parse of what Marshal wrote: %v\n%s", err, out)
		}
		out2, err := Marshal(again)
		if err != nil {
			t.Fatalf("Marshal after the round trip: %v", err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("the round trip changes the notebook:\n%s", firstDiff(out2, out))
		}
	})
}

package notebooks

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// benchNotebook is a 100-cell notebook with streams, a 64 KiB PNG per ten
// cells and tracebacks, after a run.
func benchNotebook(b *testing.B) *Notebook {
	b.Helper()
	png := base64.StdEncoding.EncodeToString(make([]byte, 64<<10))
	var cells []string
	for i := 0; i < 100; i++ {
		src := fmt.Sprintf("print line %d\nprint another line\nvalue %d", i, i)
		if i%10 == 0 {
			src += "\npng"
		}
		cells = append(cells, src)
	}
	nb := newNotebook(cells...)
	if err := Run(context.Background(), nb, RunOptions{Session: &fakeSession{}}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 100; i += 10 {
		for _, o := range nb.Cells[i].Outputs {
			if _, ok := o.Data["image/png"]; ok {
				o.Data["image/png"] = png
			}
		}
	}
	return nb
}

func BenchmarkMarshal(b *testing.B) {
	nb := benchNotebook(b)
	data, _ := Marshal(nb)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Marshal(nb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := Marshal(benchNotebook(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data, "bench.ipynb"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun measures the runner's own overhead per cell, with a session
// that does nothing but stream a line.
func BenchmarkRun(b *testing.B) {
	cells := make([]string, 100)
	for i := range cells {
		cells[i] = "print x"
	}
	src := strings.Join(cells, "\x00")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		nb := newNotebook(strings.Split(src, "\x00")...)
		if err := Run(context.Background(), nb, RunOptions{Session: &fakeSession{}}); err != nil {
			b.Fatal(err)
		}
	}
}

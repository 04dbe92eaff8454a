package display

import (
	"fmt"
	"testing"
	"time"
)

func BenchmarkRender(b *testing.B) {
	rows := make([]row, 100)
	for i := range rows {
		rows[i] = row{Name: fmt.Sprint("layer", i), Score: float64(i) / 3}
	}
	cases := []struct {
		name string
		v    any
	}{
		{"Int", 42},
		{"Table100", rows},
		{"PlotPNG", testPlot()},
		{"PlotSVG", PlotOptions{Format: "svg"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if o, ok := c.v.(PlotOptions); ok {
					PlotWith(testPlot(), o)
					continue
				}
				Render(c.v)
			}
		})
	}
}

// BenchmarkBarAdd measures the per-batch cost of a progress bar when the
// throttle drops the update, the common case in a training loop.
func BenchmarkBarAdd(b *testing.B) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := NewWithOptions(&recorder{}, Options{Now: func() time.Time { return t0 }, Seed: 1})
	bar := d.Progress(b.N + 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bar.Add(1)
	}
}

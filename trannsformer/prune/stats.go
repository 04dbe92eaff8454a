package prune

import (
	"fmt"
	"strings"

	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// LayerStats describes the surviving synapses of one weight layer, whose
// matrix has Rows outputs and Cols inputs.
type LayerStats struct {
	Layer      int
	Rows, Cols int
	Synapses   int     // non-zero weights
	Total      int     // Rows * Cols
	Density    float64 // Synapses / Total
	DeadRows   int     // outputs with no non-zero incoming weight
	DeadCols   int     // inputs with no non-zero outgoing weight
}

// Stats returns the statistics of every layer of m.
func Stats(m *nn.MLP) []LayerStats {
	out := make([]LayerStats, m.Layers())
	for l := range out {
		ni, no := m.In(l), m.Out(l)
		w := m.W[l]
		s := LayerStats{Layer: l, Rows: no, Cols: ni, Total: len(w)}
		colAlive := make([]bool, ni)
		for o := 0; o < no; o++ {
			alive := false
			for i, v := range w[o*ni : (o+1)*ni] {
				if v != 0 {
					s.Synapses++
					alive = true
					colAlive[i] = true
				}
			}
			if !alive {
				s.DeadRows++
			}
		}
		for _, a := range colAlive {
			if !a {
				s.DeadCols++
			}
		}
		if s.Total > 0 {
			s.Density = float64(s.Synapses) / float64(s.Total)
		}
		out[l] = s
	}
	return out
}

// StatsTable formats statistics as a text table.
func StatsTable(stats []LayerStats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%5s %11s %9s %9s %8s %9s %9s\n", "layer", "shape", "synapses", "total", "density", "dead rows", "dead cols")
	for _, s := range stats {
		fmt.Fprintf(&b, "%5d %11s %9d %9d %7.2f%% %9d %9d\n", s.Layer, fmt.Sprintf("%dx%d", s.Rows, s.Cols), s.Synapses, s.Total, 100*s.Density, s.DeadRows, s.DeadCols)
	}
	return b.String()
}

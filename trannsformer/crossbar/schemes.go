package crossbar

import (
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

// LegacyK is the crossbar size hard-coded in the counter of the authors'
// released code (get_hardware_params: xbar_size = 4), whatever size the
// clustering used. Only that count shows the paper's direction; it is kept
// to reproduce their figures, not as a hardware estimate.
const LegacyK = 4

// Dense maps c onto the natural K x K grid: every tile is a crossbar, even
// an empty one, as dense hardware allocates them. For the dense network
// pass cluster.Full(out, in); the count is ceil(in/K)·ceil(out/K).
func Dense(c *cluster.Binary, k int) (*Mapping, error) {
	if err := checkK(k); err != nil {
		return nil, err
	}
	r, cc := c.Dims()
	return grid("dense", c, span(0, r), span(0, cc), k), nil
}

// Pruned removes the rows and columns of c without synapses and tiles the
// rest densely: ceil(active outputs/K)·ceil(active inputs/K) crossbars
// (the reference's pruned network).
func Pruned(c *cluster.Binary, k int) (*Mapping, error) {
	if err := checkK(k); err != nil {
		return nil, err
	}
	return grid("pruned", c, c.ActiveRows(), c.ActiveCols(), k), nil
}

// grid tiles C[rows, cols] in the given order into K x K crossbars.
func grid(scheme string, c *cluster.Binary, rows, cols []int, k int) *Mapping {
	r, cc := c.Dims()
	m := &Mapping{Scheme: scheme, K: k, Outputs: r, Inputs: cc}
	br, bc := ceilDiv(len(rows), k), ceilDiv(len(cols), k)
	for a := 0; a < br; a++ {
		for b := 0; b < bc; b++ {
			m.Crossbars = append(m.Crossbars, Crossbar{
				Outputs:  rows[a*k : min(len(rows), (a+1)*k)],
				Inputs:   cols[b*k : min(len(cols), (b+1)*k)],
				Synapses: []Synapse{},
				Block:    -1,
			})
		}
	}
	posC := make([]int, cc)
	for i := range posC {
		posC[i] = -1
	}
	for p, j := range cols {
		posC[j] = p
	}
	var buf []int
	for p, i := range rows {
		buf = c.Row(i, buf[:0])
		for _, j := range buf {
			x := &m.Crossbars[(p/k)*bc+posC[j]/k]
			x.Synapses = append(x.Synapses, Synapse{i, j})
		}
	}
	return m
}

// TraNNsformed maps c with the reference scheme: every block of res gets
// ceil(|I|/K)·ceil(|O|/K) crossbars covering its rectangle Outputs x Inputs
// (as the reference's cluster map does, every synapse of c inside a
// block's rectangle is held there, the first block in res.Blocks order
// winning), and the remaining synapses are covered greedily by K x K
// windows: scanning rows then columns, each uncovered synapse opens a
// window of K outputs and K inputs starting at it.
func TraNNsformed(c *cluster.Binary, res *cluster.Result, k int) (*Mapping, error) {
	return trannsformed("trannsformed", c, res, k)
}

// Legacy is TraNNsformed counted at the released code's crossbar size
// LegacyK = 4, whatever size the clustering used. Dense and Pruned at
// LegacyK complete the released counter.
func Legacy(c *cluster.Binary, res *cluster.Result) (*Mapping, error) {
	return trannsformed("legacy", c, res, LegacyK)
}

func trannsformed(scheme string, c *cluster.Binary, res *cluster.Result, k int) (*Mapping, error) {
	if err := checkK(k); err != nil {
		return nil, err
	}
	r, cc := c.Dims()
	if res.Rows != r || res.Cols != cc {
		return nil, fmt.Errorf("crossbar: clustering is %dx%d, layer is %dx%d", res.Rows, res.Cols, r, cc)
	}
	m := &Mapping{Scheme: scheme, K: k, Outputs: r, Inputs: cc}
	left := c.Clone()
	for bi, b := range res.Blocks {
		for _, o := range b.Outputs {
			if o < 0 || o >= r {
				return nil, fmt.Errorf("crossbar: block %d output %d out of range", bi, o)
			}
		}
		for _, i := range b.Inputs {
			if i < 0 || i >= cc {
				return nil, fmt.Errorf("crossbar: block %d input %d out of range", bi, i)
			}
		}
		ic, oc := ceilDiv(len(b.Inputs), k), ceilDiv(len(b.Outputs), k)
		base := len(m.Crossbars)
		for a := 0; a < oc; a++ {
			for d := 0; d < ic; d++ {
				m.Crossbars = append(m.Crossbars, Crossbar{
					Outputs:  b.Outputs[a*k : min(len(b.Outputs), (a+1)*k)],
					Inputs:   b.Inputs[d*k : min(len(b.Inputs), (d+1)*k)],
					Synapses: []Synapse{},
					Block:    bi,
				})
			}
		}
		for po, o := range b.Outputs {
			for pi, i := range b.Inputs {
				if left.Has(o, i) {
					left.Set(o, i, false)
					x := &m.Crossbars[base+(po/k)*ic+pi/k]
					x.Synapses = append(x.Synapses, Synapse{o, i})
				}
			}
		}
	}
	// Greedy windows over the unclustered synapses.
	var buf []int
	for o := 0; o < r; o++ {
		for {
			buf = left.Row(o, buf[:0])
			if len(buf) == 0 {
				break
			}
			i := buf[0]
			x := Crossbar{Outputs: span(o, min(r, o+k)), Inputs: span(i, min(cc, i+k)), Block: -1}
			for _, oo := range x.Outputs {
				for _, ii := range x.Inputs {
					if left.Has(oo, ii) {
						left.Set(oo, ii, false)
						x.Synapses = append(x.Synapses, Synapse{oo, ii})
					}
				}
			}
			m.Crossbars = append(m.Crossbars, x)
		}
	}
	return m, nil
}

package crossbar

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

// Synapse is one synapse of a layer: [0] is the output (row of C), [1] the
// input (column of C).
type Synapse [2]int

// Crossbar is one K x K crossbar of a mapping.
type Crossbar struct {
	Outputs  []int     `json:"outputs"`  // global outputs wired to the columns, at most K
	Inputs   []int     `json:"inputs"`   // global inputs wired to the rows, at most K
	Synapses []Synapse `json:"synapses"` // synapses held
	Block    int       `json:"block"`    // cluster block it was made for, -1 otherwise
}

// Mapping is a layer mapped onto K x K crossbars.
type Mapping struct {
	Scheme    string     `json:"scheme"`
	K         int        `json:"k"`
	Outputs   int        `json:"outputs"` // layer outputs (rows of C)
	Inputs    int        `json:"inputs"`  // layer inputs (columns of C)
	Crossbars []Crossbar `json:"crossbars"`
}

// Count returns the number of crossbars.
func (m *Mapping) Count() int { return len(m.Crossbars) }

// Synapses returns the number of synapses placed.
func (m *Mapping) Synapses() int {
	n := 0
	for _, x := range m.Crossbars {
		n += len(x.Synapses)
	}
	return n
}

// Utilization is synapses / (crossbars · K²), 0 without crossbars.
func (m *Mapping) Utilization() float64 {
	if len(m.Crossbars) == 0 || m.K == 0 {
		return 0
	}
	return float64(m.Synapses()) / float64(len(m.Crossbars)*m.K*m.K)
}

// OutputSpans returns, for every output, the number of crossbars it is
// wired to: an output on s > 1 crossbars needs s−1 partial-sum transfers.
func (m *Mapping) OutputSpans() []int {
	s := make([]int, m.Outputs)
	for _, x := range m.Crossbars {
		for _, o := range x.Outputs {
			s[o]++
		}
	}
	return s
}

// InputFanout returns, for every input, the number of crossbars it is
// wired to: every spike of the input is delivered to each of them.
func (m *Mapping) InputFanout() []int {
	f := make([]int, m.Inputs)
	for _, x := range m.Crossbars {
		for _, i := range x.Inputs {
			f[i]++
		}
	}
	return f
}

// Verify checks the mapping against the layer's connectivity c: matching
// dimensions, at most K distinct outputs and inputs per crossbar, every
// synapse on a crossbar that has its output and input wired, and every
// synapse of c placed exactly once, with nothing else placed.
func (m *Mapping) Verify(c *cluster.Binary) error {
	r, cc := c.Dims()
	if r != m.Outputs || cc != m.Inputs {
		return fmt.Errorf("crossbar: mapping is %dx%d, layer is %dx%d", m.Outputs, m.Inputs, r, cc)
	}
	if m.K <= 0 {
		return fmt.Errorf("crossbar: crossbar size %d", m.K)
	}
	placed := cluster.NewBinary(r, cc)
	n := 0
	outPos := make([]int, r)
	inPos := make([]int, cc)
	for i := range outPos {
		outPos[i] = -1
	}
	for i := range inPos {
		inPos[i] = -1
	}
	for k, x := range m.Crossbars {
		if len(x.Outputs) > m.K || len(x.Inputs) > m.K {
			return fmt.Errorf("crossbar %d: %d outputs, %d inputs exceed K=%d", k, len(x.Outputs), len(x.Inputs), m.K)
		}
		for _, o := range x.Outputs {
			if o < 0 || o >= r {
				return fmt.Errorf("crossbar %d: output %d out of range", k, o)
			}
			if outPos[o] == k {
				return fmt.Errorf("crossbar %d: output %d wired twice", k, o)
			}
			outPos[o] = k
		}
		for _, i := range x.Inputs {
			if i < 0 || i >= cc {
				return fmt.Errorf("crossbar %d: input %d out of range", k, i)
			}
			if inPos[i] == k {
				return fmt.Errorf("crossbar %d: input %d wired twice", k, i)
			}
			inPos[i] = k
		}
		for _, s := range x.Synapses {
			o, i := s[0], s[1]
			if o < 0 || o >= r || i < 0 || i >= cc {
				return fmt.Errorf("crossbar %d: synapse %v out of range", k, s)
			}
			if outPos[o] != k || inPos[i] != k {
				return fmt.Errorf("crossbar %d: synapse %v is not wired to it", k, s)
			}
			if !c.Has(o, i) {
				return fmt.Errorf("crossbar %d: synapse %v is not in the layer", k, s)
			}
			if placed.Has(o, i) {
				return fmt.Errorf("crossbar %d: synapse %v placed twice", k, s)
			}
			placed.Set(o, i, true)
			n++
		}
	}
	if want := c.NNZ(); n != want {
		return fmt.Errorf("crossbar: %d of %d synapses placed", n, want)
	}
	return nil
}

// WriteJSON writes the mapping in the schema of the package documentation.
func (m *Mapping) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("crossbar: writing mapping: %w", err)
	}
	return nil
}

// ReadJSON reads a mapping written by WriteJSON.
func ReadJSON(r io.Reader) (*Mapping, error) {
	var m Mapping
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("crossbar: reading mapping: %w", err)
	}
	return &m, nil
}

func span(lo, hi int) []int {
	s := make([]int, hi-lo)
	for i := range s {
		s[i] = lo + i
	}
	return s
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func checkK(k int) error {
	if k <= 0 {
		return fmt.Errorf("crossbar: crossbar size %d", k)
	}
	return nil
}

package nn

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Confusion is a confusion matrix: Counts[t][p] samples of true class t
// were predicted as class p.
type Confusion struct {
	Counts [][]int
}

// NewConfusion counts true labels against predictions over k classes.
// Labels or predictions outside [0, k) are ignored.
func NewConfusion(truth, pred []int, k int) *Confusion {
	c := &Confusion{Counts: make([][]int, k)}
	for i := range c.Counts {
		c.Counts[i] = make([]int, k)
	}
	for i, t := range truth {
		if i < len(pred) && t >= 0 && t < k && pred[i] >= 0 && pred[i] < k {
			c.Counts[t][pred[i]]++
		}
	}
	return c
}

// Total returns the number of samples counted.
func (c *Confusion) Total() int {
	n := 0
	for _, r := range c.Counts {
		for _, v := range r {
			n += v
		}
	}
	return n
}

// Accuracy returns the fraction of samples on the diagonal.
func (c *Confusion) Accuracy() float64 {
	tot, ok := 0, 0
	for t, r := range c.Counts {
		for p, v := range r {
			tot += v
			if t == p {
				ok += v
			}
		}
	}
	if tot == 0 {
		return 0
	}
	return float64(ok) / float64(tot)
}

// Recall returns the per-class recall (the diagonal over the row sums); a
// class without samples gets 0.
func (c *Confusion) Recall() []float64 {
	out := make([]float64, len(c.Counts))
	for t, r := range c.Counts {
		s := 0
		for _, v := range r {
			s += v
		}
		if s > 0 {
			out[t] = float64(r[t]) / float64(s)
		}
	}
	return out
}

// Matrix returns the counts as a float64 matrix (rows: true class).
func (c *Confusion) Matrix() *mat.Dense {
	k := len(c.Counts)
	if k == 0 {
		return &mat.Dense{}
	}
	d := mat.NewDense(k, k, nil)
	for t, r := range c.Counts {
		for p, v := range r {
			d.Set(t, p, float64(v))
		}
	}
	return d
}

// String prints the matrix as a text table.
func (c *Confusion) String() string {
	var b strings.Builder
	b.WriteString("true\\pred")
	for p := range c.Counts {
		fmt.Fprintf(&b, " %5d", p)
	}
	b.WriteByte('\n')
	for t, r := range c.Counts {
		fmt.Fprintf(&b, "%9d", t)
		for _, v := range r {
			fmt.Fprintf(&b, " %5d", v)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

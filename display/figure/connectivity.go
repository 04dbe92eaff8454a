package figure

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Block is a rectangle of a layer's connectivity matrix in permuted
// coordinates: rows [Row, Row+Rows) (output neurons) by columns
// [Col, Col+Cols) (input neurons). A cluster of TraNNsformer is a block.
type Block struct {
	Row, Col   int
	Rows, Cols int
}

// ConnectivityOptions says how to draw a connectivity matrix. The zero
// value draws the matrix as it is, nonzero entries dark, with no blocks
// and no crossbar grid.
type ConnectivityOptions struct {
	Title string
	// RowPerm and ColPerm permute the matrix before drawing: row i of the
	// picture is row RowPerm[i] of the matrix. Nil means the identity.
	RowPerm, ColPerm []int
	// Blocks are outlined (in permuted coordinates), and, when K > 0, each
	// block is divided into the K×K crossbars that hold it.
	Blocks []Block
	// K is the crossbar size. With no blocks, K > 0 draws the K×K grid of
	// the dense mapping over the whole matrix.
	K int
	// Magnitude shades entries by |value| relative to the largest,
	// instead of drawing every nonzero entry at full strength.
	Magnitude bool
	// Note is added to the line under the title that says what is drawn.
	Note string
	// MaxPixels caps the raster's side; larger matrices are averaged down.
	// Zero means 600.
	MaxPixels int
}

// Connectivity draws a layer's connectivity matrix (outputs × inputs) as a
// heat map, optionally permuted, with cluster blocks outlined and crossbar
// boundaries dashed. Row 0 is at the top, as in a printed matrix.
func Connectivity(c mat.Matrix, o ConnectivityOptions) (*plot.Plot, error) {
	if c == nil {
		return nil, fmt.Errorf("figure: nil connectivity matrix")
	}
	rows, cols := c.Dims()
	if rows == 0 || cols == 0 {
		return nil, fmt.Errorf("figure: empty connectivity matrix %d×%d", rows, cols)
	}
	if err := checkPerm(o.RowPerm, rows, "row"); err != nil {
		return nil, err
	}
	if err := checkPerm(o.ColPerm, cols, "column"); err != nil {
		return nil, err
	}
	for i, b := range o.Blocks {
		if b.Rows <= 0 || b.Cols <= 0 || b.Row < 0 || b.Col < 0 || b.Row+b.Rows > rows || b.Col+b.Cols > cols {
			return nil, fmt.Errorf("figure: block %d %+v outside the %d×%d matrix", i, b, rows, cols)
		}
	}
	if o.K < 0 {
		return nil, fmt.Errorf("figure: negative crossbar size %d", o.K)
	}

	title := o.Title
	var notes []string
	if len(o.Blocks) > 0 {
		notes = append(notes, fmt.Sprintf("%d cluster blocks outlined", len(o.Blocks)))
	}
	if o.Note != "" {
		notes = append(notes, o.Note)
	}
	if o.K > 0 {
		notes = append(notes, fmt.Sprintf("dashed: %d×%d crossbars", o.K, o.K))
	}
	if len(notes) > 0 {
		if title != "" {
			title += "\n"
		}
		// One line when it fits above a half-width panel, else one per note.
		sep := "; "
		if len(strings.Join(notes, sep)) > 55 {
			sep = "\n"
		}
		title += strings.Join(notes, sep)
	}
	p := newPlot(title, fmt.Sprintf("input neuron (%d columns)", cols), fmt.Sprintf("output neuron (%d rows)", rows))
	img := connectivityImage(c, o)
	p.Add(plotter.NewImage(img, 0, 0, float64(cols), float64(rows)))
	p.X.Min, p.X.Max = 0, float64(cols)
	p.Y.Min, p.Y.Max = 0, float64(rows)
	p.Y.Tick.Marker = flippedTicks{n: rows}
	p.X.Tick.Marker = integerTicks{}

	grid := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	if o.K > 0 && len(o.Blocks) == 0 {
		if err := addGridLines(p, Block{Rows: rows, Cols: cols}, o.K, rows, grid); err != nil {
			return nil, err
		}
	}
	for i, b := range o.Blocks {
		if o.K > 0 {
			if err := addGridLines(p, b, o.K, rows, grid); err != nil {
				return nil, err
			}
		}
		outline := draw.LineStyle{Color: blockColors[i%len(blockColors)], Width: vg.Points(1.6)}
		if err := addRect(p, b, rows, outline); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ConnectivityPair returns two plots of one layer: the matrix as it is with
// the dense K×K crossbar grid, and the matrix permuted with the blocks and
// their crossbars; display them side by side with display.Plots.
func ConnectivityPair(c mat.Matrix, o ConnectivityOptions) ([]*plot.Plot, error) {
	title := o.Title
	if title != "" {
		title += ": "
	}
	before, err := Connectivity(c, ConnectivityOptions{Title: title + "before permutation", K: o.K, Magnitude: o.Magnitude, MaxPixels: o.MaxPixels})
	if err != nil {
		return nil, err
	}
	after := o
	after.Title = title + "after permutation"
	a, err := Connectivity(c, after)
	if err != nil {
		return nil, err
	}
	return []*plot.Plot{before, a}, nil
}

func checkPerm(perm []int, n int, what string) error {
	if perm == nil {
		return nil
	}
	if len(perm) != n {
		return fmt.Errorf("figure: %s permutation has %d entries, want %d", what, len(perm), n)
	}
	seen := make([]bool, n)
	for _, v := range perm {
		if v < 0 || v >= n || seen[v] {
			return fmt.Errorf("figure: %s permutation is not a permutation of 0..%d", what, n-1)
		}
		seen[v] = true
	}
	return nil
}

// connectivityImage rasterizes the (permuted) matrix, averaging blocks of
// entries into one pixel when the matrix is larger than o.MaxPixels.
func connectivityImage(c mat.Matrix, o ConnectivityOptions) *image.NRGBA {
	rows, cols := c.Dims()
	maxPix := o.MaxPixels
	if maxPix <= 0 {
		maxPix = 600
	}
	step := int(math.Ceil(float64(max(rows, cols)) / float64(maxPix)))
	step = max(step, 1)
	h, w := (rows+step-1)/step, (cols+step-1)/step
	sum := make([]float64, h*w)
	cnt := make([]float64, h*w)
	scale := 1.0
	if o.Magnitude {
		m := 0.0
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				m = math.Max(m, math.Abs(c.At(i, j)))
			}
		}
		if m > 0 {
			scale = 1 / m
		}
	}
	for i := 0; i < rows; i++ {
		si := i
		if o.RowPerm != nil {
			si = o.RowPerm[i]
		}
		for j := 0; j < cols; j++ {
			sj := j
			if o.ColPerm != nil {
				sj = o.ColPerm[j]
			}
			v := c.At(si, sj)
			var x float64
			switch {
			case o.Magnitude:
				x = math.Abs(v) * scale
			case v != 0:
				x = 1
			}
			k := (i/step)*w + j/step
			sum[k] += x
			cnt[k]++
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	// White for zero to the figures' blue for full.
	lo, hi := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, color.NRGBA{R: 0x6a, G: 0xa5, B: 0xd8, A: 0xff}
	for k := range sum {
		f := 0.0
		if cnt[k] > 0 {
			f = sum[k] / cnt[k]
		}
		if f > 0 && step > 1 {
			// Lift sparse averages so isolated synapses stay visible.
			f = math.Sqrt(f)
		}
		img.SetNRGBA(k%w, k/w, lerp(lo, hi, f))
	}
	return sharpen(img, 800)
}

func lerp(a, b color.NRGBA, f float64) color.NRGBA {
	f = math.Max(0, math.Min(1, f))
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f)) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// addRect outlines block b; rows is the matrix height (row 0 is drawn at
// the top).
func addRect(p *plot.Plot, b Block, rows int, ls draw.LineStyle) error {
	x0, x1 := float64(b.Col), float64(b.Col+b.Cols)
	y0, y1 := float64(rows-b.Row-b.Rows), float64(rows-b.Row)
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	if err != nil {
		return fmt.Errorf("figure: outline: %w", err)
	}
	l.LineStyle = ls
	p.Add(l)
	return nil
}

// addGridLines draws the interior boundaries of the k×k crossbars that tile
// block b.
func addGridLines(p *plot.Plot, b Block, k, rows int, ls draw.LineStyle) error {
	var segs []plotter.XYs
	for c := b.Col + k; c < b.Col+b.Cols; c += k {
		segs = append(segs, plotter.XYs{{X: float64(c), Y: float64(rows - b.Row - b.Rows)}, {X: float64(c), Y: float64(rows - b.Row)}})
	}
	for r := b.Row + k; r < b.Row+b.Rows; r += k {
		y := float64(rows - r)
		segs = append(segs, plotter.XYs{{X: float64(b.Col), Y: y}, {X: float64(b.Col + b.Cols), Y: y}})
	}
	for _, s := range segs {
		l, err := plotter.NewLine(s)
		if err != nil {
			return fmt.Errorf("figure: grid line: %w", err)
		}
		l.LineStyle = ls
		p.Add(l)
	}
	return nil
}

// flippedTicks labels a y axis drawn with row 0 at the top of n rows: the
// tick at height y is row n-y.
type flippedTicks struct{ n int }

func (t flippedTicks) Ticks(min, max float64) []plot.Tick {
	ts := integerTicks{}.Ticks(float64(t.n)-max, float64(t.n)-min)
	out := make([]plot.Tick, len(ts))
	for i, tk := range ts {
		out[i] = plot.Tick{Value: float64(t.n) - tk.Value, Label: tk.Label}
	}
	return out
}

// blockColors outline cluster blocks: strong colours that stand out on
// both the white background and the blue synapses.
var blockColors = []color.Color{Color(1), Color(2), Color(3), Color(4)}

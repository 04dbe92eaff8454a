package figure

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

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
	// MaxPixels caps the raster's side: a larger matrix is drawn as a
	// heat map of the density of synapses in square bins of entries, with
	// a colour key. Zero means 160: a matrix up to 160 entries a side is
	// drawn entry by entry, a larger one in bins of 2, 4, 8… entries a
	// side, at most 128 bins along its longer side.
	MaxPixels int
	// DensityMax is the top of the colour scale of a heat map of bins, a
	// share in (0,1]. Zero means the densest bin rounded up (a multiple of
	// 5%, or of 1% below 10%), so that a sparse layer uses the whole scale;
	// ConnectivityPair gives both pictures the same scale.
	DensityMax float64
	// XLabel and YLabel name the axes. Empty means "input neuron (n
	// columns)" and "output neuron (n rows)", or "node (n)" on both axes
	// for a symmetric matrix (the adjacency of a graph).
	XLabel, YLabel string
}

// Connectivity draws a layer's connectivity matrix (outputs × inputs),
// optionally permuted, with cluster blocks outlined and crossbar boundaries
// dashed. Row 0 is at the top, as in a printed matrix. A small matrix is
// drawn entry by entry, a synapse dark on white; a large one as the
// density of synapses in square bins (ConnectivityOptions.MaxPixels), from
// white (none) to dark blue (all), with a colour key on the right, so that
// dense and sparse regions stay apart at any sparsity.
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
	if !(o.DensityMax >= 0 && o.DensityMax <= 1) {
		return nil, fmt.Errorf("figure: density scale up to %v, want a share in (0,1] or 0 for automatic", o.DensityMax)
	}

	bin := connectivityBin(rows, cols, o.MaxPixels)
	title := o.Title
	var notes []string
	if len(o.Blocks) > 0 {
		plural := "s"
		if len(o.Blocks) == 1 {
			plural = ""
		}
		notes = append(notes, fmt.Sprintf("%d cluster block%s outlined", len(o.Blocks), plural))
	}
	if o.Note != "" {
		notes = append(notes, o.Note)
	}
	// Say what the grid shows only where it shows something: blocks no
	// larger than a crossbar have no interior boundary to dash.
	var grid []Block
	if o.K > 0 && len(o.Blocks) == 0 {
		grid = append(grid, Block{Rows: rows, Cols: cols})
	}
	if o.K > 0 {
		for _, b := range o.Blocks {
			if visibleBoundary(b, o.K, rows, cols) {
				grid = append(grid, b)
			}
		}
	}
	switch {
	case len(grid) > 0 && len(o.Blocks) > 0:
		notes = append(notes, fmt.Sprintf("dashed: %d×%d crossbars within blocks", o.K, o.K))
	case len(grid) > 0:
		notes = append(notes, fmt.Sprintf("dashed: %d×%d crossbars", o.K, o.K))
	case o.K > 0 && len(o.Blocks) > 0 && blocksFit(o.Blocks, o.K):
		notes = append(notes, fmt.Sprintf("one %d×%d crossbar per block", o.K, o.K))
	}
	if bin > 1 {
		what := "share of %d×%d entries holding a synapse"
		if o.Magnitude {
			what = "mean |weight| of %d×%d entries"
		}
		notes = append(notes, fmt.Sprintf("colour: "+what, bin, bin))
	}
	if len(notes) > 0 {
		if title != "" {
			title += "\n"
		}
		// As many notes to a line as fit above a half-width panel.
		var lines []string
		for _, n := range notes {
			if k := len(lines) - 1; k >= 0 && utf8.RuneCountInString(lines[k]+"; "+n) <= 55 {
				lines[k] += "; " + n
				continue
			}
			lines = append(lines, n)
		}
		title += strings.Join(lines, "\n")
	}
	xlabel, ylabel := fmt.Sprintf("input neuron (%d columns)", cols), fmt.Sprintf("output neuron (%d rows)", rows)
	if _, ok := c.(mat.Symmetric); ok {
		xlabel, ylabel = fmt.Sprintf("node (%d)", cols), fmt.Sprintf("node (%d)", rows)
	}
	if o.XLabel != "" {
		xlabel = o.XLabel
	}
	if o.YLabel != "" {
		ylabel = o.YLabel
	}
	p := newPlot(title, xlabel, ylabel)
	img, top := connectivityImage(c, o)
	p.Add(plotter.NewImage(img, 0, 0, float64(cols), float64(rows)))
	p.X.Min, p.X.Max = 0, float64(cols)
	p.Y.Min, p.Y.Max = 0, float64(rows)
	p.Y.Tick.Marker = flippedTicks{n: rows}
	p.X.Tick.Marker = integerTicks{}
	if bin > 1 {
		// Room on the right for the colour key; ticks stop at the matrix.
		p.X.Max = float64(cols) * (1 + keyWidth)
		p.X.Tick.Marker = clippedTicks{integerTicks{}, 0, float64(cols)}
		p.Add(colorKey{x: float64(cols), rows: float64(rows), top: top, magnitude: o.Magnitude})
	}

	// Dashes over a white line: visible on white and on dark blue alike.
	under := draw.LineStyle{Color: color.White, Width: vg.Points(2)}
	dashed := draw.LineStyle{Color: color.Black, Width: vg.Points(0.9), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	for _, b := range grid {
		for _, ls := range []draw.LineStyle{under, dashed} {
			if err := addGridLines(p, b, o.K, rows, ls); err != nil {
				return nil, err
			}
		}
	}
	for i, b := range o.Blocks {
		outline := draw.LineStyle{Color: blockColors[i%len(blockColors)], Width: vg.Points(1.6)}
		if bin > 1 {
			// A white rim keeps the outline apart from dark bins.
			if err := addRect(p, b, rows, draw.LineStyle{Color: color.White, Width: vg.Points(3)}); err != nil {
				return nil, err
			}
		}
		if err := addRect(p, b, rows, outline); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// visibleBoundary reports whether block b has a crossbar boundary inside
// that a reader would see in a rows×cols matrix: one as long as the block
// is thick, clear of the block's outline on the far side.
func visibleBoundary(b Block, k, rows, cols int) bool {
	// The first boundary, k from the near edge, is the farthest from the
	// far one.
	clearC, clearR := b.Cols-k, b.Rows-k
	across := b.Cols > k && clearC >= max(3, cols/40) && b.Rows >= max(3, rows/30)
	down := b.Rows > k && clearR >= max(3, rows/40) && b.Cols >= max(3, cols/30)
	return across || down
}

// blocksFit reports whether every block fits one k×k crossbar.
func blocksFit(blocks []Block, k int) bool {
	for _, b := range blocks {
		if b.Rows > k || b.Cols > k {
			return false
		}
	}
	return true
}

// connectivityBin is the side of the square bins of entries drawn as one
// cell of a rows×cols matrix with at most maxPix cells a side (0 for the
// default).
func connectivityBin(rows, cols, maxPix int) int {
	side := max(rows, cols)
	if maxPix > 0 {
		return max(1, (side+maxPix-1)/maxPix)
	}
	if side <= 160 {
		return 1
	}
	bin := 2
	for (side+bin-1)/bin > 128 {
		bin *= 2
	}
	return bin
}

// ConnectivityPair returns two plots of one layer: the matrix as it is with
// the dense K×K crossbar grid, and the matrix permuted with the blocks and
// their crossbars; display them side by side with display.Plots.
func ConnectivityPair(c mat.Matrix, o ConnectivityOptions) ([]*plot.Plot, error) {
	title := o.Title
	if title != "" {
		title += ": "
	}
	if c == nil {
		return nil, fmt.Errorf("figure: nil connectivity matrix")
	}
	rows, cols := c.Dims()
	if err := checkPerm(o.RowPerm, rows, "row"); err != nil {
		return nil, err
	}
	if err := checkPerm(o.ColPerm, cols, "column"); err != nil {
		return nil, err
	}
	if o.DensityMax == 0 && rows > 0 && cols > 0 && connectivityBin(rows, cols, o.MaxPixels) > 1 {
		o.DensityMax = pairScale(c, o) // one colour scale for both pictures
	}
	before, err := Connectivity(c, ConnectivityOptions{Title: title + "before permutation", K: o.K, Magnitude: o.Magnitude,
		MaxPixels: o.MaxPixels, DensityMax: o.DensityMax, XLabel: o.XLabel, YLabel: o.YLabel})
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

// pairScale is the top of a colour scale that fits c's bins both as it is
// and permuted by o.
func pairScale(c mat.Matrix, o ConnectivityOptions) float64 {
	plain := o
	plain.RowPerm, plain.ColPerm = nil, nil
	_, _, _, d0 := binMeans(c, plain)
	_, _, _, d1 := binMeans(c, o)
	return densityTop(max(d0, d1))
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

// connectivityImage rasterizes the (permuted) matrix: entry by entry,
// or, when it is larger than o.MaxPixels allows, as the mean of bins of
// entries (the share holding a synapse, or the mean magnitude) on the
// density colour scale from 0 to top, a round value at or above the
// densest bin, so that a sparse layer uses the whole scale too.
func connectivityImage(c mat.Matrix, o ConnectivityOptions) (*image.NRGBA, float64) {
	means, w, h, densest := binMeans(c, o)
	rows, cols := c.Dims()
	step := connectivityBin(rows, cols, o.MaxPixels)
	top := o.DensityMax
	if top <= 0 {
		top = densityTop(densest)
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	// Entry by entry: white for zero to the figures' blue for full.
	lo, hi := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, color.NRGBA{R: 0x6a, G: 0xa5, B: 0xd8, A: 0xff}
	for k, f := range means {
		if step > 1 {
			img.SetNRGBA(k%w, k/w, densityColor(f/top))
		} else {
			img.SetNRGBA(k%w, k/w, lerp(lo, hi, f))
		}
	}
	return sharpen(img, 800), top
}

// binMeans averages the (permuted) matrix over square bins of
// connectivityBin entries a side: the share of entries holding a synapse,
// or, with o.Magnitude, the mean |value| relative to the largest. It
// returns the means row by row, the bins across and down, and the largest
// mean.
func binMeans(c mat.Matrix, o ConnectivityOptions) (means []float64, w, h int, densest float64) {
	rows, cols := c.Dims()
	step := connectivityBin(rows, cols, o.MaxPixels)
	h, w = (rows+step-1)/step, (cols+step-1)/step
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
	for k := range sum {
		if cnt[k] > 0 {
			sum[k] /= cnt[k]
			densest = max(densest, sum[k])
		}
	}
	return sum, w, h, densest
}

// densityTop rounds the densest bin's mean d up to the top of the colour
// scale: a multiple of 1% below 10%, of 5% above; 1% at least.
func densityTop(d float64) float64 {
	switch {
	case d <= 0.01:
		return 0.01
	case d <= 0.1:
		return math.Ceil(d*100-1e-9) / 100
	default:
		return math.Min(1, math.Ceil(d*20-1e-9)/20)
	}
}

// densityScale runs from white through light to dark blue (ColorBrewer's
// Blues), evenly spaced over [0,1]; an empty bin is pure white.
var densityScale = []color.NRGBA{
	{R: 0xf7, G: 0xfb, B: 0xff, A: 0xff},
	{R: 0xde, G: 0xeb, B: 0xf7, A: 0xff},
	{R: 0xc6, G: 0xdb, B: 0xef, A: 0xff},
	{R: 0x9e, G: 0xca, B: 0xe1, A: 0xff},
	{R: 0x6b, G: 0xae, B: 0xd6, A: 0xff},
	{R: 0x42, G: 0x92, B: 0xc6, A: 0xff},
	{R: 0x21, G: 0x71, B: 0xb5, A: 0xff},
	{R: 0x08, G: 0x51, B: 0x9c, A: 0xff},
	{R: 0x08, G: 0x30, B: 0x6b, A: 0xff},
}

// densityColor is the colour of a bin whose mean is f in [0,1].
func densityColor(f float64) color.NRGBA {
	if f <= 0 {
		return color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	}
	f = math.Min(1, f) * float64(len(densityScale)-1)
	i := min(int(f), len(densityScale)-2)
	return lerp(densityScale[i], densityScale[i+1], f-float64(i))
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

// keyWidth is the share of the matrix width added on the right of a
// density heat map for its colour key.
const keyWidth = 0.2

// colorKey draws the density colour scale as a vertical strip just right
// of a matrix x columns wide and rows high, labelled in percent (or
// relative to the largest magnitude).
type colorKey struct {
	x, rows   float64
	top       float64 // the mean at the dark end
	magnitude bool
}

// Plot implements plot.Plotter.
func (k colorKey) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	x0 := trX(k.x*(1+0.04)) + vg.Points(2)
	x1 := x0 + vg.Points(8)
	y0, y1 := trY(0), trY(k.rows)
	const steps = 64
	for s := 0; s < steps; s++ {
		lo := y0 + (y1-y0)*vg.Length(s)/steps
		hi := y0 + (y1-y0)*vg.Length(s+1)/steps
		if s < steps-1 {
			hi += (y1 - y0) / steps / 2 // overlap the next step: no seam
		}
		f := (float64(s) + 0.5) / steps
		c.FillPolygon(densityColor(f), []vg.Point{{X: x0, Y: lo}, {X: x0, Y: hi}, {X: x1, Y: hi}, {X: x1, Y: lo}})
	}
	edge := draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: vg.Points(0.5)}
	c.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}, {X: x0, Y: y0}})
	sty := plt.Y.Tick.Label
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	pc := func(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + "%" }
	labels := []string{"0%", "", pc(k.top / 2), "", pc(k.top)}
	if k.magnitude {
		// Means of |weight| relative to the largest.
		mx := func(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) + "·max" }
		labels = []string{"0", "", mx(k.top / 2), "", mx(k.top)}
	}
	for i, l := range labels {
		y := y0 + (y1-y0)*vg.Length(i)/vg.Length(len(labels)-1)
		c.StrokeLine2(edge, x1, y, x1+vg.Points(2), y)
		if l != "" {
			c.FillText(sty, vg.Point{X: x1 + vg.Points(3), Y: y}, l)
		}
	}
}

// clippedTicks keeps the ticks of a ticker within [lo, hi].
type clippedTicks struct {
	plot.Ticker
	lo, hi float64
}

// Ticks implements plot.Ticker.
func (t clippedTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, tk := range t.Ticker.Ticks(math.Max(min, t.lo), math.Min(max, t.hi)) {
		if tk.Value >= t.lo && tk.Value <= t.hi {
			out = append(out, tk)
		}
	}
	return out
}

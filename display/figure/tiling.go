package figure

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// TilingOptions labels a crossbar tiling. The zero value means no title
// and as many columns as make the grid roughly square.
type TilingOptions struct {
	Title string
	// Cols is the number of crossbars per row of the picture.
	Cols int
}

// Tiling draws the crossbars of a layer side by side, each as a K×K square
// of cells: a used cell (a nonzero entry of its matrix) is dark, an unused
// one light. used[i] is the occupancy of crossbar i, at most K×K; a
// smaller matrix fills the top-left corner. The title says how many
// crossbars there are and their mean utilization.
func Tiling(used []mat.Matrix, k int, o TilingOptions) (*plot.Plot, error) {
	if k <= 0 {
		return nil, fmt.Errorf("figure: crossbar size %d, want > 0", k)
	}
	if len(used) == 0 {
		return nil, fmt.Errorf("figure: no crossbars to draw")
	}
	for i, m := range used {
		if m == nil {
			return nil, fmt.Errorf("figure: crossbar %d is nil", i)
		}
		if r, c := m.Dims(); r > k || c > k {
			return nil, fmt.Errorf("figure: crossbar %d is %d×%d, larger than %d×%d", i, r, c, k, k)
		}
	}
	n := len(used)
	cols := o.Cols
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(n))))
	}
	rows := (n + cols - 1) / cols
	gap := max(1, k/8)
	cell := 1
	pitch := k*cell + gap
	img := image.NewNRGBA(image.Rect(0, 0, cols*pitch+gap, rows*pitch+gap))
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	free := color.NRGBA{R: 0xe4, G: 0xe8, B: 0xee, A: 0xff}
	usedC := color.NRGBA{R: 0x08, G: 0x51, B: 0x9c, A: 0xff}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			img.SetNRGBA(x, y, white)
		}
	}
	total := 0
	for i, m := range used {
		r, c := m.Dims()
		ox, oy := gap+(i%cols)*pitch, gap+(i/cols)*pitch
		for y := 0; y < k; y++ {
			for x := 0; x < k; x++ {
				col := free
				if y < r && x < c && m.At(y, x) != 0 {
					col = usedC
					total++
				}
				for dy := 0; dy < cell; dy++ {
					for dx := 0; dx < cell; dx++ {
						img.SetNRGBA(ox+x*cell+dx, oy+y*cell+dy, col)
					}
				}
			}
		}
	}
	util := float64(total) / float64(n*k*k)
	title := o.Title
	if title != "" {
		title += "\n"
	}
	title += fmt.Sprintf("%d crossbars of %d×%d, mean utilization %.1f%% (dark: used cell)", n, k, k, 100*util)
	p := newPlot(title, "", "")
	w, h := float64(b.Dx()), float64(b.Dy())
	p.Add(plotter.NewImage(sharpen(img, 800), 0, 0, w, h))
	// Keep crossbars square on the usual 6×4 inch canvas (data area about
	// 1.6 times wider than tall) by padding the shorter axis.
	const aspect = 1.6
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, w, 0, h
	if w/h < aspect {
		pad := (aspect*h - w) / 2
		p.X.Min, p.X.Max = -pad, w+pad
	} else {
		pad := (w/aspect - h) / 2
		p.Y.Min, p.Y.Max = -pad, h+pad
	}
	p.HideAxes()
	return p, nil
}

package display

import (
	"bytes"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PlotOptions says how to render a *plot.Plot. The zero value means a
// 6×4 inch PNG shown at 96 pixels per inch and drawn at twice that
// resolution, so it stays sharp on high-density screens.
type PlotOptions struct {
	// Format is "png" (the default) or "svg".
	Format string
	// Width and Height of one plot; zero means 6in and 4in.
	Width, Height vg.Length
	// DPI is the displayed resolution of PNG output; zero means 96. The
	// image is drawn at Scale times this and shown at this size.
	DPI float64
	// Scale is the oversampling of PNG output; zero means 2.
	Scale float64
	// Cols is the number of columns when several plots share one image
	// (see Plots); zero means all in one row.
	Cols int
}

func (o PlotOptions) withDefaults() PlotOptions {
	if o.Format == "" {
		o.Format = "png"
	}
	if o.Width <= 0 {
		o.Width = 6 * vg.Inch
	}
	if o.Height <= 0 {
		o.Height = 4 * vg.Inch
	}
	if o.DPI <= 0 {
		o.DPI = 96
	}
	if o.Scale <= 0 {
		o.Scale = 2
	}
	return o
}

// Plot returns a bundle showing p as a PNG with width and height metadata.
// A plot that fails to render gives a text bundle with the error.
func Plot(p *plot.Plot) Bundle { return PlotWith(p, PlotOptions{}) }

// PlotSVG returns a bundle showing p as an SVG document.
func PlotSVG(p *plot.Plot) Bundle { return PlotWith(p, PlotOptions{Format: "svg"}) }

// PlotWith returns a bundle showing p rendered with o.
func PlotWith(p *plot.Plot, o PlotOptions) Bundle {
	b, err := RenderPlots(o, p)
	if err != nil {
		return textBundle(err.Error())
	}
	return b
}

// Plots returns a bundle showing several plots side by side in one PNG,
// each 6×4 inches.
func Plots(ps ...*plot.Plot) Bundle {
	b, err := RenderPlots(PlotOptions{}, ps...)
	if err != nil {
		return textBundle(err.Error())
	}
	return b
}

// RenderPlots renders one or more plots into one image laid out in a grid
// of o.Cols columns, and returns its bundle. It fails on an unknown format,
// a nil plot or a drawing error.
func RenderPlots(o PlotOptions, ps ...*plot.Plot) (Bundle, error) {
	o = o.withDefaults()
	if len(ps) == 0 {
		return Bundle{}, fmt.Errorf("display: no plot to render")
	}
	for i, p := range ps {
		if p == nil {
			return Bundle{}, fmt.Errorf("display: plot %d is nil", i)
		}
	}
	cols := o.Cols
	if cols <= 0 || cols > len(ps) {
		cols = len(ps)
	}
	rows := (len(ps) + cols - 1) / cols
	w, h := o.Width*vg.Length(cols), o.Height*vg.Length(rows)

	var c vg.CanvasWriterTo
	switch o.Format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(math.Round(o.DPI*o.Scale))))}
	case "svg":
		c = vgsvg.New(w, h)
	default:
		return Bundle{}, fmt.Errorf("display: unknown plot format %q (want png or svg)", o.Format)
	}
	if err := drawPlots(c, ps, rows, cols); err != nil {
		return Bundle{}, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return Bundle{}, fmt.Errorf("display: writing %s: %w", o.Format, err)
	}
	title := ps[0].Title.Text
	if title == "" {
		title = "plot"
	}
	if len(ps) > 1 {
		title = fmt.Sprintf("%s (+%d more)", title, len(ps)-1)
	}
	pw := int(math.Round(float64(w/vg.Inch) * o.DPI))
	ph := int(math.Round(float64(h/vg.Inch) * o.DPI))
	if o.Format == "svg" {
		b := SVG(buf.String())
		b.Data["text/plain"] = fmt.Sprintf("<plot %q, SVG %d×%d>", title, pw, ph)
		return b, nil
	}
	b := imageBundle("image/png", buf.Bytes(), pw, ph)
	b.Data["text/plain"] = fmt.Sprintf("<plot %q, PNG %d×%d>", title, pw, ph)
	return b, nil
}

// drawPlots draws ps on c in a rows×cols grid, recovering drawing panics
// (gonum/plot panics on some degenerate inputs) as errors.
func drawPlots(c vg.CanvasSizer, ps []*plot.Plot, rows, cols int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("display: drawing plot: %v", r)
		}
	}()
	dc := draw.New(c)
	if len(ps) == 1 {
		ps[0].Draw(dc)
		return nil
	}
	t := draw.Tiles{Rows: rows, Cols: cols}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for k := range cols {
			if i := r*cols + k; i < len(ps) {
				grid[r][k] = ps[i]
			}
		}
	}
	canvases := plot.Align(grid, t, dc)
	for r := range grid {
		for k := range grid[r] {
			if grid[r][k] != nil {
				grid[r][k].Draw(canvases[r][k])
			}
		}
	}
	return nil
}

// Figure returns the bundle of a plot made by a function that can fail,
// such as those of display/figure, so that a cell can write
//
//	display.Show(display.Figure(figure.Utilization(u, figure.UtilizationOptions{})))
//
// A non-nil err gives a text bundle with the error.
func Figure(p *plot.Plot, err error) Bundle {
	if err != nil {
		return textBundle("error: " + err.Error())
	}
	return Plot(p)
}

// Figures is Figure for functions returning several plots (such as
// figure.ConnectivityPair): they are drawn side by side, each 5×5 inches.
func Figures(ps []*plot.Plot, err error) Bundle {
	if err != nil {
		return textBundle("error: " + err.Error())
	}
	b, err := RenderPlots(PlotOptions{Width: 5 * vg.Inch, Height: 5 * vg.Inch}, ps...)
	if err != nil {
		return textBundle("error: " + err.Error())
	}
	return b
}

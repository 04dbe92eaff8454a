package figure

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/trannsformer/gotrann/display/internal/chart"
)

// Series is one named curve: Y[i] at X[i]. Points where either is NaN or
// infinite are skipped.
type Series struct {
	Name string
	X, Y []float64
}

// CurvesOptions labels a curves plot. The zero value gives no title,
// "epoch" on the x axis and no y label.
type CurvesOptions struct {
	Title, XLabel, YLabel string
	// Percent labels the y axis in percent; use it for fractions in [0,1]
	// such as accuracy or sparsity. The axis then spans 0 to 100%.
	Percent bool
	// Markers draws a dot at every point (the default draws one only for
	// series with a single point).
	Markers bool
}

// Curves plots series as lines with a legend, for training curves (loss,
// accuracy, sparsity, unclustered fraction against epochs) and any other
// curves over a shared x axis. It fails when a series has not as many x
// as y values. The live curves of display.Monitor are drawn the same way.
func Curves(o CurvesOptions, series ...Series) (*plot.Plot, error) {
	ss := make([]chart.Series, len(series))
	for i, s := range series {
		ss[i] = chart.Series(s)
	}
	p, err := chart.Curves(chart.CurvesOptions(o), ss...)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	return p, nil
}

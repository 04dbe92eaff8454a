package monitor

import (
	"encoding/base64"
	"flag"
	"math"
	"os"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/trannsformer"
)

var update = flag.Bool("update", false, "rewrite the golden images under testdata")

// TestTransformCurvesGolden draws the curves of a TraNNsformer run as
// notebook 05 stores them (its transform helper declares these series):
// 24 epochs, whose axis the default ticker left without a single label, and
// a crossbar count that must read as integers.
func TestTransformCurvesGolden(t *testing.T) {
	d, r, c := newTestDisplay()
	m := d.NewMonitor("TraNNsformer, reference schedule, k = 64")
	m.Track("loss", "loss")
	m.Track("accuracy", display.FractionPanel)
	m.Track("test accuracy", display.FractionPanel)
	m.Track("sparsity", display.FractionPanel)
	m.Track("unclustered", display.FractionPanel)
	m.Track("crossbars", "crossbars")
	observe := Transform(m)
	const epochs = 24
	for e := 1; e <= epochs; e++ {
		x := float64(e)
		p := trannsformer.Progress{Epoch: e, Epochs: epochs, Phase: "train",
			Loss: 0.05 + 0.3*math.Exp(-x/2.5), Accuracy: 0.97 - 0.45*math.Exp(-x/1.5),
			TestAccuracy: 0.965 - 0.1*math.Exp(-x/2), Sparsity: 0.4 * (1 - math.Exp(-x/8)),
			Unclustered: 1, Crossbars: 70}
		if e > 5 {
			p.Unclustered = 0.12 + 0.3*math.Exp(-float64(e-5)/3)
			p.Crossbars = 900 + 14*(e-5)
		}
		if e > 19 {
			p.Crossbars = 1180 - 150*(e-19)
		}
		c.advance(1e9)
		observe(p)
	}
	_, curves := r.curves()
	last := curves[len(curves)-1].b
	png, err := base64.StdEncoding.DecodeString(last.Data["image/png"].(string))
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/transform_curves_golden.png"
	if *update {
		if err := os.WriteFile(golden, png, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile("testdata/transform_curves.png", png, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := cmpimg.Equal("png", png, want); err != nil || !ok {
		t.Errorf("curves differ from %s (new image in testdata/transform_curves.png; -update to accept): %v", golden, err)
	}
}

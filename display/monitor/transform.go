package monitor

import (
	"fmt"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/trannsformer"
)

// Transform returns a progress callback for trannsformer.Transform that
// drives m: the bar counts epochs and, after every epoch, the curves show
// the named values of the report (trannsformer.Progress.Values: loss,
// accuracy, sparsity, the unclustered fraction, the crossbars) against the
// epoch. After the last epoch it calls m.Done. Series not declared on m
// beforehand (Track) get a panel of their own name.
func Transform(m *display.Monitor) func(trannsformer.Progress) {
	return func(p trannsformer.Progress) {
		bar := m.Bar(p.Epochs)
		label := fmt.Sprintf("epoch %d/%d %s loss %.4f acc %.1f%% crossbars %d", p.Epoch, p.Epochs, p.Phase, p.Loss, 100*p.Accuracy, p.Crossbars)
		if title := m.Title(); title != "" {
			label = title + " " + label
		}
		bar.SetLabel(label)
		bar.Set(p.Epoch)
		m.Record(float64(p.Epoch), p.Values())
		if p.Epoch >= p.Epochs {
			m.Done()
		}
	}
}

package trannsformer

import (
	"fmt"
	"math"
)

// Progress is reported by Transform at the end of every epoch, so that a
// notebook can plot the transformation live.
type Progress struct {
	Epoch, Epochs int     // 1-based epoch, total epochs
	Phase         string  // what the epoch did: "prune", "cluster", "recluster", "cluster-prune", "tile-prune", "fine-tune"
	Loss          float64 // mean training loss of the epoch
	Accuracy      float64 // training accuracy of the epoch, 0..1
	TestAccuracy  float64 // test accuracy after the epoch, NaN without a test set
	Sparsity      float64 // fraction of zero weights, 0..1
	Unclustered   float64 // fraction of the surviving synapses outside every block or kept tile, 0..1
	Crossbars     int     // crossbars the network needs now (the schedule's own mapping, at its K)
}

// String formats p on one line.
func (p Progress) String() string {
	test := "-"
	if !math.IsNaN(p.TestAccuracy) {
		test = fmt.Sprintf("%.2f%%", 100*p.TestAccuracy)
	}
	return fmt.Sprintf("epoch %d/%d %-13s loss %.4f train %.2f%% test %s sparsity %.1f%% unclustered %.1f%% crossbars %d",
		p.Epoch, p.Epochs, p.Phase, p.Loss, 100*p.Accuracy, test, 100*p.Sparsity, 100*p.Unclustered, p.Crossbars)
}

// Values returns p's curves as named values, the form a live monitor
// (display.Monitor.Record) takes: loss, accuracy, test accuracy (when
// measured), sparsity, unclustered and crossbars.
func (p Progress) Values() map[string]float64 {
	v := map[string]float64{
		"loss":        p.Loss,
		"accuracy":    p.Accuracy,
		"sparsity":    p.Sparsity,
		"unclustered": p.Unclustered,
		"crossbars":   float64(p.Crossbars),
	}
	if !math.IsNaN(p.TestAccuracy) {
		v["test accuracy"] = p.TestAccuracy
	}
	return v
}

package monitor

import (
	"fmt"
	"math"
	"sync"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Training declares on m the series of nn training — the loss in one
// panel; accuracy, test accuracy and sparsity in display.FractionPanel —
// and returns the progress callback to pass to nn.Train. The callback
// advances m's progress bar after every batch and, at the end of every
// epoch, records loss, accuracy, test accuracy (when evaluated) and
// sparsity and redraws the curves; after the last epoch it calls m.Done.
// An epoch cut short by an interrupt is plotted at the fraction of it that
// ran. Make one callback per run.
func Training(m *display.Monitor) func(nn.Progress) {
	m.Track("loss", "loss")
	m.Track("accuracy", display.FractionPanel)
	m.Track("test accuracy", display.FractionPanel)
	m.Track("sparsity", display.FractionPanel)
	t := &training{m: m}
	return t.observe
}

// training is the state of one Training callback.
type training struct {
	m *display.Monitor

	mu sync.Mutex
	// lastBatch is the batch of the last per-batch report.
	lastBatch int
}

func (t *training) observe(p nn.Progress) {
	m := t.m
	bar := m.Bar(p.Epochs * p.Batches)
	bar.Set((p.Epoch-1)*p.Batches + p.Batch)
	label := fmt.Sprintf("epoch %d/%d loss %.4f acc %.1f%%", p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy)
	if title := m.Title(); title != "" {
		label = title + " " + label
	}
	bar.SetLabel(label)
	t.mu.Lock()
	ran := t.lastBatch
	if !p.EpochDone {
		t.lastBatch = p.Batch
	} else {
		t.lastBatch = 0
	}
	t.mu.Unlock()
	if !p.EpochDone {
		return
	}
	values := map[string]float64{"loss": p.Loss, "accuracy": p.Accuracy, "sparsity": p.Sparsity}
	if !math.IsNaN(p.TestAccuracy) {
		values["test accuracy"] = p.TestAccuracy
	}
	x := float64(p.Epoch)
	if p.Batches > 0 && ran > 0 && ran < p.Batches {
		// An interrupted epoch (its last batch report was not the last
		// batch): plot it where it stopped.
		x = float64(p.Epoch-1) + float64(ran)/float64(p.Batches)
	}
	m.Record(x, values)
	if p.Epoch >= p.Epochs {
		m.Done()
	}
}

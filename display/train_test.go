package display

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// TestMonitorLiveTraining drives a TrainingMonitor from real training and
// interrupts it mid-epoch, as a notebook interrupt does: training stops
// within one batch, the monitor finishes cleanly and the model still
// trains.
func TestMonitorLiveTraining(t *testing.T) {
	d, r, c := newTestDisplay()
	train := data.Synthetic(data.SyntheticConfig{N: 600, Seed: 1})
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	mon := d.TrainingMonitor("mlp")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last nn.Progress
	batchesAfterCancel := 0
	_, err = m.Train(ctx, train, nn.Config{Epochs: 5, BatchSize: 100}, func(p nn.Progress) {
		c.advance(150 * 1e6) // 150ms a batch: every batch passes the throttle
		mon.Observe(p)
		if ctx.Err() != nil {
			batchesAfterCancel++
		}
		last = p
		if p.Epoch == 3 && p.Batch == 2 {
			cancel() // the interrupt
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Train returned %v, want context.Canceled", err)
	}
	if batchesAfterCancel > 1 {
		t.Errorf("%d batches ran after the interrupt", batchesAfterCancel)
	}
	mon.Done()

	var curves []event
	barID := r.events[0].id
	for _, e := range r.events {
		if e.id != barID {
			curves = append(curves, e)
		}
	}
	// Two full epochs and the interrupted third, plotted at 2 + 2/6.
	if len(curves) != 3 || curves[0].kind != "display" || curves[2].kind != "update" || curves[2].id != curves[0].id {
		t.Fatalf("curve events %d (%s)", len(curves), r.kinds())
	}
	if s := curves[2].b.Data["text/plain"].(string); !strings.HasPrefix(s, "mlp: epoch 2.33  loss ") {
		t.Errorf("curves text %q", s)
	}
	final := r.events[len(r.events)-1]
	if final.id != barID || final.kind != "update" {
		t.Fatalf("last event %+v, want the bar's final update", final)
	}
	if s := final.b.Data["text/plain"].(string); !strings.Contains(s, "14/30 [") || !strings.Contains(s, "epoch 3/5") {
		t.Errorf("final bar %q", s)
	}
	if last.Epoch != 3 || last.Batch > 3 {
		t.Errorf("last progress epoch %d batch %d", last.Epoch, last.Batch)
	}
	// The model is still usable: one more epoch trains.
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: 1, BatchSize: 100}, nil); err != nil {
		t.Errorf("training after the interrupt: %v", err)
	}
}

// TestMonitorTransform drives a monitor from a real transformation: one
// curves display updated in place per epoch, a bar that ends at the last
// epoch, and the crossbars among the curves.
func TestMonitorTransform(t *testing.T) {
	d, r, c := newTestDisplay()
	train := data.Synthetic(data.SyntheticConfig{N: 400, Seed: 2})
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	mon := d.NewMonitor("ours")
	cfg := trannsformer.Config{Schedule: trannsformer.ScheduleOurs, Epochs: 3, K: 16}
	if _, err := trannsformer.Transform(context.Background(), m, train, nil, cfg, func(p trannsformer.Progress) {
		c.advance(150 * 1e6)
		mon.ObserveTransform(p)
	}); err != nil {
		t.Fatal(err)
	}
	barID := r.events[0].id
	var curves []event
	for _, e := range r.events {
		if e.id != barID {
			curves = append(curves, e)
		}
	}
	if len(curves) != 3 || curves[0].kind != "display" || curves[2].kind != "update" {
		t.Fatalf("curve events: %s", r.kinds())
	}
	if s := curves[2].b.Data["text/plain"].(string); !strings.Contains(s, "crossbars") {
		t.Errorf("curves text %q lacks crossbars", s)
	}
	final := r.events[len(r.events)-1]
	if s := final.b.Data["text/plain"].(string); final.id != barID || !strings.Contains(s, "3/3") {
		t.Errorf("final bar %q", s)
	}
}

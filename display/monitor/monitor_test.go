package monitor

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/trannsformer"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// event is one call a recorder saw.
type event struct {
	kind string // "display" or "update"
	id   string
	b    display.Bundle
}

// recorder is a Sink that records every call.
type recorder struct {
	mu     sync.Mutex
	events []event
}

func (r *recorder) Display(b display.Bundle, id string) { r.add(event{kind: "display", id: id, b: b}) }
func (r *recorder) Update(b display.Bundle, id string)  { r.add(event{kind: "update", id: id, b: b}) }
func (r *recorder) Clear(wait bool)                     {}

func (r *recorder) add(e event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) kinds() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ks []string
	for _, e := range r.events {
		ks = append(ks, e.kind)
	}
	return strings.Join(ks, ",")
}

// curves returns the events of every output but the first (the bar).
func (r *recorder) curves() (barID string, curves []event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	barID = r.events[0].id
	for _, e := range r.events {
		if e.id != barID {
			curves = append(curves, e)
		}
	}
	return barID, curves
}

// clock is a settable clock for throttling tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestDisplay() (*display.Display, *recorder, *clock) {
	r := &recorder{}
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return display.NewWithOptions(r, display.Options{Now: c.now, Seed: 42}), r, c
}

// progressReports mimics nn.Train: a report after every batch, then one at
// the end of the epoch.
func progressReports(epochs, batches int) []nn.Progress {
	var ps []nn.Progress
	for e := 1; e <= epochs; e++ {
		p := nn.Progress{Epoch: e, Epochs: epochs, Batches: batches,
			Accuracy: 0.5 + 0.1*float64(e), TestAccuracy: math.NaN(), Sparsity: 0.1 * float64(e)}
		for b := 1; b <= batches; b++ {
			p.Batch, p.Loss = b, 1/float64(e*b)
			ps = append(ps, p)
		}
		p.EpochDone = true
		if e > 1 {
			p.TestAccuracy = 0.55 + 0.1*float64(e)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestTraining(t *testing.T) {
	d, r, c := newTestDisplay()
	m := d.NewMonitor("mlp")
	observe := Training(m)
	for _, p := range progressReports(3, 4) {
		c.advance(time.Second)
		observe(p)
	}
	barID, curves := r.curves()
	if len(curves) != 3 || curves[0].kind != "display" || curves[1].kind != "update" || curves[2].kind != "update" {
		t.Fatalf("curve events %d: %s", len(curves), r.kinds())
	}
	if curves[1].id != curves[0].id {
		t.Error("curves not updated in place")
	}
	last := curves[2].b
	if _, ok := last.Data["image/png"].(string); !ok {
		t.Fatalf("curves without PNG: %v", last.Data)
	}
	if got, want := last.Data["text/plain"], "mlp: epoch 3  loss 0.08333  accuracy 80.00%  test accuracy 85.00%  sparsity 30.00%"; got != want {
		t.Errorf("curves text %q, want %q", got, want)
	}
	md := last.Metadata["image/png"].(map[string]any)
	if md["width"] != 864 || md["height"] != 288 {
		t.Errorf("two panels of 4.5×3in: %v", md)
	}
	final := r.events[len(r.events)-1]
	if final.id != barID || !strings.Contains(final.b.Data["text/plain"].(string), "100% |") {
		t.Errorf("bar not finished last: %+v", final)
	}
	if !strings.Contains(final.b.Data["text/plain"].(string), "mlp epoch 3/3") {
		t.Errorf("bar label %q", final.b.Data["text/plain"])
	}
	if m.Err() != nil {
		t.Error(m.Err())
	}
	ps, err := m.Plots()
	if err != nil || len(ps) != 2 {
		t.Fatalf("plots %d, %v", len(ps), err)
	}
	n := len(r.events)
	m.Done() // nothing new: no redraw
	if len(r.events) != n {
		t.Errorf("Done after the end sent %d events", len(r.events)-n)
	}
}

// TestTrainingLive drives Training from real training and interrupts it
// mid-epoch, as a notebook interrupt does: training stops within one
// batch, the monitor finishes cleanly and the model still trains.
func TestTrainingLive(t *testing.T) {
	d, r, c := newTestDisplay()
	train := data.Synthetic(data.SyntheticConfig{N: 600, Seed: 1})
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	mon := d.NewMonitor("mlp")
	observe := Training(mon)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last nn.Progress
	batchesAfterCancel := 0
	_, err = m.Train(ctx, train, nn.Config{Epochs: 5, BatchSize: 100}, func(p nn.Progress) {
		c.advance(150 * time.Millisecond) // every batch passes the throttle
		observe(p)
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

	barID, curves := r.curves()
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
	// Done: the final state, without times (a saved notebook keeps it).
	if s := final.b.Data["text/plain"].(string); !strings.HasSuffix(s, "| 14/30") || !strings.Contains(s, "epoch 3/5") {
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

// TestTransform drives a monitor from a real transformation: one curves
// display updated in place per epoch, a bar that ends at the last epoch,
// and the crossbars among the curves.
func TestTransform(t *testing.T) {
	d, r, c := newTestDisplay()
	train := data.Synthetic(data.SyntheticConfig{N: 400, Seed: 2})
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	observe := Transform(d.NewMonitor("ours"))
	cfg := trannsformer.Config{Schedule: trannsformer.ScheduleOurs, Epochs: 3, K: 16}
	if _, err := trannsformer.Transform(context.Background(), m, train, nil, cfg, func(p trannsformer.Progress) {
		c.advance(150 * time.Millisecond)
		observe(p)
	}); err != nil {
		t.Fatal(err)
	}
	barID, curves := r.curves()
	if len(curves) != 3 || curves[0].kind != "display" || curves[2].kind != "update" {
		t.Fatalf("curve events: %s", r.kinds())
	}
	if s := curves[2].b.Data["text/plain"].(string); !strings.Contains(s, "crossbars") {
		t.Errorf("curves text %q lacks crossbars", s)
	}
	final := r.events[len(r.events)-1]
	if s := final.b.Data["text/plain"].(string); final.id != barID || !strings.Contains(s, "3/3") || !strings.Contains(s, "ours epoch 3/3") {
		t.Errorf("final bar %q", s)
	}
}

package worker

import (
	"context"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// pruneSlider is notebook 01's live cell on an untrained 784-256-10
// network: a slider whose changes prune layer 1 to the chosen share of its
// weights and redraw its connectivity heat map.
const pruneSlider = `
import "github.com/trannsformer/gotrann/display/widget"
net, err := nn.New(nn.ModelConfig{Sizes: []int{784, 256, 10}, Seed: 1})
if err != nil {
	panic(err)
}
func redraw(keep float64) (*plot.Plot, error) {
	c := net.Clone()
	if err := prune.ToSparsity(c, 0, 1-keep/100, nil); err != nil {
		return nil, err
	}
	return figure.Connectivity(c.Weights(0), figure.ConnectivityOptions{Title: fmt.Sprint("keep ", keep), K: 32})
}
if _, err := widget.Interact(redraw, widget.FloatParam("keep %", 1, 50, 1, 10)); err != nil {
	panic(err)
}`

// startPruneSlider runs pruneSlider in s and returns the slider's comm id
// and the cell's output, where the redrawn figures arrive as updates.
func startPruneSlider(tb testing.TB, s *Supervisor, rec commRecorder) (string, *recorder) {
	out := &recorder{}
	res := s.Execute(context.Background(), engine.Request{Code: pruneSlider, StoreHistory: true}, out)
	if res.Err != nil {
		tb.Fatalf("%s: %s", res.Err.Name, res.Err.Value)
	}
	deadline := time.After(30 * time.Second)
	for {
		select {
		case m := <-rec:
			st, _ := m.Data["state"].(map[string]any)
			if m.Type == engine.CommOpen && st["_model_name"] == "FloatSliderModel" {
				return m.CommID, out
			}
		case <-deadline:
			tb.Fatal("no slider opened")
		}
	}
}

// moveAndWait moves the slider to v and waits for the redrawn heat map.
func moveAndWait(tb testing.TB, s *Supervisor, out *recorder, id string, v float64) {
	out.mu.Lock()
	n := len(out.events)
	out.mu.Unlock()
	s.DeliverComm(engine.Comm{Type: engine.CommMsg, CommID: id, Data: map[string]any{
		"method": "update", "state": map[string]any{"value": v}}})
	deadline := time.Now().Add(30 * time.Second)
	for {
		out.mu.Lock()
		for _, e := range out.events[n:] {
			if strings.HasPrefix(e, "update:") {
				out.mu.Unlock()
				return
			}
		}
		out.mu.Unlock()
		if time.Now().After(deadline) {
			tb.Fatalf("no redraw after moving the slider to %v", v)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPruneSliderRedraw: moving the slider redraws the heat map in place
// (update_display_data), in a real worker.
func TestPruneSliderRedraw(t *testing.T) {
	s := newSupervisor(t, nil)
	rec := make(commRecorder, 1024)
	s.SetCommSink(rec)
	id, out := startPruneSlider(t, s, rec)
	moveAndWait(t, s, out, id, 20)
	moveAndWait(t, s, out, id, 5)
}

// BenchmarkPruneSliderRedraw is the time from a slider change arriving at
// the kernel to the redrawn heat map of a 256x784 layer leaving it:
//
//	go test -run '^$' -bench PruneSliderRedraw -benchtime 20x ./kernel/worker/
func BenchmarkPruneSliderRedraw(b *testing.B) {
	cfg := testConfig(b)
	cfg.Logger = log.New(testDiscard{}, "", 0)
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rec := make(commRecorder, 1<<16)
	s.SetCommSink(rec)
	id, out := startPruneSlider(b, s, rec)
	go func() {
		for range rec {
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		moveAndWait(b, s, out, id, float64(5+i%40))
	}
}

type testDiscard struct{}

func (testDiscard) Write(p []byte) (int, error) { return len(p), nil }

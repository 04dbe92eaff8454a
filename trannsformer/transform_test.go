package trannsformer

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// smallData is a seeded synthetic problem that a 256-64-64-10 network
// learns in a few epochs.
func smallData(t testing.TB) (train, test *data.Dataset) {
	t.Helper()
	all := data.Synthetic(data.SyntheticConfig{N: 3000, Side: 16, Seed: 3})
	return all.Split(0.8, 4)
}

func trainedDense(t testing.TB, train *data.Dataset, epochs int) *nn.MLP {
	t.Helper()
	m, err := nn.New(nn.ModelConfig{Sizes: []int{256, 64, 64, 10}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: epochs, BatchSize: 100, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTransformReferencePhases(t *testing.T) {
	train, test := smallData(t)
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{256, 64, 64, 10}, Seed: 1})
	var got []Progress
	res, err := Transform(context.Background(), m, train, test,
		Config{Schedule: ScheduleReference, Epochs: 10, K: 16, Train: nn.Config{BatchSize: 100, Seed: 1}, Seed: 1},
		func(p Progress) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || len(res.History) != 10 {
		t.Fatalf("%d progress reports, %d in history, want 10", len(got), len(res.History))
	}
	// Epoch 1 prunes only, epoch 2 (0.2·N) clusters, epochs 8.. (0.8·N) prune clusters.
	if got[0].Phase != "prune" || got[1].Phase != "cluster" {
		t.Errorf("phases %q, %q, want prune, cluster", got[0].Phase, got[1].Phase)
	}
	for e := 8; e <= 10; e++ {
		if got[e-1].Phase != "cluster-prune" {
			t.Errorf("epoch %d phase %q, want cluster-prune", e, got[e-1].Phase)
		}
	}
	for i, p := range got {
		if p.Epoch != i+1 || p.Epochs != 10 || math.IsNaN(p.TestAccuracy) || p.Crossbars <= 0 {
			t.Errorf("bad progress %+v", p)
		}
		if p.Unclustered < 0 || p.Unclustered > 1 || p.Sparsity < 0 || p.Sparsity > 1 {
			t.Errorf("fractions out of range: %+v", p)
		}
	}
	if got[0].Unclustered != 1 {
		t.Errorf("before clustering every synapse is unclustered, have %v", got[0].Unclustered)
	}
	nb := 0
	for _, b := range res.Blocks {
		nb += len(b)
	}
	if nb == 0 {
		t.Fatal("no blocks")
	}
	// Cells inside blocks survive the threshold: the mask keeps them.
	for l, blocks := range res.Blocks {
		mask := m.Mask(l)
		for _, b := range blocks {
			for _, o := range b.Outputs {
				for _, i := range b.Inputs {
					if !mask[o*m.In(l)+i] {
						t.Fatalf("layer %d: cell (%d,%d) inside a block is masked", l, o, i)
					}
				}
			}
		}
	}
	maps, err := res.Map(context.Background(), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for l, x := range maps {
		if err := x.Verify(Connectivity(m, l)); err != nil {
			t.Errorf("layer %d: %v", l, err)
		}
	}
	if Crossbars(maps) != got[9].Crossbars {
		t.Errorf("final mapping %d crossbars, last progress %d", Crossbars(maps), got[9].Crossbars)
	}
	if acc := got[9].TestAccuracy; acc < 0.8 {
		t.Errorf("test accuracy %.3f after the reference schedule", acc)
	}
}

func TestTransformOurs(t *testing.T) {
	train, test := smallData(t)
	m := trainedDense(t, train, 8)
	dense, _ := m.Evaluate(test)
	res, err := Transform(context.Background(), m, train, test,
		Config{Schedule: ScheduleOurs, Epochs: 8, K: 16, TileKeep: []float64{0.25, 0.25, 0.5}, Train: nn.Config{BatchSize: 100, Seed: 1}, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := res.History
	if len(h) != 8 {
		t.Fatalf("%d epochs in history", len(h))
	}
	// PruneUntil 0.6 of 8 epochs: 5 pruning epochs, then fine-tuning.
	for e, p := range h {
		want := "tile-prune"
		if e >= 5 {
			want = "fine-tune"
		}
		if p.Phase != want {
			t.Errorf("epoch %d phase %q, want %q", e+1, p.Phase, want)
		}
		if e > 0 && p.Crossbars > h[e-1].Crossbars {
			t.Errorf("crossbars rose from %d to %d at epoch %d", h[e-1].Crossbars, p.Crossbars, e+1)
		}
	}
	want := 0
	for l, lay := range res.Layouts {
		n := int(math.Round(float64(res.Layouts[l].Tiles()) * []float64{0.25, 0.25, 0.5}[l]))
		if lay.Kept() != max(n, 1) {
			t.Errorf("layer %d keeps %d of %d tiles, want %d", l, lay.Kept(), lay.Tiles(), n)
		}
		want += lay.Kept()
		// No weight outside the kept tiles.
		mask := lay.Mask()
		for i, v := range m.W[l] {
			if v != 0 && !mask[i] {
				t.Fatalf("layer %d: weight %d outside the kept tiles", l, i)
			}
		}
	}
	if h[7].Crossbars != want {
		t.Errorf("last progress %d crossbars, kept tiles %d", h[7].Crossbars, want)
	}
	maps, err := res.Map(context.Background(), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for l, x := range maps {
		if err := x.Verify(Connectivity(m, l)); err != nil {
			t.Errorf("layer %d: %v", l, err)
		}
	}
	if Crossbars(maps) > want {
		t.Errorf("mapping needs %d crossbars, more than the %d kept tiles", Crossbars(maps), want)
	}
	acc, _ := m.Evaluate(test)
	t.Logf("dense %.4f, ours %.4f with %d of %d tiles", dense, acc, want, 16*4+4*4+1*4)
	if acc < dense-0.05 {
		t.Errorf("ours %.4f, dense %.4f", acc, dense)
	}
}

func TestTransformInterrupt(t *testing.T) {
	train, _ := smallData(t)
	for _, s := range []Schedule{ScheduleReference, ScheduleOurs} {
		t.Run(s.String(), func(t *testing.T) {
			m, _ := nn.New(nn.ModelConfig{Sizes: []int{256, 32, 10}, Seed: 1})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := Transform(ctx, m, train, nil, Config{Schedule: s, Epochs: 10, K: 16, Train: nn.Config{BatchSize: 100}},
				func(p Progress) {
					if p.Epoch == 3 {
						cancel()
					}
				})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
			if res == nil || len(res.History) != 3 {
				t.Fatalf("result %v after an interrupt at epoch 3", res)
			}
			if err := m.Validate(); err != nil {
				t.Error(err)
			}
			maps, err := res.Map(context.Background(), 0, false)
			if err != nil {
				t.Fatal(err)
			}
			for l, x := range maps {
				if err := x.Verify(Connectivity(m, l)); err != nil {
					t.Errorf("layer %d: %v", l, err)
				}
			}
		})
	}
}

func TestTransformBadConfig(t *testing.T) {
	train, _ := smallData(t)
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{256, 32, 10}, Seed: 1})
	for name, cfg := range map[string]Config{
		"schedule":  {Schedule: Schedule(7)},
		"layer k":   {LayerK: []int{64}},
		"tile keep": {Schedule: ScheduleOurs, TileKeep: []float64{1.5}},
		"quality":   {Quality: 1.2},
	} {
		if _, err := Transform(context.Background(), m, train, nil, cfg, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Transform(context.Background(), nil, train, nil, Config{}, nil); err == nil {
		t.Error("nil network: no error")
	}
}

// TestTransformDropoutRule: Config.Dropout is asked once per epoch, after
// that epoch's pruning, with the recipe's rate, and its answer is the rate
// the epoch trains with.
func TestTransformDropoutRule(t *testing.T) {
	train, _ := smallData(t)
	dense := trainedDense(t, train, 2)
	cfg := Config{Schedule: ScheduleOurs, Epochs: 4, K: 16, TileKeep: []float64{0.25, 0.25, 0.5}, Train: nn.Config{BatchSize: 100, Seed: 1}, Seed: 1}
	var conns []int
	m := dense.Clone()
	cfg.Dropout = func(m *nn.MLP, base float64) float64 {
		if base != 0.5 {
			t.Errorf("base rate %v, want the recipe's 0.5", base)
		}
		conns = append(conns, m.Connections())
		return nn.ScaledDropout(base, m.Connections(), m.NumWeights())
	}
	res, err := Transform(context.Background(), m, train, nil, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 4 {
		t.Fatalf("rule asked %d times in 4 epochs", len(conns))
	}
	// Asked after the epoch's pruning: never more connections than the kept
	// tiles hold, and fewer as the pruning goes on.
	for e := 1; e < len(conns); e++ {
		if conns[e] > conns[e-1] {
			t.Errorf("connections rose from %d to %d at epoch %d", conns[e-1], conns[e], e+1)
		}
	}
	if conns[0] >= dense.Connections() {
		t.Errorf("first epoch asked with %d connections, the dense network's %d: before the pruning", conns[0], dense.Connections())
	}
	if len(res.History) != 4 {
		t.Fatalf("%d epochs", len(res.History))
	}
	// The rule's rate is the one trained with: a constant 0.5 rule is the
	// recipe itself, bit for bit; another rate is not.
	run := func(rule func(*nn.MLP, float64) float64) []float32 {
		m := dense.Clone()
		c := cfg
		c.Dropout = rule
		if _, err := Transform(context.Background(), m, train, nil, c, nil); err != nil {
			t.Fatal(err)
		}
		return m.W[1]
	}
	plain := run(nil)
	half := run(func(*nn.MLP, float64) float64 { return 0.5 })
	low := run(func(*nn.MLP, float64) float64 { return 0.1 })
	same := func(a, b []float32) bool {
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				return false
			}
		}
		return true
	}
	if !same(plain, half) {
		t.Error("a rule answering the recipe's rate changed the training")
	}
	if same(plain, low) {
		t.Error("the rule's rate 0.1 had no effect")
	}
	bad := cfg
	bad.Dropout = func(*nn.MLP, float64) float64 { return 1 }
	if _, err := Transform(context.Background(), dense.Clone(), train, nil, bad, nil); err == nil {
		t.Error("a rule answering 1 was accepted")
	}
}

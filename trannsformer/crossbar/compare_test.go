package crossbar

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

// TestCompareSchemes maps the same layers with every scheme, verifies each
// and logs the crossbar counts (the figures of the report). Ours must never
// need more crossbars than Pruned, nor Pruned more than Dense.
func TestCompareSchemes(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		c    *cluster.Binary
	}{
		{"random 1200x1200 10%", randomBinary(rand.New(rand.NewPCG(1, 1)), 1200, 1200, 0.10)},
		{"random 1200x1200 2%", randomBinary(rand.New(rand.NewPCG(1, 1)), 1200, 1200, 0.02)},
		{"planted 20x(40x50) + 0.2%", plantedBinary(1, 1200, 1200, 20, 40, 50, 0.95, 0.002)},
		{"planted 20x(40x50) + 1%", plantedBinary(20, 1200, 1200, 20, 40, 50, 0.95, 0.01)},
		{"planted 12x(64x64) + 0.1%", plantedBinary(1, 1200, 1200, 12, 64, 64, 0.9, 0.001)},
	} {
		dense, _ := Dense(tc.c, 64)
		pruned, _ := Pruned(tc.c, 64)
		res, err := cluster.Reference(ctx, tc.c, cluster.Config{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := TraNNsformed(tc.c, res, 64)
		legacy, _ := Legacy(tc.c, res)
		legacyDense, _ := Dense(cluster.Full(tc.c.Dims()), LegacyK)
		trc, err := Compact(ctx, tr, CompactConfig{})
		if err != nil {
			t.Fatal(err)
		}
		best, err := Optimize(ctx, tc.c, OptimizeConfig{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*Mapping{dense, pruned, tr, legacy, trc, best} {
			if err := m.Verify(tc.c); err != nil {
				t.Fatalf("%s %s: %v", tc.name, m.Scheme, err)
			}
		}
		t.Logf("%-26s dense %d pruned %d | reference: %d blocks, %.0f%% unclustered, trannsformed %d (util %.3f), +compact %d, legacy k=4 %d vs dense %d | %s %d (util %.3f)",
			tc.name, dense.Count(), pruned.Count(), len(res.Blocks), 100*res.UnclusteredFraction(), tr.Count(), tr.Utilization(),
			trc.Count(), legacy.Count(), legacyDense.Count(), best.Scheme, best.Count(), best.Utilization())
		if best.Count() > pruned.Count() || pruned.Count() > dense.Count() {
			t.Errorf("%s: optimize %d, pruned %d, dense %d", tc.name, best.Count(), pruned.Count(), dense.Count())
		}
	}
}

func TestFromLabels(t *testing.T) {
	// Labels of any size are cut into chunks of k: 5 rows with one label at
	// k = 2 make 3 chunks.
	if got := chunks([]int{3, 3, -1, 3, 7, 3, 3}, 2); got[0] != got[1] || got[3] == got[1] || got[2] != -1 || got[6] == got[3] {
		t.Errorf("chunks = %v", got)
	}
	c := plantedBinary(3, 60, 50, 4, 10, 8, 1, 0)
	lab, err := cluster.SpectralCocluster(context.Background(), c, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := FromLabels(context.Background(), c, lab.Rows, lab.Cols, 16, CompactConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(c); err != nil {
		t.Fatal(err)
	}
	// Four disjoint 10x8 blocks: at most one 16x16 crossbar holds one block
	// whole (10+10 > 16 rows), so 4 is optimal.
	if m.Count() != 4 {
		t.Errorf("%d crossbars, want 4", m.Count())
	}
	if _, err := FromLabels(context.Background(), c, lab.Rows[:3], lab.Cols, 16, CompactConfig{}); err == nil {
		t.Error("want an error for short labels")
	}
	bad := append([]int(nil), lab.Rows...)
	for i := range bad {
		bad[i] = -1
	}
	if _, err := FromLabels(context.Background(), c, bad, lab.Cols, 16, CompactConfig{}); err == nil {
		t.Error("want an error for unlabelled synapses")
	}
}

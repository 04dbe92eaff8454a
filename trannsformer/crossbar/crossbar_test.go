package crossbar

import (
	"bytes"
	"context"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

var update = flag.Bool("update", false, "rewrite golden files")

func randomBinary(rng *rand.Rand, r, c int, d float64) *cluster.Binary {
	b := cluster.NewBinary(r, c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if rng.Float64() < d {
				b.Set(i, j, true)
			}
		}
	}
	return b
}

// plantedBinary has n disjoint h x w blocks at the density, plus noise,
// rows and columns shuffled.
func plantedBinary(seed uint64, r, c, n, h, w int, density, noise float64) *cluster.Binary {
	rng := rand.New(rand.NewPCG(seed, 1))
	pr, pc := rng.Perm(r), rng.Perm(c)
	b := cluster.NewBinary(r, c)
	for k := 0; k < n; k++ {
		for a := 0; a < h; a++ {
			for d := 0; d < w; d++ {
				if rng.Float64() < density {
					b.Set(pr[k*h+a], pc[k*w+d], true)
				}
			}
		}
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if rng.Float64() < noise {
				b.Set(i, j, true)
			}
		}
	}
	return b
}

// The dense MNIST network 784-1200-1200-10 needs 247+361+19 = 627 crossbars
// of 64 x 64.
func TestDenseMNIST627(t *testing.T) {
	total := 0
	for _, tc := range []struct{ out, in, want int }{{1200, 784, 247}, {1200, 1200, 361}, {10, 1200, 19}} {
		c := cluster.Full(tc.out, tc.in)
		m, err := Dense(c, 64)
		if err != nil {
			t.Fatal(err)
		}
		if m.Count() != tc.want {
			t.Errorf("%dx%d: %d crossbars, want %d", tc.out, tc.in, m.Count(), tc.want)
		}
		if err := m.Verify(c); err != nil {
			t.Error(err)
		}
		total += m.Count()
	}
	if total != 627 {
		t.Errorf("total %d, want 627", total)
	}
}

// Every scheme places every synapse exactly once, over many random layers.
func TestMappingInvariant(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(42, 7))
	for n := 0; n < 60; n++ {
		r, c := 1+rng.IntN(150), 1+rng.IntN(150)
		k := []int{4, 8, 16, 32}[rng.IntN(4)]
		var layer *cluster.Binary
		if n%3 == 0 {
			layer = plantedBinary(uint64(n), r, c, min(r, c)/20, 10, 10, 0.9, 0.01*rng.Float64())
		} else {
			layer = randomBinary(rng, r, c, []float64{0, 0.01, 0.05, 0.2, 0.7}[rng.IntN(5)])
		}
		res, err := cluster.Reference(ctx, layer, cluster.Config{K: k, Seed: uint64(n), PerAxis: n%2 == 0})
		if err != nil {
			t.Fatal(err)
		}
		part, err := cluster.CoCluster(ctx, layer, cluster.PartitionConfig{K: k, Seed: uint64(n)})
		if err != nil {
			t.Fatal(err)
		}
		dense, err := Dense(layer, k)
		if err != nil {
			t.Fatal(err)
		}
		pruned, _ := Pruned(layer, k)
		tr, err := TraNNsformed(layer, res, k)
		if err != nil {
			t.Fatal(err)
		}
		legacy, _ := Legacy(layer, res)
		packed, err := Packed(ctx, layer, part, CompactConfig{})
		if err != nil {
			t.Fatal(err)
		}
		trc, err := Compact(ctx, tr, CompactConfig{})
		if err != nil {
			t.Fatal(err)
		}
		best, err := Optimize(ctx, layer, OptimizeConfig{K: k, Seed: uint64(n)})
		if err != nil {
			t.Fatal(err)
		}
		if best.Count() > pruned.Count() {
			t.Errorf("layer %d: optimize %d > pruned %d", n, best.Count(), pruned.Count())
		}
		for _, m := range []*Mapping{dense, pruned, tr, legacy, packed, trc, best} {
			if err := m.Verify(layer); err != nil {
				t.Fatalf("layer %d (%dx%d, k=%d) %s: %v", n, r, c, k, m.Scheme, err)
			}
		}
		if dense.Count() != ceilDiv(r, k)*ceilDiv(c, k) {
			t.Errorf("layer %d: dense %d crossbars", n, dense.Count())
		}
		if packed.Count() > part.Tiles || part.Tiles > pruned.Count() || trc.Count() > tr.Count() {
			t.Errorf("layer %d: packed %d, tiles %d, pruned %d, tr %d, tr+compact %d", n, packed.Count(), part.Tiles, pruned.Count(), tr.Count(), trc.Count())
		}
	}
}

func TestVerifyCatches(t *testing.T) {
	c := cluster.NewBinary(3, 3)
	c.Set(0, 0, true)
	c.Set(1, 2, true)
	good := func() *Mapping {
		return &Mapping{K: 2, Outputs: 3, Inputs: 3, Crossbars: []Crossbar{
			{Outputs: []int{0, 1}, Inputs: []int{0, 2}, Synapses: []Synapse{{0, 0}, {1, 2}}, Block: -1},
		}}
	}
	if err := good().Verify(c); err != nil {
		t.Fatal(err)
	}
	for name, corrupt := range map[string]func(m *Mapping){
		"missing synapse":  func(m *Mapping) { m.Crossbars[0].Synapses = m.Crossbars[0].Synapses[:1] },
		"extra synapse":    func(m *Mapping) { m.Crossbars[0].Synapses = append(m.Crossbars[0].Synapses, Synapse{1, 0}) },
		"placed twice":     func(m *Mapping) { m.Crossbars = append(m.Crossbars, m.Crossbars[0]) },
		"not wired":        func(m *Mapping) { m.Crossbars[0].Inputs = []int{0, 1} },
		"too many outputs": func(m *Mapping) { m.Crossbars[0].Outputs = []int{0, 1, 2} },
		"wired twice":      func(m *Mapping) { m.Crossbars[0].Outputs = []int{0, 0} },
		"out of range":     func(m *Mapping) { m.Crossbars[0].Inputs = []int{0, 3} },
		"wrong dims":       func(m *Mapping) { m.Inputs = 4 },
		"bad k":            func(m *Mapping) { m.K = 0 },
	} {
		m := good()
		corrupt(m)
		if err := m.Verify(c); err == nil {
			t.Errorf("%s: Verify passed", name)
		}
	}
}

// A hand-checked TraNNsformed mapping: one 3x3 block at K=2 takes
// ceil(3/2)·ceil(3/2) = 4 crossbars; the two stray synapses (5,0) and
// (5,5) are 5 columns apart, so they need two windows.
func TestTraNNsformedByHand(t *testing.T) {
	c := cluster.NewBinary(6, 6)
	blk := cluster.Block{Outputs: []int{0, 1, 2}, Inputs: []int{1, 2, 3}, Quality: 1}
	for o := 0; o < 3; o++ {
		for i := 1; i < 4; i++ {
			c.Set(o, i, true)
			blk.Cells = append(blk.Cells, o*3+i-1)
		}
	}
	c.Set(5, 0, true)
	c.Set(5, 5, true)
	res := &cluster.Result{Rows: 6, Cols: 6, Synapses: 11, Blocks: []cluster.Block{blk}, Clustered: 9, Unclustered: 2}
	m, err := TraNNsformed(c, res, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(c); err != nil {
		t.Fatal(err)
	}
	if m.Count() != 6 {
		t.Errorf("%d crossbars, want 4 + 2", m.Count())
	}
	want := Crossbar{Outputs: []int{5}, Inputs: []int{0, 1}, Synapses: []Synapse{{5, 0}}, Block: -1}
	if !reflect.DeepEqual(m.Crossbars[4], want) {
		t.Errorf("first window %+v, want %+v", m.Crossbars[4], want)
	}
	if got := m.Utilization(); got != 11.0/(6*4) {
		t.Errorf("utilization %v", got)
	}
	legacy, _ := Legacy(c, res)
	if legacy.K != LegacyK || legacy.Count() != 1+2 {
		t.Errorf("legacy: K=%d, %d crossbars, want 3", legacy.K, legacy.Count())
	}
	pruned, _ := Pruned(c, 2)
	// Active: rows 0,1,2,5 and columns 0,1,2,3,5: 2 x 3 tiles.
	if pruned.Count() != 6 {
		t.Errorf("pruned %d, want 6", pruned.Count())
	}
	if _, err := TraNNsformed(cluster.NewBinary(5, 6), res, 2); err == nil {
		t.Error("want an error for mismatched dimensions")
	}
}

// Packing: four 2x2 blocks on the diagonal fit two per 4x4 crossbar, and a
// lone synapse is moved into an unused cell of a crossbar that already
// wires its output.
func TestCompactByHand(t *testing.T) {
	c := cluster.NewBinary(8, 8)
	for b := 0; b < 4; b++ {
		for o := 0; o < 2; o++ {
			for i := 0; i < 2; i++ {
				c.Set(2*b+o, 2*b+i, true)
			}
		}
	}
	m, _ := Dense(c, 2) // 16 crossbars, 4 non-empty
	out, err := Compact(context.Background(), &Mapping{Scheme: "x", K: 4, Outputs: 8, Inputs: 8, Crossbars: m.Crossbars}, CompactConfig{MaxDissolve: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Verify(c); err != nil {
		t.Fatal(err)
	}
	if out.Count() != 2 {
		t.Errorf("packed into %d crossbars, want 2", out.Count())
	}
	// Without packing, dissolving alone moves the lone synapse (0,7) and
	// whole small blocks into free cells: 5 pieces -> 2 crossbars.
	c.Set(0, 7, true)
	m, _ = Dense(c, 2)
	m.K = 4
	out, err = Compact(context.Background(), m, CompactConfig{NoPack: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Verify(c); err != nil {
		t.Fatal(err)
	}
	if out.Count() != 2 {
		t.Errorf("dissolved into %d crossbars, want 2", out.Count())
	}
	// Nothing can move when dissolving is off too.
	out, _ = Compact(context.Background(), m, CompactConfig{NoPack: true, MaxDissolve: -1})
	if out.Count() != 5 {
		t.Errorf("with neither packing nor dissolving: %d crossbars, want 5", out.Count())
	}
}

func TestJSONGolden(t *testing.T) {
	c := cluster.NewBinary(3, 5)
	c.Set(0, 0, true)
	c.Set(2, 4, true)
	c.Set(1, 3, true)
	m, err := Pruned(c, 2)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "pruned.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("JSON differs from %s:\n%s", golden, buf.Bytes())
	}
	back, err := ReadJSON(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("round trip: %+v != %+v", back, m)
	}
	if err := back.Verify(c); err != nil {
		t.Error(err)
	}
	if _, err := ReadJSON(bytes.NewReader([]byte("{"))); err == nil {
		t.Error("want an error for bad JSON")
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := randomBinary(rand.New(rand.NewPCG(1, 1)), 100, 100, 0.05)
	m, _ := Dense(c, 8)
	if _, err := Compact(ctx, m, CompactConfig{}); err == nil {
		t.Error("Compact ignored a cancelled context")
	}
}

package figure

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"
)

// mnistLikeLayer returns a 256×784 first layer: eight planted clusters
// of density in, the rest of density out, the inputs of the image's
// 3-pixel border dead; rows and columns scrambled. It returns the matrix,
// the permutations that restore the clusters and the clusters as blocks
// in permuted coordinates.
func mnistLikeLayer(seed uint64, in, out float64) (*mat.Dense, []int, []int, []Block) {
	const rows, cols, side, border = 256, 784, 28, 3
	r := rand.New(rand.NewPCG(seed, 7))
	var live []int // inputs off the border
	for j := 0; j < cols; j++ {
		x, y := j%side, j/side
		if x >= border && x < side-border && y >= border && y < side-border {
			live = append(live, j)
		}
	}
	// Ordered coordinates: live inputs first, in eight column groups
	// matched with eight row groups.
	var blocks []Block
	for b := 0; b < 8; b++ {
		r0, r1 := b*rows/8, (b+1)*rows/8
		c0, c1 := b*len(live)/8, (b+1)*len(live)/8
		blocks = append(blocks, Block{Row: r0, Col: c0, Rows: r1 - r0, Cols: c1 - c0})
	}
	ordered := mat.NewDense(rows, cols, nil)
	for i := 0; i < rows; i++ {
		for j := range live {
			p := out
			if i*8/rows == j*8/len(live) {
				p = in
			}
			if r.Float64() < p {
				ordered.Set(i, j, 0.1+r.Float64())
			}
		}
	}
	// Input j of the ordered picture is pixel colOf[j]: live pixels
	// first, the border last.
	colOf := append([]int(nil), live...)
	isLive := map[int]bool{}
	for _, j := range live {
		isLive[j] = true
	}
	for j := 0; j < cols; j++ {
		if !isLive[j] {
			colOf = append(colOf, j)
		}
	}
	rowOf := r.Perm(rows)
	c := mat.NewDense(rows, cols, nil)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			c.Set(rowOf[i], colOf[j], ordered.At(i, j))
		}
	}
	return c, rowOf, colOf, blocks
}

// TestConnectivityDenseGolden draws a large layer as notebook 02 shows it
// at its default sparsity (about a quarter of the synapses pruned): a
// mask averaged two entries to a pixel and lifted by a square root showed
// solid blue before and after the permutation.
func TestConnectivityDenseGolden(t *testing.T) {
	c, rp, cp, blocks := mnistLikeLayer(1, 0.95, 0.55)
	checkPlot(t, func() {
		ps, err := ConnectivityPair(c, ConnectivityOptions{Title: "layer 1", K: 64, RowPerm: rp, ColPerm: cp, Blocks: blocks})
		if err != nil {
			t.Fatal(err)
		}
		save(t, ps[0], nil, "connectivity_dense_before.png", 5*vg.Inch, 5*vg.Inch)
		save(t, ps[1], nil, "connectivity_dense_after.png", 5*vg.Inch, 5*vg.Inch)
	}, "connectivity_dense_before.png", "connectivity_dense_after.png")
}

// TestConnectivitySparseGolden draws a large layer nine tenths pruned (the
// pruned network of notebook 05): the colour scale stops at its densest
// bin, so that its structure does not fade into the lightest shades.
func TestConnectivitySparseGolden(t *testing.T) {
	c, rp, cp, blocks := mnistLikeLayer(2, 0.35, 0.05)
	checkPlot(t, func() {
		p, err := Connectivity(c, ConnectivityOptions{Title: "layer 1, pruned, after permutation", K: 64, RowPerm: rp, ColPerm: cp, Blocks: blocks})
		save(t, p, err, "connectivity_sparse.png", 5*vg.Inch, 5*vg.Inch)
	}, "connectivity_sparse.png")
}

func TestDensityTop(t *testing.T) {
	for d, want := range map[float64]float64{0: 0.01, 0.004: 0.01, 0.063: 0.07, 0.1: 0.1, 0.12: 0.15, 0.41: 0.45, 0.95: 0.95, 0.97: 1, 1: 1} {
		if got := densityTop(d); math.Abs(got-want) > 1e-12 {
			t.Errorf("densityTop(%v) = %v, want %v", d, got, want)
		}
	}
}

// TestAdjacencyGolden draws the symmetric adjacency matrix of a bipartite
// graph over 70 nodes (notebook 04): its axes are nodes, not output and
// input neurons.
func TestAdjacencyGolden(t *testing.T) {
	const in, out = 40, 30
	r := rand.New(rand.NewPCG(4, 4))
	s := mat.NewSymDense(in+out, nil)
	for j := 0; j < in; j++ {
		for i := 0; i < out; i++ {
			p := 0.05
			if j*5/in == i*5/out {
				p = 0.6
			}
			if r.Float64() < p {
				s.SetSym(j, in+i, 1)
			}
		}
	}
	checkPlot(t, func() {
		p, err := Connectivity(s, ConnectivityOptions{Title: "adjacency S, inputs first"})
		if err == nil && (!strings.Contains(p.X.Label.Text, "node (70)") || !strings.Contains(p.Y.Label.Text, "node (70)")) {
			t.Errorf("axes %q and %q, want node (70)", p.X.Label.Text, p.Y.Label.Text)
		}
		save(t, p, err, "adjacency.png", 6*vg.Inch, 4*vg.Inch)
	}, "adjacency.png")
}

func TestConnectivityBin(t *testing.T) {
	tests := []struct {
		rows, cols, maxPix, want int
	}{
		{30, 40, 0, 1},   // notebook 04: entry by entry
		{96, 80, 0, 1},   // entry by entry
		{160, 160, 0, 1}, // the largest drawn entry by entry
		{256, 256, 0, 2}, // layer 2: 128 bins a side
		{256, 784, 0, 8}, // layer 1: 98 bins across
		{1200, 784, 0, 16},
		{1200, 784, 300, 4}, // an explicit cap
		{10, 10, 300, 1},
	}
	for _, tc := range tests {
		if got := connectivityBin(tc.rows, tc.cols, tc.maxPix); got != tc.want {
			t.Errorf("connectivityBin(%d, %d, %d) = %d, want %d", tc.rows, tc.cols, tc.maxPix, got, tc.want)
		}
	}
}

// TestConnectivityCaption checks that the title claims a dashed crossbar
// grid only when one is drawn where it can be seen.
func TestConnectivityCaption(t *testing.T) {
	c := mat.NewDense(96, 80, nil)
	tests := []struct {
		name string
		o    ConnectivityOptions
		want []string
		not  []string
	}{
		{name: "dense grid", o: ConnectivityOptions{K: 16}, want: []string{"dashed: 16×16 crossbars"}},
		{name: "blocks larger than k", o: ConnectivityOptions{K: 16, Blocks: testBlocks}, want: []string{"dashed: 16×16 crossbars within blocks"}},
		{name: "blocks within k", o: ConnectivityOptions{K: 64, Blocks: testBlocks[2:]}, want: []string{"one 64×64 crossbar per block"}, not: []string{"dashed"}},
		// 66 columns: the boundary at 64 would hide under the outline.
		{name: "boundary at the edge", o: ConnectivityOptions{K: 64, Blocks: []Block{{Rows: 30, Cols: 66}}}, not: []string{"dashed", "per block"}},
		{name: "thin block", o: ConnectivityOptions{K: 16, Blocks: []Block{{Rows: 2, Cols: 40}}}, not: []string{"dashed", "per block"}},
		{name: "no k", o: ConnectivityOptions{Blocks: testBlocks}, not: []string{"dashed", "crossbar"}},
		{name: "one block", o: ConnectivityOptions{Blocks: testBlocks[:1]}, want: []string{"1 cluster block outlined"}},
		{name: "entry by entry", o: ConnectivityOptions{}, not: []string{"colour"}},
	}
	for _, tc := range tests {
		p, err := Connectivity(c, tc.o)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(p.Title.Text, w) {
				t.Errorf("%s: title %q lacks %q", tc.name, p.Title.Text, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(p.Title.Text, n) {
				t.Errorf("%s: title %q says %q", tc.name, p.Title.Text, n)
			}
		}
	}
	big := mat.NewDense(256, 784, nil)
	p, err := Connectivity(big, ConnectivityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "colour: share of 8×8 entries holding a synapse"; !strings.Contains(p.Title.Text, want) {
		t.Errorf("title %q lacks %q", p.Title.Text, want)
	}
}

// TestDensityColor checks the density scale: white for an empty bin, then
// darker with every step.
func TestDensityColor(t *testing.T) {
	prev := densityColor(0)
	if prev.R != 0xff || prev.G != 0xff || prev.B != 0xff {
		t.Errorf("empty bin %v, want white", prev)
	}
	for i := 1; i <= 20; i++ {
		c := densityColor(float64(i) / 20)
		if int(c.R)+int(c.G)+int(c.B) >= int(prev.R)+int(prev.G)+int(prev.B) {
			t.Errorf("density %v: %v not darker than %v", float64(i)/20, c, prev)
		}
		prev = c
	}
}

// TestConnectivityPairScale checks the colour scale shared by the two
// pictures of a pair, and that an explicit scale is kept.
func TestConnectivityPairScale(t *testing.T) {
	c, rp, cp, blocks := mnistLikeLayer(2, 0.35, 0.05)
	o := ConnectivityOptions{K: 64, RowPerm: rp, ColPerm: cp, Blocks: blocks}
	_, before := connectivityImage(c, ConnectivityOptions{})
	_, after := connectivityImage(c, o)
	shared := pairScale(c, o)
	if shared != max(before, after) || shared >= 1 {
		t.Errorf("pair scale %v, want the larger of %v and %v, below 100%%", shared, before, after)
	}
	if _, top := connectivityImage(c, ConnectivityOptions{DensityMax: 0.5}); top != 0.5 {
		t.Errorf("scale up to %v, want 0.5", top)
	}
	if _, err := ConnectivityPair(c, o); err != nil {
		t.Fatal(err)
	}
	if _, err := Connectivity(c, ConnectivityOptions{DensityMax: 1.5}); err == nil {
		t.Error("a scale above 100% was accepted")
	}
}

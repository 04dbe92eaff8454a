package trannsformer

import (
	"context"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// The strong baseline keeps the asked number of tiles per layer, leaves no
// hidden unit with weights on one side only, and picks the ordering that
// captures more mass.
func TestTilePruneStrong(t *testing.T) {
	m, err := nn.New(nn.ModelConfig{Sizes: []int{40, 32, 24, 10}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ks := []int{8, 8, 8}
	res, err := TilePruneStrong(context.Background(), m, ks, []float64{0.25, 0.25, 0.5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Captured < res.CapturedOther || res.Captured <= 0 || res.Captured > 1 {
		t.Errorf("captured %v, other %v", res.Captured, res.CapturedOther)
	}
	for l, lay := range res.Layouts {
		tiles := lay.Tiles()
		want := max(1, int(0.25*float64(tiles)+0.5))
		if l == 2 {
			want = max(1, int(0.5*float64(tiles)+0.5))
		}
		if lay.Kept() != want {
			t.Errorf("layer %d: %d of %d tiles kept, want %d", l, lay.Kept(), tiles, want)
		}
	}
	// Cleanup is a fixed point: nothing left to remove.
	for h := 1; h < m.Layers(); h++ {
		for j := 0; j < m.Out(h-1); j++ {
			in, out := 0, 0
			for i := 0; i < m.In(h-1); i++ {
				if m.W[h-1][j*m.In(h-1)+i] != 0 {
					in++
				}
			}
			for o := 0; o < m.Out(h); o++ {
				if m.W[h][o*m.In(h)+j] != 0 {
					out++
				}
			}
			if (in == 0) != (out == 0) {
				t.Errorf("hidden layer %d unit %d: %d inputs, %d outputs", h, j, in, out)
			}
		}
	}
	if _, err := TilePruneStrong(context.Background(), m, ks[:2], []float64{0.5}, 1); err == nil {
		t.Error("want an error for mismatched lists")
	}
}

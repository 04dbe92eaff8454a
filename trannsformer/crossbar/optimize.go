package crossbar

import (
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

// OptimizeConfig tunes Optimize. The zero value means 64 x 64 crossbars
// and seed 0.
type OptimizeConfig struct {
	K       int    // crossbar size; 0 means 64
	Seed    uint64 // seed of every candidate
	Compact CompactConfig
}

// Optimize is our mapping (ours): it builds several candidate mappings and
// returns the one with the fewest crossbars (ties: the first). Candidates:
// Pruned; Packed on cluster.CoCluster's balanced partition; and FromLabels
// on cluster.SpectralCocluster with n, 2n and n/2 co-clusters, where
// n = ceil(active outputs/K). The returned mapping's Scheme names the
// winner ("optimize:..."). Every candidate places every synapse exactly
// once, so the winner does too.
func Optimize(ctx context.Context, c *cluster.Binary, cfg OptimizeConfig) (*Mapping, error) {
	k := cfg.K
	if k <= 0 {
		k = 64
	}
	best, err := Pruned(c, k)
	if err != nil {
		return nil, err
	}
	best.Scheme = "optimize:pruned"
	consider := func(name string, m *Mapping) {
		if m.Count() < best.Count() {
			m.Scheme = "optimize:" + name
			best = m
		}
	}
	p, err := cluster.CoCluster(ctx, c, cluster.PartitionConfig{K: k, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	m, err := Packed(ctx, c, p, cfg.Compact)
	if err != nil {
		return nil, err
	}
	consider("cocluster", m)
	n := (len(c.ActiveRows()) + k - 1) / k
	for _, g := range []int{n, 2 * n, n / 2} {
		if g < 2 {
			continue
		}
		lab, err := cluster.SpectralCocluster(ctx, c, g, cfg.Seed)
		if err != nil {
			return nil, err
		}
		m, err := FromLabels(ctx, c, lab.Rows, lab.Cols, k, cfg.Compact)
		if err != nil {
			return nil, err
		}
		consider(fmt.Sprintf("spectral%d", g), m)
	}
	return best, nil
}

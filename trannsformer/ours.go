package trannsformer

import (
	"math"
)

// ours runs our schedule (see ScheduleOurs).
func (r *runner) ours() error {
	c := r.cfg
	m := r.m
	L := m.Layers()
	N := c.Epochs
	ks := r.res.K
	target := c.tileKeep(L)
	until := c.pruneUntil()
	layouts := make([]*TileLayout, L)
	r.res.Layouts = layouts
	for e := 1; e <= N; e++ {
		phase := "fine-tune"
		if e <= until {
			phase = "tile-prune"
			reorder := e == 1 || (c.Repartition > 0 && (e-1)%c.Repartition == 0)
			for l := 0; l < L; l++ {
				f := keepAt(target[l], e, until)
				tiles := ((m.Out(l) + ks[l] - 1) / ks[l]) * ((m.In(l) + ks[l] - 1) / ks[l])
				n := max(1, int(math.Round(f*float64(tiles))))
				if reorder {
					t, err := bestLayout(r, l, ks[l], n, c.Seed+uint64(1000*e+l))
					if err != nil {
						return err
					}
					if layouts[l] == nil {
						layouts[l] = t
					} else if old := layouts[l].Refine(m.W[l], n, refineRounds); t.Captured(m.W[l], n) > old {
						layouts[l] = t
					}
				}
				layouts[l].KeepTop(layouts[l].Scores(m.W[l]), n)
			}
			if err := ApplyTiles(m, layouts); err != nil {
				return err
			}
		}
		st, err := r.epoch()
		if err != nil {
			return err
		}
		n := 0
		for l := range layouts {
			r.res.Unclustered[l] = 0
			n += layouts[l].Kept()
		}
		if err := r.report(e, phase, st, n); err != nil {
			return err
		}
	}
	return nil
}

// keepAt is the fraction of tiles kept at pruning epoch e of until, falling
// on a cubic (Zhu and Gupta 2017) from 1 to target.
func keepAt(target float64, e, until int) float64 {
	if e >= until {
		return target
	}
	f := 1 - float64(e)/float64(until)
	return target + (1-target)*f*f*f
}

// refineRounds bounds the reassignment rounds of TileLayout.Refine.
const refineRounds = 10

// bestLayout gathers the weights of layer l for keeping n tiles of size k:
// cluster.CoCluster on the largest weights (as many as n tiles hold), then
// TileLayout.Refine.
func bestLayout(r *runner, l, k, n int, seed uint64) (*TileLayout, error) {
	m := r.m
	return gatherRefined(r.ctx, m.W[l], m.Out(l), m.In(l), k, n, seed)
}

package trannsformer

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
)

// MergeReports joins reports of the same study into one report, as if one
// run had trained every network of them: reports of different seeds (for
// example one "gotrann paper --seed N --seeds 1" process per seed, run in
// parallel), and reports of the same seeds with other methods or knob
// values (a sweep extended later with --only and new knob values). Runs are
// ordered by seed, then in the order a run trains the methods, then by knob;
// a network present in several reports (the dense network every run trains)
// must be identical in each, and is kept once; so is each seed's dense
// curve. The points, the validation-chosen settings and the Pareto flags are
// computed again over all runs. A run written before runs recorded their
// dropout rule gets the one its report's Dropout note implies. Every report must have the same
// configuration (data, sizes, budgets, crossbar sizes, mappers, cost
// models, samples, selection rule). Seconds is the longest of the parts
// (they are taken to have run in parallel) and TrainSamplesPerSecond their
// mean.
func MergeReports(parts ...*Report) (*Report, error) {
	if len(parts) == 0 {
		return nil, errors.New("trannsformer: no report to merge")
	}
	for i, p := range parts {
		if p == nil {
			return nil, fmt.Errorf("trannsformer: report %d is nil", i+1)
		}
	}
	base := parts[0]
	out := &Report{}
	*out = *base
	out.Runs, out.Seeds, out.DenseCurve, out.Points, out.Chosen = nil, nil, nil, nil, nil
	out.Seconds, out.TrainSamplesPerSecond = 0, 0
	type key struct {
		method string
		knob   float64
		seed   uint64
	}
	runs := map[key]*Run{}
	curves := map[uint64][]EpochPoint{}
	for i, p := range parts {
		if err := sameStudy(base, p); err != nil {
			return nil, fmt.Errorf("trannsformer: report %d is another study: %w", i+1, err)
		}
		for j, s := range p.Seeds {
			if j >= len(p.DenseCurve) {
				break
			}
			if c, ok := curves[s]; ok && !reflect.DeepEqual(c, p.DenseCurve[j]) {
				return nil, fmt.Errorf("trannsformer: report %d: the dense curve of seed %d differs from an earlier report's", i+1, s)
			}
			curves[s] = p.DenseCurve[j]
		}
		for _, s := range p.Seeds {
			if !slices.Contains(out.Seeds, s) {
				out.Seeds = append(out.Seeds, s)
			}
		}
		for _, r := range p.Runs {
			if r.Dropout == "" {
				// Written before runs recorded their rule: the report's
				// note says whether the non-dense networks scaled it.
				c := *r
				c.Dropout = DropoutFixed
				if p.Dropout != "" && r.Method != MethodDense {
					c.Dropout = DropoutScaled
				}
				r = &c
			}
			k := key{r.Method, r.Knob, r.Seed}
			if old, ok := runs[k]; ok {
				if !sameRun(old, r) {
					return nil, fmt.Errorf("trannsformer: report %d: %s %s seed %d differs from an earlier report's", i+1, r.Method, knobString(r.Method, r.Knob), r.Seed)
				}
				if old.ANNOnSNNSamples == nil && r.ANNOnSNNSamples != nil {
					old.ANNOnSNNSamples = r.ANNOnSNNSamples // a newer report measured it
				}
				continue
			}
			runs[k] = r
			out.Runs = append(out.Runs, r)
		}
		out.Seconds = max(out.Seconds, p.Seconds)
		out.TrainSamplesPerSecond += p.TrainSamplesPerSecond / float64(len(parts))
	}
	slices.Sort(out.Seeds)
	for _, s := range out.Seeds {
		if c, ok := curves[s]; ok {
			out.DenseCurve = append(out.DenseCurve, c)
		}
	}
	sort.SliceStable(out.Runs, func(a, b int) bool {
		x, y := out.Runs[a], out.Runs[b]
		if x.Seed != y.Seed {
			return x.Seed < y.Seed
		}
		if i, j := trainOrder(x.Method), trainOrder(y.Method); i != j {
			return i < j
		}
		return x.Knob < y.Knob
	})
	out.summarize()
	return out, nil
}

// trainOrder is the position of method in the order Paper trains them.
func trainOrder(method string) int {
	for i, m := range []string{MethodDense, MethodSmallDense, MethodPruned, MethodTrannsformer, MethodTilePruning, MethodOurs} {
		if m == method {
			return i
		}
	}
	return len(AllMethods)
}

// sameRun reports whether a and b are the same network measured the same
// way (their JSON encodings are equal; Dir may differ, and so may
// ANNOnSNNSamples where one report predates it).
func sameRun(a, b *Run) bool {
	x, y := *a, *b
	x.Dir, y.Dir = "", ""
	if x.ANNOnSNNSamples == nil || y.ANNOnSNNSamples == nil {
		x.ANNOnSNNSamples, y.ANNOnSNNSamples = nil, nil
	}
	ja, err1 := json.Marshal(&x)
	jb, err2 := json.Marshal(&y)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

func firstSeed(r *Report) uint64 {
	if len(r.Seeds) == 0 {
		return 0
	}
	return slices.Min(r.Seeds)
}

// sameStudy reports how b's configuration differs from a's, or nil.
func sameStudy(a, b *Report) error {
	for _, f := range []struct {
		name string
		x, y any
	}{
		{"dataset", a.Dataset, b.Dataset}, {"layers", a.Layers, b.Layers}, {"budget", a.Budget, b.Budget},
		{"pre-training", a.PretrainEpochs, b.PretrainEpochs}, {"k", a.K, b.K}, {"k sweep", a.Ks, b.Ks},
		{"mappers", a.Mappers, b.Mappers}, {"cost models", a.Constants, b.Constants},
		{"training samples", a.TrainSamples, b.TrainSamples}, {"validation samples", a.ValSamples, b.ValSamples},
		{"test samples", a.TestSamples, b.TestSamples}, {"SNN timesteps", a.SNNTimesteps, b.SNNTimesteps},
		{"SNN samples", a.SNNSamples, b.SNNSamples}, {"selection", a.Selection, b.Selection},
		{"tolerance", a.Tolerance, b.Tolerance},
	} {
		if !reflect.DeepEqual(f.x, f.y) {
			return fmt.Errorf("%s %v, not %v", f.name, f.y, f.x)
		}
	}
	return nil
}

package trannsformer

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
)

// MergeReports joins reports of the same study run for different seeds
// (for example one "gotrann paper --seed N --seeds 1" process per seed, run
// in parallel) into one report, as if one run had trained every seed: the
// runs, seeds and dense curves are concatenated in seed order and the
// points, the validation-chosen settings and the Pareto flags are computed
// again over all seeds. Every report must have the same configuration
// (data, sizes, budgets, crossbar sizes, mappers, cost models, samples,
// selection rule) and the seeds must not overlap. Seconds is the longest
// of the parts (they are taken to have run in parallel) and
// TrainSamplesPerSecond their mean.
func MergeReports(parts ...*Report) (*Report, error) {
	if len(parts) == 0 {
		return nil, errors.New("trannsformer: no report to merge")
	}
	for i, p := range parts {
		if p == nil {
			return nil, fmt.Errorf("trannsformer: report %d is nil", i+1)
		}
	}
	sorted := slices.Clone(parts)
	sort.SliceStable(sorted, func(a, b int) bool { return firstSeed(sorted[a]) < firstSeed(sorted[b]) })
	base := sorted[0]
	out := &Report{}
	*out = *base
	out.Runs, out.Seeds, out.DenseCurve, out.Points, out.Chosen = nil, nil, nil, nil, nil
	out.Seconds, out.TrainSamplesPerSecond = 0, 0
	seen := map[uint64]bool{}
	for i, p := range sorted {
		if err := sameStudy(base, p); err != nil {
			return nil, fmt.Errorf("trannsformer: report %d is another study: %w", i+1, err)
		}
		for _, s := range p.Seeds {
			if seen[s] {
				return nil, fmt.Errorf("trannsformer: seed %d is in more than one report", s)
			}
			seen[s] = true
		}
		out.Seeds = append(out.Seeds, p.Seeds...)
		out.DenseCurve = append(out.DenseCurve, p.DenseCurve...)
		out.Runs = append(out.Runs, p.Runs...)
		out.Seconds = max(out.Seconds, p.Seconds)
		out.TrainSamplesPerSecond += p.TrainSamplesPerSecond / float64(len(sorted))
	}
	out.summarize()
	return out, nil
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

package trannsformer

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/prune"
	"github.com/trannsformer/gotrann/trannsformer/snn"
)

// PaperConfig configures Paper. The zero value is the full MNIST study:
// 784-1200-1200-10, a budget of 30 epochs for every network, 3 seeds,
// the sweeps below, 64 x 64 crossbars and the sweep k = 16 ... 256, every
// mapper and the four cost models.
type PaperConfig struct {
	// Dataset is "mnist" (default), "fashion-mnist" or "synthetic".
	Dataset string
	// DataDir holds the IDX files; empty means the cache (data.MNIST).
	DataDir string
	// Train and Test, when set, are used instead of loading Dataset.
	Train, Test *data.Dataset
	// Sizes of the network (default 784-1200-1200-10; hidden 128 for the
	// quick and synthetic runs).
	Sizes []int
	// Budget is the number of training epochs behind every network
	// (default 30, quick 12): the dense reference and the networks trained
	// from scratch get all of it; the methods that start from the dense
	// network get Budget − PretrainEpochs epochs of their own.
	Budget int
	// PretrainEpochs is the dense training the fine-tuning methods start
	// from (default Budget/4).
	PretrainEpochs int
	// K is the crossbar size the methods are built for and the tables use
	// (default 64); Ks the sweep every network is mapped at (default 16,
	// 32, 64, 128, 256).
	K  int
	Ks []int
	// Mappers are the mappers every network is counted by (default
	// AllMappers).
	Mappers []string
	// TrainSamples and TestSamples limit the data (0: all; quick: 6000 and
	// 2000). ValSamples is the validation split taken from the end of the
	// training set (default data.DefaultValidation; quick 1000).
	TrainSamples, TestSamples, ValSamples int
	// SNNTimesteps (default 100, quick 50) and SNNSamples (default the
	// whole test set, quick 500) of the spiking simulation.
	SNNTimesteps, SNNSamples int
	// Seeds is the number of seeds per setting (default 3, quick 1),
	// Seed, Seed+1, ... (Seed defaults to 1).
	Seeds int
	Seed  uint64
	// The size knob of every method and the values swept:
	//   OursKeep: our final tile fraction of the hidden layers (default
	//     0.04, 0.06, 0.09, 0.12, 0.18, 0.25; the last layer keeps
	//     OursLastKeep, 0.5);
	//   TileKeep: the tile-pruning baseline's tile fraction, every layer
	//     but the last, which keeps max(TileKeep, OursLastKeep) (default
	//     0.06, 0.1, 0.15, 0.2, 0.3);
	//   PruneScales: the reference pruning's threshold step, times
	//     (default 1, 2, 4);
	//   Qualities: the reference TraNNsformer's first quality bar
	//     (default 0.7);
	//   SmallWidths: the hidden width of the small dense networks (default
	//     128, 256, 384, 600, scaled by the hidden width / 1200).
	OursKeep, TileKeep, PruneScales, Qualities []float64
	OursLastKeep                               float64
	SmallWidths                                []int
	// Tolerance is the validation accuracy a setting may lose against the
	// dense network and still be chosen (default 0.002).
	Tolerance float64
	// Recipe is the training recipe of every network (its zero value is
	// the reference recipe; Epochs and Seed are set per network).
	Recipe nn.Config
	// ScaledDropout names the methods whose networks train with a dropout
	// rate that follows their size: each epoch, nn.ScaledDropout of the
	// recipe's rate for the connections the network has as the epoch
	// starts (Han et al. 2015: less capacity needs less dropout). The
	// others, and always the dense network, keep the recipe's rate. Nil
	// means DefaultScaledDropout; an empty non-nil slice, no method.
	ScaledDropout []string
	// Constants are the cost models (default RESPARC-like and the three
	// simulator sets, cost.Simulators).
	Constants []cost.Constants
	// Quick runs a small network on a data subset with one seed, two
	// values per knob and batches of 100 (for CI).
	Quick bool
	// Only, when set, runs only the listed methods besides the dense
	// network.
	Only []string
	// SaveDir, when set, receives every trained network, every mapping and
	// the recount script (see Save).
	SaveDir string
}

// runs reports whether the method is to be run.
func (c PaperConfig) runs(method string) bool {
	return method == MethodDense || len(c.Only) == 0 || slices.Contains(c.Only, method)
}

// PaperProgress reports Paper's work: Done of Total units (training epochs
// and evaluations) are finished; Stage names the network in work (method,
// setting, seed); Message is its last status; Result is set when a network
// is finished (one line describing it).
type PaperProgress struct {
	Done, Total int
	Stage       string
	Message     string
	Result      string
}

// DefaultScaledDropout are the methods that scale their dropout rate by
// default: the choice was made on validation accuracy (docs/method.md).
// Magnitude pruning and the authors' schedule keep the recipe's rate: with
// the scaled one, in one of three seeds, the output neuron of one class
// goes silent (its ReLU stays at zero for most of that class) and their
// mean validation accuracy falls.
var DefaultScaledDropout = []string{MethodSmallDense, MethodTilePruning, MethodOurs}

// scalesDropout reports whether method's networks scale their dropout.
func (c PaperConfig) scalesDropout(method string) bool {
	return method != MethodDense && slices.Contains(c.ScaledDropout, method)
}

func (c PaperConfig) withDefaults() PaperConfig {
	if c.ScaledDropout == nil {
		c.ScaledDropout = DefaultScaledDropout
	}
	if c.Dataset == "" {
		c.Dataset = "mnist"
	}
	if c.Budget <= 0 {
		c.Budget = 30
		if c.Quick {
			c.Budget = 12
		}
	}
	if c.PretrainEpochs <= 0 {
		c.PretrainEpochs = max(1, c.Budget/4)
	}
	if c.PretrainEpochs >= c.Budget {
		c.PretrainEpochs = c.Budget - 1
	}
	if c.K <= 0 {
		c.K = 64
	}
	if len(c.Ks) == 0 {
		c.Ks = []int{16, 32, 64, 128, 256}
	}
	if !slices.Contains(c.Ks, c.K) {
		c.Ks = append(slices.Clone(c.Ks), c.K)
		slices.Sort(c.Ks)
	}
	if len(c.Mappers) == 0 {
		c.Mappers = AllMappers
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Quick {
		def := func(v *int, x int) {
			if *v <= 0 {
				*v = x
			}
		}
		def(&c.TrainSamples, 6000)
		def(&c.TestSamples, 2000)
		def(&c.ValSamples, 1000)
		def(&c.SNNSamples, 500)
		def(&c.SNNTimesteps, 50)
		def(&c.Seeds, 1)
		def(&c.Recipe.BatchSize, 100) // more steps per epoch on the small subset
		if len(c.OursKeep) == 0 {
			c.OursKeep = []float64{0.12, 0.25}
		}
		if len(c.TileKeep) == 0 {
			c.TileKeep = []float64{0.2, 0.4}
		}
		if len(c.PruneScales) == 0 {
			c.PruneScales = []float64{1}
		}
		if len(c.SmallWidths) == 0 {
			c.SmallWidths = []int{384, 600}
		}
	}
	if c.ValSamples <= 0 {
		c.ValSamples = data.DefaultValidation
	}
	if c.SNNTimesteps <= 0 {
		c.SNNTimesteps = 100
	}
	if c.Seeds <= 0 {
		c.Seeds = 3
	}
	if len(c.OursKeep) == 0 {
		c.OursKeep = []float64{0.04, 0.06, 0.09, 0.12, 0.18, 0.25}
	}
	if c.OursLastKeep <= 0 {
		c.OursLastKeep = 0.5
	}
	if len(c.TileKeep) == 0 {
		c.TileKeep = []float64{0.06, 0.1, 0.15, 0.2, 0.3}
	}
	if len(c.PruneScales) == 0 {
		c.PruneScales = []float64{1, 2, 4}
	}
	if len(c.Qualities) == 0 {
		c.Qualities = []float64{0.7}
	}
	if len(c.SmallWidths) == 0 {
		c.SmallWidths = []int{128, 256, 384, 600}
	}
	if c.Tolerance <= 0 {
		c.Tolerance = 0.002
	}
	if len(c.Constants) == 0 {
		c.Constants = append([]cost.Constants{cost.RESPARC()}, cost.Simulators()...)
	}
	return c
}

// Validate reports a configuration Paper cannot run, before any work.
func (c PaperConfig) Validate() error {
	bad := func(format string, a ...any) error { return fmt.Errorf("trannsformer: "+format, a...) }
	switch {
	case c.Budget < 0 || c.PretrainEpochs < 0:
		return bad("epochs must be positive (budget %d, pre-training %d)", c.Budget, c.PretrainEpochs)
	case c.Budget > 0 && c.PretrainEpochs >= c.Budget:
		return bad("pre-training (%d epochs) must be shorter than the budget (%d)", c.PretrainEpochs, c.Budget)
	case c.K < 0 || c.Seeds < 0 || c.TrainSamples < 0 || c.TestSamples < 0 || c.ValSamples < 0 || c.SNNTimesteps < 0 || c.SNNSamples < 0:
		return bad("sizes and counts must not be negative")
	case c.Tolerance < 0 || c.Tolerance >= 1:
		return bad("tolerance %v outside [0, 1)", c.Tolerance)
	}
	for _, k := range c.Ks {
		if k <= 0 {
			return bad("crossbar size %d", k)
		}
	}
	for _, mp := range c.Mappers {
		if !slices.Contains(AllMappers, mp) {
			return bad("unknown mapper %q (want %s)", mp, strings.Join(AllMappers, ", "))
		}
	}
	for _, m := range append(slices.Clone(c.Only), c.ScaledDropout...) {
		if !slices.Contains(AllMethods, m) {
			return bad("unknown method %q (want %s)", m, strings.Join(AllMethods, ", "))
		}
	}
	for _, v := range append(slices.Clone(c.OursKeep), c.TileKeep...) {
		if v <= 0 || v > 1 || math.IsNaN(v) {
			return bad("tile fraction %v outside (0, 1]", v)
		}
	}
	if c.OursLastKeep < 0 || c.OursLastKeep > 1 || math.IsNaN(c.OursLastKeep) {
		return bad("last layer's tile fraction %v outside (0, 1]", c.OursLastKeep)
	}
	for _, v := range c.Qualities {
		if v <= 0 || v >= 1 {
			return bad("quality bar %v outside (0, 1)", v)
		}
	}
	for _, v := range c.PruneScales {
		if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("pruning step scale %v", v)
		}
	}
	for _, w := range c.SmallWidths {
		if w <= 0 {
			return bad("small width %d", w)
		}
	}
	for _, k := range c.Constants {
		if err := k.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// PaperPlan is what a run will do, known before it starts.
type PaperPlan struct {
	Networks int // trained networks
	Epochs   int // training epochs in all
	Units    int // progress units (epochs and evaluations)
	// Widths is the number of networks per hidden width trained (for the
	// time estimate: epochs weighted by their size).
	WeightedEpochs float64 // epochs weighted by the network's weights relative to the main network
}

// Plan returns what Paper would do with cfg, and the samples fitted on.
func (c PaperConfig) Plan(sizes []int) PaperPlan {
	c = c.withDefaults()
	var p PaperPlan
	main := weightsOf(sizes)
	add := func(epochs int, sz []int, n int) {
		p.Networks += n
		p.Epochs += epochs * n
		p.Units += (epochs + 1) * n
		p.WeightedEpochs += float64(epochs*n) * float64(weightsOf(sz)) / float64(main)
	}
	seeds := c.Seeds
	add(c.Budget, sizes, seeds)
	ft := c.Budget - c.PretrainEpochs
	if c.runs(MethodSmallDense) {
		for _, w := range c.smallWidths(sizes) {
			add(c.Budget, withHidden(sizes, w), seeds)
		}
	}
	if c.runs(MethodPruned) {
		add(c.Budget, sizes, seeds*len(c.PruneScales))
	}
	if c.runs(MethodTrannsformer) {
		add(c.Budget, sizes, seeds*len(c.Qualities))
	}
	if c.runs(MethodTilePruning) {
		add(ft, sizes, seeds*len(c.TileKeep))
	}
	if c.runs(MethodOurs) {
		add(ft, sizes, seeds*len(c.OursKeep))
	}
	return p
}

func weightsOf(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l] * sizes[l+1]
	}
	return max(1, n)
}

func withHidden(sizes []int, w int) []int {
	s := slices.Clone(sizes)
	for i := 1; i < len(s)-1; i++ {
		s[i] = w
	}
	return s
}

// smallWidths returns the small dense widths, scaled to the hidden width.
func (c PaperConfig) smallWidths(sizes []int) []int {
	h := 1200
	if len(sizes) > 2 {
		h = sizes[1]
	}
	var out []int
	for _, w := range c.SmallWidths {
		v := max(1, w*h/1200)
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

type paperRun struct {
	ctx            context.Context
	cfg            PaperConfig
	fit, val, test *data.Dataset
	progress       func(PaperProgress)
	done, total    int
	rep            *Report
	sps            []float64
	stage          string
}

func (p *paperRun) step(msg string, units int) {
	p.done += units
	if p.progress != nil {
		p.progress(PaperProgress{Done: min(p.done, p.total), Total: p.total, Stage: p.stage, Message: msg})
	}
}

func (p *paperRun) result(line string) {
	if p.progress != nil {
		p.progress(PaperProgress{Done: min(p.done, p.total), Total: p.total, Stage: p.stage, Result: line})
	}
}

// PaperData loads the data of cfg and splits it: the samples to fit on,
// the validation split (the last ValSamples training samples) and the
// test set.
func PaperData(cfg PaperConfig) (fit, val, test *data.Dataset, err error) {
	c := cfg.withDefaults()
	train, test, err := paperData(c)
	if err != nil {
		return nil, nil, nil, err
	}
	if c.TrainSamples > 0 && c.TrainSamples < train.Len() {
		train = train.Head(c.TrainSamples)
	}
	if c.TestSamples > 0 && c.TestSamples < test.Len() {
		test = test.Head(c.TestSamples)
	}
	fit, val, err = data.ValidationSplit(train, c.ValSamples)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("trannsformer: %w", err)
	}
	return fit, val, test, nil
}

// PaperSizes returns the network sizes cfg trains for a data set.
func PaperSizes(cfg PaperConfig, features, classes int) []int {
	if len(cfg.Sizes) > 0 {
		return cfg.Sizes
	}
	h := 1200
	if cfg.Quick || cfg.Dataset == "synthetic" {
		h = 128
	}
	return []int{features, h, h, classes}
}

// Paper runs the comparison and returns the report. For every seed it
// trains the dense network for the whole budget (recording its
// validation accuracy after every epoch, and keeping a copy after
// PretrainEpochs), then every method at every value of its size knob:
//
//   - small_dense: dense networks of smaller hidden widths, from scratch;
//   - pruned: the reference magnitude pruning, from scratch;
//   - trannsformer: the authors' schedule, from scratch;
//   - tile_pruning: the strongest one-shot tile pruning (TilePruneStrong:
//     independent or joint regrouping, cleanup) of the pre-trained dense
//     network, then fine-tuning;
//   - ours: Transform with ScheduleOurs from the pre-trained dense network.
//
// Every network has the same budget. The sparse networks get the
// function-preserving cleanup (prune.Cleanup) before they are measured.
// Each network is evaluated once on the validation split, once on the test
// set and once as a spiking network on the test set, then mapped by every
// mapper at every k, every mapping verified, and costed under every cost
// model with per-input spike rates. The setting of every method is chosen
// on validation accuracy (see Report.Selection). ctx stops the run between
// batches.
func Paper(ctx context.Context, cfg PaperConfig, progress func(PaperProgress)) (*Report, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg.withDefaults()
	fit, val, test, err := PaperData(c)
	if err != nil {
		return nil, err
	}
	if c.SNNSamples <= 0 || c.SNNSamples > test.Len() {
		c.SNNSamples = test.Len()
	}
	sizes := PaperSizes(c, fit.Features, fit.Classes)
	if sizes[0] != fit.Features || sizes[len(sizes)-1] < fit.Classes {
		return nil, fmt.Errorf("trannsformer: network %v does not fit %s (%d features, %d classes)", sizes, fit.Name, fit.Features, fit.Classes)
	}
	p := &paperRun{ctx: ctx, cfg: c, fit: fit, val: val, test: test, progress: progress}
	p.total = c.Plan(sizes).Units
	rep := &Report{Dataset: c.Dataset, Layers: sizes, Budget: c.Budget, PretrainEpochs: c.PretrainEpochs, K: c.K, Ks: c.Ks,
		Mappers: c.Mappers, ConstantSources: map[string]string{}, TrainSamples: fit.Len(), ValSamples: val.Len(),
		TestSamples: test.Len(), SNNTimesteps: c.SNNTimesteps, SNNSamples: c.SNNSamples, Tolerance: c.Tolerance}

	rep.Selection = fmt.Sprintf("for every method, the setting (knob value) with the fewest mean crossbars at k = %d (best mapper) "+
		"among those whose mean validation accuracy is at least the dense network's minus %.2f points; when none is, the setting of "+
		"highest mean validation accuracy. The test set plays no part in the choice.", c.K, 100*c.Tolerance)
	for _, k := range c.Constants {
		rep.Constants = append(rep.Constants, k.Name)
		rep.ConstantSources[k.Name] = k.Source
	}
	p.rep = rep
	for s := 0; s < c.Seeds; s++ {
		seed := c.Seed + uint64(s)
		rep.Seeds = append(rep.Seeds, seed)
		if err := p.seed(sizes, seed); err != nil {
			return nil, err
		}
	}
	rep.summarize()
	if len(p.sps) > 0 {
		rep.TrainSamplesPerSecond = stat(p.sps).Mean
	}
	rep.Seconds = time.Since(start).Seconds()
	if c.SaveDir != "" {
		if err := saveManifest(c.SaveDir, rep, test); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// seed trains and measures every network of one seed.
func (p *paperRun) seed(sizes []int, seed uint64) error {
	c := p.cfg
	ctx := p.ctx
	tcfg := c.Recipe
	tcfg.Seed = seed
	ft := c.Budget - c.PretrainEpochs
	// The dropout rule of each method (PaperConfig.ScaledDropout).
	ref := 0
	for l := 0; l+1 < len(sizes); l++ {
		ref += sizes[l] * sizes[l+1]
	}
	dropout := func(method string) func(*nn.MLP, float64) float64 {
		if !c.scalesDropout(method) {
			return nil
		}
		return func(m *nn.MLP, base float64) float64 { return nn.ScaledDropout(base, m.Connections(), ref) }
	}

	// Dense, the whole budget; a copy after the pre-training.
	p.stage = fmt.Sprintf("dense seed %d", seed)
	dense, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: seed})
	if err != nil {
		return err
	}
	var pre *nn.MLP
	var curve []EpochPoint
	if err := p.fit1(dense, c.Budget, tcfg, nil, func(m *nn.MLP, e int, st nn.EpochStats) error {
		acc, err := m.Evaluate(p.val)
		if err != nil {
			return err
		}
		curve = append(curve, EpochPoint{Epoch: e, Loss: st.Loss, TrainAcc: st.Accuracy, ValAccuracy: acc})
		if e == c.PretrainEpochs {
			pre = m.Clone()
		}
		return nil
	}); err != nil {
		return err
	}
	p.rep.DenseCurve = append(p.rep.DenseCurve, curve)
	if err := p.measure(MethodDense, float64(sizes[1]), "width", seed, dense, c.Budget, MapOptions{Seed: seed}, ""); err != nil {
		return err
	}

	if c.runs(MethodSmallDense) {
		for _, w := range c.smallWidths(sizes) {
			p.stage = fmt.Sprintf("small_dense width %d seed %d", w, seed)
			sm, err := nn.New(nn.ModelConfig{Sizes: withHidden(sizes, w), Seed: seed})
			if err != nil {
				return err
			}
			if err := p.fit1(sm, c.Budget, tcfg, dropout(MethodSmallDense), nil); err != nil {
				return err
			}
			if err := p.measure(MethodSmallDense, float64(w), "width", seed, sm, c.Budget, MapOptions{Seed: seed}, ""); err != nil {
				return err
			}
		}
	}

	if c.runs(MethodPruned) {
		for _, scale := range c.PruneScales {
			p.stage = fmt.Sprintf("pruned step×%g seed %d", scale, seed)
			m, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: seed})
			if err != nil {
				return err
			}
			pr := prune.NewReference(m, c.Budget)
			for l := range pr.Steps {
				pr.Steps[l] *= scale
			}
			if err := p.fit1(m, c.Budget, tcfg, dropout(MethodPruned), func(m *nn.MLP, _ int, st nn.EpochStats) error {
				_, err := pr.EpochEnd(m, st.Loss)
				return err
			}); err != nil {
				return err
			}
			n, err := prune.Cleanup(m)
			if err != nil {
				return err
			}
			if err := p.measure(MethodPruned, scale, "threshold step ×", seed, m, c.Budget, MapOptions{Seed: seed},
				fmt.Sprintf("cleanup removed %d weights", n)); err != nil {
				return err
			}
		}
	}

	if c.runs(MethodTrannsformer) {
		for _, q := range c.Qualities {
			p.stage = fmt.Sprintf("trannsformer q %g seed %d", q, seed)
			m, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: seed})
			if err != nil {
				return err
			}
			res, err := Transform(ctx, m, p.fit, nil, Config{Schedule: ScheduleReference, Epochs: c.Budget, K: c.K, Train: tcfg, Seed: seed, Dropout: dropout(MethodTrannsformer),
				Quality: q, QualityFloor: math.Min(0.3, q)},
				func(pg Progress) { p.step(pg.String(), 1) })
			if err != nil {
				return err
			}
			n, err := prune.Cleanup(m)
			if err != nil {
				return err
			}
			nb := 0
			for _, bl := range res.Blocks {
				nb += len(bl)
			}
			note := fmt.Sprintf("%d blocks; cleanup removed %d weights", nb, n)
			// The released code's counter (crossbar size 4 whatever k), for
			// reproducing the authors' figures, against the dense network
			// counted the same way.
			if leg, err := res.Map(ctx, 0, true); err == nil {
				if dl, err := MapDense(dense, crossbar.LegacyK); err == nil {
					note += fmt.Sprintf("; the released counter (crossbar size %d): %d crossbars, dense %d", crossbar.LegacyK, Crossbars(leg), Crossbars(dl))
				}
			}
			if err := p.measure(MethodTrannsformer, q, "quality bar", seed, m, c.Budget, MapOptions{Blocks: res.Blocks, Seed: seed}, note); err != nil {
				return err
			}
		}
	}

	last := func(keep float64) []float64 {
		f := make([]float64, len(sizes)-1)
		for l := range f {
			f[l] = keep
		}
		f[len(f)-1] = math.Max(keep, c.OursLastKeep)
		return f
	}
	ks := make([]int, len(sizes)-1)
	for l := range ks {
		ks[l] = c.K
	}
	if c.runs(MethodTilePruning) {
		for _, keep := range c.TileKeep {
			p.stage = fmt.Sprintf("tile_pruning keep %g seed %d", keep, seed)
			m := pre.Clone()
			res, err := TilePruneStrong(ctx, m, ks, last(keep), seed)
			if err != nil {
				return err
			}
			if err := p.fit1(m, ft, tcfg, dropout(MethodTilePruning), nil); err != nil {
				return err
			}
			n, err := prune.Cleanup(m)
			if err != nil {
				return err
			}
			note := fmt.Sprintf("joint regrouping %v (captures %.3f of the weight mass, the other ordering %.3f); cleanup removed %d + %d weights",
				res.Joint, res.Captured, res.CapturedOther, res.Cleaned, n)
			if err := p.measure(MethodTilePruning, keep, "tile fraction", seed, m, c.Budget, MapOptions{Layouts: res.Layouts, Seed: seed}, note); err != nil {
				return err
			}
		}
	}

	if c.runs(MethodOurs) {
		for _, keep := range c.OursKeep {
			p.stage = fmt.Sprintf("ours keep %g seed %d", keep, seed)
			m := pre.Clone()
			res, err := Transform(ctx, m, p.fit, nil, Config{Schedule: ScheduleOurs, Epochs: ft, K: c.K, Train: tcfg, Seed: seed, TileKeep: last(keep), Dropout: dropout(MethodOurs)},
				func(pg Progress) { p.step(pg.String(), 1) })
			if err != nil {
				return err
			}
			n, err := prune.Cleanup(m)
			if err != nil {
				return err
			}
			if err := p.measure(MethodOurs, keep, "tile fraction", seed, m, c.Budget, MapOptions{Layouts: res.Layouts, Seed: seed},
				fmt.Sprintf("cleanup removed %d weights", n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// fit1 trains m for epochs epochs, calling after (when set) after each.
//
// dropout, when set, gives each epoch's dropout rate (see
// PaperConfig.FixedDropout).
func (p *paperRun) fit1(m *nn.MLP, epochs int, cfg nn.Config, dropout func(*nn.MLP, float64) float64, after func(*nn.MLP, int, nn.EpochStats) error) error {
	cfg.Epochs = epochs
	tr, err := nn.NewTrainer(m, cfg)
	if err != nil {
		return err
	}
	base := tr.Config().Dropout
	for e := 1; e <= epochs; e++ {
		if dropout != nil {
			if err := tr.SetDropout(dropout(m, base)); err != nil {
				return err
			}
		}
		st, err := tr.TrainEpoch(p.ctx, p.fit, nil)
		if err == nil && st.Interrupted {
			err = p.ctx.Err()
		}
		if err != nil {
			return err
		}
		if math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0) {
			return fmt.Errorf("trannsformer: %s: training diverged at epoch %d", p.stage, e)
		}
		if slices.Equal(m.Sizes, p.rep.Layers) && st.SamplesPerSecond > 0 {
			p.sps = append(p.sps, st.SamplesPerSecond)
		}
		if after != nil {
			if err := after(m, e, st); err != nil {
				return err
			}
		}
		p.step(fmt.Sprintf("epoch %d/%d loss %.4f train %.2f%% sparsity %.1f%%", e, epochs, st.Loss, 100*st.Accuracy, 100*m.Sparsity()), 1)
	}
	return nil
}

// measure evaluates one trained network and adds its run to the report:
// validation and test accuracy, the spiking network, every mapping at
// every k (verified) and its cost under every model.
func (p *paperRun) measure(method string, knob float64, knobName string, seed uint64, m *nn.MLP, epochs int, mo MapOptions, notes string) error {
	c := p.cfg
	run := &Run{Method: method, Knob: knob, KnobName: knobName, Seed: seed, Sizes: slices.Clone(m.Sizes), Epochs: epochs, Notes: notes, Dropout: DropoutFixed}
	if c.scalesDropout(method) {
		run.Dropout = DropoutScaled
	}
	var err error
	if run.ValAccuracy, err = m.Evaluate(p.val); err != nil {
		return err
	}
	if run.TestAccuracy, err = m.Evaluate(p.test); err != nil {
		return err
	}
	for l := 0; l < m.Layers(); l++ {
		n := m.NonZero(l)
		run.LayerSynapses = append(run.LayerSynapses, n)
		run.Synapses += n
	}
	calib := p.fit
	if calib.Len() > 10000 {
		calib = calib.Head(10000)
	}
	net, err := snn.Convert(m, calib, snn.ConvertConfig{Percentile: 99.9})
	if err != nil {
		return fmt.Errorf("trannsformer: %s: %w", p.stage, err)
	}
	sim, err := net.Simulate(p.ctx, p.test, snn.SimConfig{T: c.SNNTimesteps, Seed: seed, Samples: c.SNNSamples})
	if err != nil {
		return fmt.Errorf("trannsformer: %s: %w", p.stage, err)
	}
	run.SNNTestAccuracy = sim.Accuracy
	// The ANN on exactly the images the spiking network saw.
	annSNN := run.TestAccuracy
	if sim.Samples < p.test.Len() {
		if annSNN, err = m.Evaluate(p.test.Head(sim.Samples)); err != nil {
			return err
		}
	}
	run.ANNOnSNNSamples = &annSNN
	for l := 0; l < m.Layers(); l++ {
		run.SpikesPerNeuron = append(run.SpikesPerNeuron, sim.SpikesPerLayer[l]/float64(m.Sizes[l]))
	}
	// Each crossbar is charged for the spikes its own input rows received,
	// as measured per neuron by the simulation.
	perInput := sim.SpikesPerNeuron[:m.Layers()]
	// Every (k, mapper) pair is independent: map and cost them in parallel,
	// keeping the order of Ks then Mappers.
	type job struct {
		k      int
		mapper string
		enc    []encodedMapping
		mc     MapCost
		err    error
	}
	var jobs []*job
	for _, k := range c.Ks {
		for _, mp := range c.Mappers {
			jobs = append(jobs, &job{k: k, mapper: mp})
		}
	}
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			maps, err := MapNetwork(p.ctx, m, j.k, j.mapper, mo)
			if err != nil {
				j.err = fmt.Errorf("trannsformer: %s: %w", p.stage, err)
				return
			}
			mc := MapCost{K: j.k, Mapper: j.mapper, Scheme: maps[0].Scheme, Crossbars: Crossbars(maps), Utilization: Utilization(maps),
				Verified: true, Area: map[string]float64{}, Energy: map[string]float64{}}
			for _, x := range maps {
				mc.LayerCrossbars = append(mc.LayerCrossbars, x.Count())
			}
			for _, cc := range c.Constants {
				cr, err := cost.NetworkPerInput(maps, run.SpikesPerNeuron, perInput, c.SNNTimesteps, cc)
				if err != nil {
					j.err = fmt.Errorf("trannsformer: %s: %w", p.stage, err)
					return
				}
				mc.Area[cc.Name] = cr.Total.Area
				mc.Energy[cc.Name] = cr.Total.Energy / 1000 // pJ -> nJ
			}
			j.mc = mc
			if c.SaveDir != "" {
				// Keep the compact form only: a full mapping lists every
				// synapse as a struct.
				j.enc = encodeMappings(m, maps)
			}
		}()
	}
	wg.Wait()
	var saved map[string][]encodedMapping
	if c.SaveDir != "" {
		saved = map[string][]encodedMapping{}
	}
	for _, j := range jobs {
		if j.err != nil {
			return j.err
		}
		run.Mappings = append(run.Mappings, j.mc)
		if saved != nil {
			saved[fmt.Sprintf("k%d_%s", j.k, j.mapper)] = j.enc
		}
	}
	if saved != nil {
		dir, err := saveRun(c.SaveDir, run, m, mo.Layouts, saved)
		if err != nil {
			return err
		}
		run.Dir = dir
	}
	p.rep.Runs = append(p.rep.Runs, run)
	best := run.Best(c.K)
	p.done++
	p.result(fmt.Sprintf("%s: val %.2f%%, test %.2f%%, SNN %.2f%% (ANN %.2f%% on the same %d images), %d synapses, %d crossbars at k=%d (%s)",
		p.stage, 100*run.ValAccuracy, 100*run.TestAccuracy, 100*run.SNNTestAccuracy, 100*annSNN, sim.Samples, run.Synapses, best.Crossbars, c.K, best.Mapper))
	return nil
}

// InputRates estimates the spikes per inference of every input of every
// weight layer of m without per-neuron counts (the paper uses the counts
// snn.Result.SpikesPerNeuron measures): the measured spikes of each layer (spikesPerLayer[l],
// the mean per inference emitted by layer l, as snn.Result reports it)
// distributed over the layer's neurons in proportion to their mean ANN
// activation on ds (rate coding makes a neuron's firing rate proportional
// to its normalised activation; for the input layer this is the pixel
// intensity, the Poisson rate itself). A layer whose activations are all
// zero gets the mean for every neuron.
func InputRates(m *nn.MLP, ds *data.Dataset, spikesPerLayer []float64) ([][]float64, error) {
	if len(spikesPerLayer) < m.Layers() {
		return nil, fmt.Errorf("trannsformer: %d spike figures for %d layers", len(spikesPerLayer), m.Layers())
	}
	mean := make([][]float64, m.Layers())
	for l := range mean {
		mean[l] = make([]float64, m.In(l))
	}
	const batch = 500
	for s := 0; s < ds.Len(); s += batch {
		n := min(batch, ds.Len()-s)
		acts, err := m.ForwardAll(ds.X[s*ds.Features:(s+n)*ds.Features], n)
		if err != nil {
			return nil, err
		}
		for l := range mean {
			w := m.In(l)
			for r := 0; r < n; r++ {
				for j, v := range acts[l][r*w : (r+1)*w] {
					mean[l][j] += float64(v)
				}
			}
		}
	}
	for l, a := range mean {
		tot := 0.0
		for _, v := range a {
			tot += v
		}
		for j := range a {
			if tot > 0 {
				a[j] = spikesPerLayer[l] * a[j] / tot
			} else {
				a[j] = spikesPerLayer[l] / float64(len(a))
			}
		}
	}
	return mean, nil
}

// paperData loads the configured data set.
func paperData(c PaperConfig) (train, test *data.Dataset, err error) {
	if c.Train != nil && c.Test != nil {
		return c.Train, c.Test, nil
	}
	switch c.Dataset {
	case "mnist":
		train, test, err = data.MNIST(c.DataDir)
	case "fashion-mnist":
		train, test, err = data.FashionMNIST(c.DataDir)
	case "synthetic":
		n := 12000
		if c.Quick {
			n = 8000
		}
		all := data.Synthetic(data.SyntheticConfig{N: n, Side: 16, Seed: c.Seed + 1})
		all.Name = "synthetic"
		train, test = all.Split(5.0/6, c.Seed+2)
	default:
		return nil, nil, fmt.Errorf("trannsformer: unknown data set %q (want mnist, fashion-mnist or synthetic)", c.Dataset)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("trannsformer: loading %s: %w", c.Dataset, err)
	}
	return train, test, nil
}

// PaperProjection is the time a run is expected to take, known before it
// starts.
type PaperProjection struct {
	Plan           PaperPlan
	Sizes          []int
	FitSamples     int
	SamplesPerSec  float64       // measured on a calibration epoch of the main network
	Training       time.Duration // the training epochs alone, at that rate
	Calibration    time.Duration
	SecondsPerUnit float64 // Training / Plan.Units, for a running estimate
}

// ProjectPaper loads the data of cfg, times one calibration epoch of the
// main network on up to 2,000 samples and projects the training time of
// the whole run (epochs weighted by network size). Evaluation, the spiking
// simulations and the mappings come on top.
func ProjectPaper(ctx context.Context, cfg PaperConfig) (*PaperProjection, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg.withDefaults()
	fit, _, _, err := PaperData(c)
	if err != nil {
		return nil, err
	}
	sizes := PaperSizes(c, fit.Features, fit.Classes)
	m, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: c.Seed})
	if err != nil {
		return nil, err
	}
	sample := fit.Head(min(fit.Len(), 2000))
	tc := c.Recipe
	tc.Epochs = 1
	tr, err := nn.NewTrainer(m, tc)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if _, err := tr.TrainEpoch(ctx, sample, nil); err != nil {
		return nil, err
	}
	el := time.Since(start)
	pr := &PaperProjection{Plan: c.Plan(sizes), Sizes: sizes, FitSamples: fit.Len(), Calibration: el}
	if el > 0 {
		pr.SamplesPerSec = float64(sample.Len()) / el.Seconds()
		pr.Training = time.Duration(pr.Plan.WeightedEpochs * float64(fit.Len()) / pr.SamplesPerSec * float64(time.Second))
	}
	if pr.Plan.Units > 0 {
		pr.SecondsPerUnit = pr.Training.Seconds() / float64(pr.Plan.Units)
	}
	return pr, nil
}

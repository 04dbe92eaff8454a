package trannsformer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"time"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/prune"
	"github.com/trannsformer/gotrann/trannsformer/snn"
)

// PaperConfig configures Paper. The zero value is the full MNIST
// experiment: 784-1200-1200-10, a TraNNsformer budget of 60 epochs, 64 x 64
// crossbars, the sweep k = 16, 32, 64, 128, 256, both constant sets.
type PaperConfig struct {
	// Dataset is "mnist" (default), "fashion-mnist" or "synthetic".
	Dataset string
	// DataDir holds the IDX files; empty means the cache (data.MNIST).
	DataDir string
	// Train and Test, when set, are used instead of loading Dataset.
	Train, Test *data.Dataset
	// Sizes of the network (default 784-1200-1200-10, or the quick or
	// synthetic network); SmallSizes of the small dense baseline (default
	// 784-384-384-10, the hidden widths scaled alike for other inputs).
	Sizes, SmallSizes []int
	// Epochs is the TraNNsformer budget N (default 60, quick 40). The other
	// budgets default to fractions of it, as the reference recipe: dense
	// N/4 (15), pruned 2N/3 (40), ours N/2 (30, fine-tuning the dense
	// network), small dense N/2 (30), tile pruning N/4 (15, fine-tuning the
	// dense network).
	Epochs                                                         int
	DenseEpochs, PrunedEpochs, OursEpochs, SmallEpochs, TileEpochs int
	// K is the crossbar size the methods are built for (default 64); Ks the
	// sweep every network is mapped at (default 16, 32, 64, 128, 256).
	K  int
	Ks []int
	// TrainSamples and TestSamples limit the data (0: all; quick: 6000 and
	// 2000).
	TrainSamples, TestSamples int
	// SNNTimesteps (default 100) and SNNSamples (default the whole test set)
	// of the spiking simulation that gives accuracy and activity.
	SNNTimesteps, SNNSamples int
	// TileKeep is our final tile fraction per layer (see Config.TileKeep);
	// BaselineTileKeep the tile-pruning baseline's (default 0.2).
	TileKeep         []float64
	BaselineTileKeep float64
	// Constants are the cost constant sets (default RESPARC and PUMA).
	Constants []cost.Constants
	// Quick runs a small network on a data subset (for CI: well under 2
	// minutes on 2 cores).
	Quick bool
	// NoSmall and NoTile skip those baselines.
	NoSmall, NoTile bool
	// Only, when set, runs only the listed methods besides the dense
	// network (e.g. ["ours"] to tune our schedule).
	Only []string
	// DenseFile, when set, caches the trained dense network: it is loaded
	// from there when the file exists, and saved there otherwise.
	DenseFile string
	Seed      uint64
}

// runs reports whether the method is to be run.
func (c PaperConfig) runs(method string) bool {
	if len(c.Only) == 0 {
		switch method {
		case MethodSmallDense:
			return !c.NoSmall
		case MethodTilePruning:
			return !c.NoTile
		}
		return true
	}
	for _, m := range c.Only {
		if m == method {
			return true
		}
	}
	return false
}

// PaperProgress reports Paper's work: Done of Total units (training epochs
// and simulations) are finished; Stage names the current one; Epoch is set
// after a Transform epoch.
type PaperProgress struct {
	Done, Total int
	Stage       string
	Message     string
}

type paperRun struct {
	ctx         context.Context
	cfg         PaperConfig
	train, test *data.Dataset
	progress    func(PaperProgress)
	done, total int
	rep         *Report
	sps         []float64
}

func (p *paperRun) step(stage, msg string, units int) {
	p.done += units
	if p.progress != nil {
		p.progress(PaperProgress{Done: p.done, Total: p.total, Stage: stage, Message: msg})
	}
}

func (c PaperConfig) withDefaults() PaperConfig {
	if c.Dataset == "" {
		c.Dataset = "mnist"
	}
	if c.Epochs <= 0 {
		c.Epochs = 60
		if c.Quick {
			c.Epochs = 40
		}
	}
	N := c.Epochs
	def := func(v *int, num, den int) {
		if *v <= 0 {
			*v = max(1, N*num/den)
		}
	}
	def(&c.DenseEpochs, 1, 4)
	def(&c.PrunedEpochs, 2, 3)
	def(&c.OursEpochs, 1, 2)
	def(&c.SmallEpochs, 1, 2)
	def(&c.TileEpochs, 1, 4)
	if c.K <= 0 {
		c.K = 64
	}
	if len(c.Ks) == 0 {
		c.Ks = []int{16, 32, 64, 128, 256}
	}
	if c.Quick {
		if c.TrainSamples <= 0 {
			c.TrainSamples = 6000
		}
		if c.TestSamples <= 0 {
			c.TestSamples = 2000
		}
		if c.SNNSamples <= 0 {
			c.SNNSamples = 500
		}
		if c.SNNTimesteps <= 0 {
			c.SNNTimesteps = 50
		}
	}
	if c.SNNTimesteps <= 0 {
		c.SNNTimesteps = 100
	}
	if c.BaselineTileKeep <= 0 {
		c.BaselineTileKeep = 0.2
	}
	if len(c.Constants) == 0 {
		c.Constants = []cost.Constants{cost.RESPARC(), cost.PUMA()}
	}
	return c
}

// Paper runs the paper's experiment and returns the report: it trains the
// dense network; the pruned network (reference pruning, from scratch); the
// TraNNsformer network (reference schedule, from scratch); the small dense
// baseline; the tile-pruning baseline (one-shot: reorder, keep the top
// BaselineTileKeep of the tiles of the dense network, fine-tune); and ours
// (Transform with ScheduleOurs from the dense network). Each is evaluated
// on the test set as an ANN and as a spiking network (whose measured spikes
// drive the energy model), mapped at every k of the sweep and costed under
// every constant set. ctx stops the run between batches.
func Paper(ctx context.Context, cfg PaperConfig, progress func(PaperProgress)) (*Report, error) {
	start := time.Now()
	c := cfg.withDefaults()
	train, test, err := paperData(c)
	if err != nil {
		return nil, err
	}
	if c.TrainSamples > 0 && c.TrainSamples < train.Len() {
		train = train.Head(c.TrainSamples)
	}
	if c.TestSamples > 0 && c.TestSamples < test.Len() {
		test = test.Head(c.TestSamples)
	}
	if c.SNNSamples <= 0 || c.SNNSamples > test.Len() {
		c.SNNSamples = test.Len()
	}
	sizes := c.Sizes
	if len(sizes) == 0 {
		h := 1200
		if c.Quick || c.Dataset == "synthetic" {
			h = 128
		}
		sizes = []int{train.Features, h, h, train.Classes}
	}
	small := c.SmallSizes
	if len(small) == 0 {
		small = append([]int(nil), sizes...)
		for i := 1; i < len(small)-1; i++ {
			small[i] = max(1, small[i]*384/1200)
		}
	}
	if sizes[0] != train.Features || sizes[len(sizes)-1] < train.Classes {
		return nil, fmt.Errorf("trannsformer: network %v does not fit %s (%d features, %d classes)", sizes, train.Name, train.Features, train.Classes)
	}
	p := &paperRun{ctx: ctx, cfg: c, train: train, test: test, progress: progress}
	p.total = c.DenseEpochs + 1
	for _, x := range []struct {
		name  string
		units int
	}{{MethodPruned, c.PrunedEpochs + 1}, {MethodTrannsformer, c.Epochs + 1}, {MethodSmallDense, c.SmallEpochs + 1},
		{MethodTilePruning, c.TileEpochs + 2}, {MethodOurs, c.OursEpochs + 1}} {
		if c.runs(x.name) {
			p.total += x.units
		}
	}
	p.rep = &Report{Dataset: c.Dataset, Layers: sizes, Epochs: c.Epochs, K: c.K, Ks: c.Ks,
		TrainSamples: train.Len(), TestSamples: test.Len(), SNNTimesteps: c.SNNTimesteps,
		SNNSamples: c.SNNSamples, Seed: c.Seed}
	for _, k := range c.Constants {
		p.rep.Constants = append(p.rep.Constants, k.Name)
	}
	tcfg := nn.Config{Seed: c.Seed}

	// Dense.
	dense, err := p.denseNetwork(sizes, tcfg)
	if err != nil {
		return nil, err
	}
	if p.rep.Dense, err = p.evaluate(MethodDense, "the dense network, reference recipe", dense, c.DenseEpochs,
		func(k int) ([]*crossbar.Mapping, error) { return MapDense(dense, k) }); err != nil {
		return nil, err
	}

	if c.runs(MethodPruned) {
		// Pruned: the reference magnitude pruning, from scratch.
		pruned, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: c.Seed})
		if err != nil {
			return nil, err
		}
		pr := prune.NewReference(pruned, c.PrunedEpochs)
		if err := p.fit(pruned, c.PrunedEpochs, tcfg, "pruned", func(m *nn.MLP, loss float64) error {
			_, err := pr.EpochEnd(m, loss)
			return err
		}); err != nil {
			return nil, err
		}
		if p.rep.Pruned, err = p.evaluate(MethodPruned, "reference magnitude pruning (rising threshold, soft masks), from scratch, empty rows and columns removed", pruned, c.PrunedEpochs,
			func(k int) ([]*crossbar.Mapping, error) { return MapPruned(pruned, k) }); err != nil {
			return nil, err
		}
	}

	if c.runs(MethodTrannsformer) {
		// TraNNsformer, reference schedule, from scratch.
		ref, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: c.Seed})
		if err != nil {
			return nil, err
		}
		rres, err := Transform(ctx, ref, train, nil, Config{Schedule: ScheduleReference, Epochs: c.Epochs, K: c.K, Train: tcfg, Seed: c.Seed},
			func(pg Progress) { p.step("trannsformer", pg.String(), 1) })
		if err != nil {
			return nil, err
		}
		if p.rep.Trannsformer, err = p.evaluate(MethodTrannsformer, "the authors' schedule (prune, cluster at 0.2N, re-cluster leftovers, cluster pruning from 0.8N), blocks plus greedy windows", ref, c.Epochs,
			func(k int) ([]*crossbar.Mapping, error) { return rres.Map(ctx, k, false) }); err != nil {
			return nil, err
		}
		p.rep.Trannsformer.LayerUnclustered = append([]float64(nil), rres.Unclustered...)
		for _, bl := range rres.Blocks {
			p.rep.Trannsformer.LayerBlocks = append(p.rep.Trannsformer.LayerBlocks, len(bl))
			p.rep.Trannsformer.LayerBlockSize = append(p.rep.Trannsformer.LayerBlockSize, medianBlock(bl))
		}
		if leg, err := rres.Map(ctx, 0, true); err == nil {
			p.rep.Trannsformer.LegacyCrossbars = Crossbars(leg)
			if dl, err := MapDense(dense, crossbar.LegacyK); err == nil {
				p.rep.Trannsformer.LegacyVsDense = reduction(float64(p.rep.Trannsformer.LegacyCrossbars), float64(Crossbars(dl)))
			}
		} else {
			return nil, err
		}
	}

	// Small dense baseline.
	if c.runs(MethodSmallDense) {
		sm, err := nn.New(nn.ModelConfig{Sizes: small, Seed: c.Seed})
		if err != nil {
			return nil, err
		}
		if err := p.fit(sm, c.SmallEpochs, tcfg, "small dense", nil); err != nil {
			return nil, err
		}
		if p.rep.SmallDense, err = p.evaluate(MethodSmallDense, "a smaller dense network trained from scratch", sm, c.SmallEpochs,
			func(k int) ([]*crossbar.Mapping, error) { return MapDense(sm, k) }); err != nil {
			return nil, err
		}
	}

	// Tile-pruning baseline: reorder, keep the top tiles once, fine-tune.
	if c.runs(MethodTilePruning) {
		tp := dense.Clone()
		keep := make([]float64, tp.Layers())
		ks := make([]int, tp.Layers())
		for l := range keep {
			keep[l], ks[l] = c.BaselineTileKeep, c.K
		}
		layouts, err := TilePrune(ctx, tp, ks, keep, c.Seed)
		if err != nil {
			return nil, err
		}
		p.step("tile pruning", "tiles kept", 1)
		if err := p.fit(tp, c.TileEpochs, tcfg, "tile pruning", nil); err != nil {
			return nil, err
		}
		desc := fmt.Sprintf("baseline: the dense network reordered, top %.0f%% of the %dx%d tiles per layer kept once, fine-tuned", 100*c.BaselineTileKeep, c.K, c.K)
		if p.rep.TilePruning, err = p.evaluate(MethodTilePruning, desc, tp, c.TileEpochs,
			func(k int) ([]*crossbar.Mapping, error) { return MapTiles(ctx, tp, layouts, k) }); err != nil {
			return nil, err
		}
	}

	if c.runs(MethodOurs) {
		// Ours: gradual tile pruning with reordering, from the dense network.
		ours := dense.Clone()
		ores, err := Transform(ctx, ours, train, nil, Config{Schedule: ScheduleOurs, Epochs: c.OursEpochs, K: c.K, Train: tcfg, Seed: c.Seed, TileKeep: c.TileKeep},
			func(pg Progress) { p.step("ours", pg.String(), 1) })
		if err != nil {
			return nil, err
		}
		if p.rep.Ours, err = p.evaluate(MethodOurs, "ours: the dense network reordered so that large weights gather into tiles, tiles pruned gradually (cubic schedule, hard masks, reordering every epoch), fine-tuned", ours, c.OursEpochs,
			func(k int) ([]*crossbar.Mapping, error) { return ores.Map(ctx, k, false) }); err != nil {
			return nil, err
		}
		p.rep.Ours.LayerUnclustered = append([]float64(nil), ores.Unclustered...)
		for l, lay := range ores.Layouts {
			p.rep.Ours.LayerBlocks = append(p.rep.Ours.LayerBlocks, lay.Kept())
			p.rep.Ours.LayerBlockSize = append(p.rep.Ours.LayerBlockSize, [2]int{min(lay.K, ours.Out(l)), min(lay.K, ours.In(l))})
		}
	}

	p.rep.fillReductions()
	if len(p.sps) > 0 {
		s := 0.0
		for _, v := range p.sps {
			s += v
		}
		p.rep.TrainSamplesPerSecond = s / float64(len(p.sps))
	}
	p.rep.Seconds = time.Since(start).Seconds()
	return p.rep, nil
}

// medianBlock returns the median outputs and inputs of the blocks.
func medianBlock(blocks []cluster.Block) [2]int {
	if len(blocks) == 0 {
		return [2]int{}
	}
	o := make([]int, len(blocks))
	i := make([]int, len(blocks))
	for n, b := range blocks {
		o[n], i[n] = len(b.Outputs), len(b.Inputs)
	}
	slices.Sort(o)
	slices.Sort(i)
	return [2]int{o[len(o)/2], i[len(i)/2]}
}

// denseNetwork trains the dense network, or loads it from DenseFile.
func (p *paperRun) denseNetwork(sizes []int, tcfg nn.Config) (*nn.MLP, error) {
	c := p.cfg
	if c.DenseFile != "" {
		if m, err := nn.Load(c.DenseFile); err == nil {
			if !slices.Equal(m.Sizes, sizes) {
				return nil, fmt.Errorf("trannsformer: %s holds a %v network, want %v", c.DenseFile, m.Sizes, sizes)
			}
			p.step("dense", "loaded "+c.DenseFile, c.DenseEpochs)
			return m, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	m, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: c.Seed})
	if err != nil {
		return nil, err
	}
	if err := p.fit(m, c.DenseEpochs, tcfg, "dense", nil); err != nil {
		return nil, err
	}
	if c.DenseFile != "" {
		if err := m.Save(c.DenseFile); err != nil {
			return nil, err
		}
	}
	return m, nil
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

// fit trains m for epochs epochs, calling after (when set) with each
// epoch's loss.
func (p *paperRun) fit(m *nn.MLP, epochs int, cfg nn.Config, stage string, after func(*nn.MLP, float64) error) error {
	cfg.Epochs = epochs
	tr, err := nn.NewTrainer(m, cfg)
	if err != nil {
		return err
	}
	for e := 1; e <= epochs; e++ {
		st, err := tr.TrainEpoch(p.ctx, p.train, nil)
		if err == nil && st.Interrupted {
			err = p.ctx.Err()
		}
		if err != nil {
			return err
		}
		if math.IsNaN(st.Loss) {
			return fmt.Errorf("trannsformer: %s training diverged at epoch %d", stage, e)
		}
		if slices.Equal(m.Sizes, p.rep.Layers) {
			p.sps = append(p.sps, st.SamplesPerSecond)
		}
		if after != nil {
			if err := after(m, st.Loss); err != nil {
				return err
			}
		}
		p.step(stage, fmt.Sprintf("epoch %d/%d loss %.4f train %.2f%% sparsity %.1f%%", e, epochs, st.Loss, 100*st.Accuracy, 100*m.Sparsity()), 1)
	}
	return nil
}

// evaluate measures one network: ANN and SNN accuracy, spikes, and the
// cost at every k.
func (p *paperRun) evaluate(name, desc string, m *nn.MLP, epochs int, mapAt func(k int) ([]*crossbar.Mapping, error)) (*MethodReport, error) {
	c := p.cfg
	mr := &MethodReport{Name: name, Description: desc, Sizes: append([]int(nil), m.Sizes...), Epochs: epochs}
	acc, err := m.Evaluate(p.test)
	if err != nil {
		return nil, err
	}
	mr.ANNAccuracy = acc
	for l := 0; l < m.Layers(); l++ {
		n := m.NonZero(l)
		mr.LayerSynapses = append(mr.LayerSynapses, n)
		mr.Synapses += n
	}
	calib := p.train
	if calib.Len() > 10000 {
		calib = calib.Head(10000)
	}
	net, err := snn.Convert(m, calib, snn.ConvertConfig{Percentile: 99.9})
	if err != nil {
		return nil, fmt.Errorf("trannsformer: %s: %w", name, err)
	}
	sim, err := net.Simulate(p.ctx, p.test, snn.SimConfig{T: c.SNNTimesteps, Seed: c.Seed, Samples: c.SNNSamples})
	if err != nil {
		return nil, fmt.Errorf("trannsformer: %s: %w", name, err)
	}
	mr.SNNAccuracy = sim.Accuracy
	for l := 0; l < m.Layers(); l++ {
		mr.SpikesPerNeuron = append(mr.SpikesPerNeuron, sim.SpikesPerLayer[l]/float64(m.Sizes[l]))
	}
	for _, k := range c.Ks {
		if err := p.ctx.Err(); err != nil {
			return nil, err
		}
		maps, err := mapAt(k)
		if err != nil {
			return nil, fmt.Errorf("trannsformer: %s at k=%d: %w", name, k, err)
		}
		kc, err := costOf(maps, mr.SpikesPerNeuron, c.SNNTimesteps, c.Constants)
		if err != nil {
			return nil, fmt.Errorf("trannsformer: %s at k=%d: %w", name, k, err)
		}
		kc.K = k
		mr.ByK = append(mr.ByK, kc)
	}
	if mr.At(c.K) == nil {
		maps, err := mapAt(c.K)
		if err != nil {
			return nil, err
		}
		kc, err := costOf(maps, mr.SpikesPerNeuron, c.SNNTimesteps, c.Constants)
		if err != nil {
			return nil, err
		}
		kc.K = c.K
		mr.ByK = append(mr.ByK, kc)
	}
	p.step(name, fmt.Sprintf("%s: ANN %.2f%%, SNN %.2f%%, %d synapses", name, 100*acc, 100*sim.Accuracy, mr.Synapses), 1)
	return mr, nil
}

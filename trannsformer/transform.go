package trannsformer

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Schedule selects how Transform reshapes a network.
type Schedule int

const (
	// ScheduleReference is the TraNNsformer schedule of the authors'
	// release (docs/method.md): magnitude pruning with a rising threshold and
	// soft masks; at 0.2·Epochs every layer is clustered (quality 0.7) and
	// synapses inside block rectangles survive the threshold; leftover
	// synapses are re-clustered with falling quality bars (0.7 down to 0.3)
	// whenever the unclustered fraction settles; from 0.8·Epochs weak
	// blocks are deleted (cluster pruning); training goes on throughout.
	ScheduleReference Schedule = iota
	// ScheduleOurs is our schedule: hard masks, and gradual tile pruning.
	// At every pruning epoch each layer's rows and columns are reordered
	// (a relabelling of wires that preserves the function) so that its
	// large weights gather into K x K tiles (cluster.CoCluster on the
	// largest weights; a new order is taken only when it holds more weight
	// mass in the tiles to keep), and only the tiles of largest L1 norm are
	// kept, their number falling on a cubic schedule to TileKeep by
	// PruneUntil·Epochs; the network then fine-tunes. Every kept tile is
	// one crossbar, fully usable; nothing lies outside the kept tiles. The
	// crossbar size may differ per layer (LayerK).
	ScheduleOurs
)

func (s Schedule) String() string {
	switch s {
	case ScheduleReference:
		return "reference"
	case ScheduleOurs:
		return "ours"
	}
	return fmt.Sprintf("Schedule(%d)", int(s))
}

// Config configures Transform. The zero value is the reference schedule
// for 64 x 64 crossbars with the reference training recipe.
type Config struct {
	Schedule Schedule
	// Epochs of training; default 60 (reference) or 30 (ours).
	Epochs int
	// K is the crossbar size; default 64.
	K int
	// LayerK, when set, gives a crossbar size per weight layer (ours).
	LayerK []int
	// Train is the training recipe; its zero value is the reference recipe.
	// Its Epochs, Test and EpochEnd fields are ignored.
	Train nn.Config
	// Seed seeds the clustering (the training seed is Train.Seed).
	Seed uint64
	// Dropout, when set, gives the dropout rate of every epoch from the
	// network as the epoch starts (after that epoch's pruning) and base,
	// Train's rate with its default filled in: e.g. a rate that follows the
	// connections left (nn.ScaledDropout). Otherwise Train's rate holds
	// throughout.
	Dropout func(m *nn.MLP, base float64) float64

	// Reference schedule.
	Quality         float64 // first quality bar, default 0.7
	QualityFloor    float64 // lowest bar of a re-clustering, default 0.3
	QualityStep     float64 // step between bars, default 0.1
	ClusterAt       float64 // fraction of the epochs before clustering starts, default 0.2
	ClusterPruneAt  float64 // fraction of the epochs before cluster pruning starts, default 0.8
	PruneFactor     float64 // first cluster-pruning factor, default 0.005
	PruneFactorStep float64 // rise of the factor after each epoch whose loss fell, default 0.01
	SettleDelta     float64 // re-cluster when the unclustered fraction moved less than this, default 0.05
	// PerAxis uses the |I| ≤ K and |O| ≤ K block constraint (ours) instead of
	// the reference's |I| + |O| ≤ 2K.
	PerAxis bool

	// Our schedule.
	// TileKeep is the final fraction of tiles kept per layer (a single value
	// applies to every layer); default 0.12 for every layer but the last,
	// 0.5 for the last.
	TileKeep []float64
	// PruneUntil is the fraction of the epochs at which TileKeep is
	// reached; default 0.6.
	PruneUntil float64
	// Repartition is the number of pruning epochs between two reorderings;
	// default 1 (every pruning epoch), negative means only the first.
	Repartition int
	// Anneal, when Train sets no schedule, anneals the learning rate of
	// our schedule after the pruning epochs with a half cosine down to 5%
	// (not measured at full size yet; off by default).
	Anneal bool
}

// pruneUntil is the last pruning epoch of our schedule.
func (c Config) pruneUntil() int {
	return max(1, int(math.Round(c.PruneUntil*float64(c.Epochs))))
}

func (c Config) withDefaults(layers int) (Config, error) {
	if c.Epochs <= 0 {
		c.Epochs = 60
		if c.Schedule == ScheduleOurs {
			c.Epochs = 30
		}
	}
	if c.K <= 0 {
		c.K = 64
	}
	if c.Quality == 0 {
		c.Quality = 0.7
	}
	if c.QualityFloor == 0 {
		c.QualityFloor = 0.3
	}
	if c.QualityStep <= 0 {
		c.QualityStep = 0.1
	}
	if c.ClusterAt <= 0 {
		c.ClusterAt = 0.2
	}
	if c.ClusterPruneAt <= 0 {
		c.ClusterPruneAt = 0.8
	}
	if c.PruneFactor <= 0 {
		c.PruneFactor = 0.005
	}
	if c.PruneFactorStep <= 0 {
		c.PruneFactorStep = 0.01
	}
	if c.SettleDelta <= 0 {
		c.SettleDelta = 0.05
	}
	if c.PruneUntil <= 0 {
		c.PruneUntil = 0.6
	}
	if c.Repartition == 0 {
		c.Repartition = 1
	}
	switch {
	case c.Schedule != ScheduleReference && c.Schedule != ScheduleOurs:
		return c, fmt.Errorf("trannsformer: unknown schedule %v", c.Schedule)
	case c.Quality <= 0 || c.Quality >= 1 || c.QualityFloor <= 0 || c.QualityFloor > c.Quality:
		return c, fmt.Errorf("trannsformer: bad quality bars %v..%v", c.Quality, c.QualityFloor)
	case len(c.LayerK) != 0 && len(c.LayerK) != layers:
		return c, fmt.Errorf("trannsformer: %d crossbar sizes for %d layers", len(c.LayerK), layers)
	case len(c.TileKeep) > 1 && len(c.TileKeep) != layers:
		return c, fmt.Errorf("trannsformer: %d tile fractions for %d layers", len(c.TileKeep), layers)
	}
	for _, k := range c.LayerK {
		if k <= 0 {
			return c, fmt.Errorf("trannsformer: bad crossbar size %d", k)
		}
	}
	for _, f := range c.TileKeep {
		if f <= 0 || f > 1 || math.IsNaN(f) {
			return c, fmt.Errorf("trannsformer: bad tile fraction %v", f)
		}
	}
	return c, nil
}

// layerK returns the crossbar size of every layer.
func (c Config) layerK(layers int) []int {
	ks := make([]int, layers)
	for l := range ks {
		ks[l] = c.K
		if len(c.LayerK) == layers {
			ks[l] = c.LayerK[l]
		}
	}
	return ks
}

// tileKeep returns the final tile fraction of every layer.
func (c Config) tileKeep(layers int) []float64 {
	f := make([]float64, layers)
	for l := range f {
		switch {
		case len(c.TileKeep) == 1:
			f[l] = c.TileKeep[0]
		case len(c.TileKeep) == layers:
			f[l] = c.TileKeep[l]
		case l == layers-1:
			f[l] = 0.5
		default:
			f[l] = 0.12
		}
	}
	return f
}

// Result is the outcome of Transform.
type Result struct {
	Schedule Schedule
	// Model is the transformed network (the one given to Transform,
	// changed in place).
	Model *nn.MLP
	// K is the crossbar size of every layer.
	K []int
	// Blocks are the cluster blocks of every layer (reference schedule).
	Blocks [][]cluster.Block
	// Layouts are the tile layouts of every layer (our schedule).
	Layouts []*TileLayout
	// Unclustered is, per layer, the fraction of surviving synapses outside
	// every block or kept tile.
	Unclustered []float64
	// History holds the progress of every epoch.
	History []Progress
}

// Map maps the transformed network onto k x k crossbars (k <= 0: the
// schedule's own sizes) with the schedule's scheme: blocks and greedy
// windows for the reference (legacy: the released counter at a crossbar
// size of 4), tiles packed and compacted for ours.
func (r *Result) Map(ctx context.Context, k int, legacy bool) ([]*crossbar.Mapping, error) {
	if r.Schedule == ScheduleReference {
		if k <= 0 {
			k = r.K[0]
		}
		return MapBlocks(r.Model, r.Blocks, k, legacy)
	}
	if k <= 0 {
		if len(r.Layouts) != r.Model.Layers() {
			return nil, fmt.Errorf("trannsformer: %d tile layouts for %d layers", len(r.Layouts), r.Model.Layers())
		}
		out := make([]*crossbar.Mapping, r.Model.Layers())
		for l := range out {
			x, err := mapTileLayer(ctx, r.Model, l, r.Layouts[l], r.K[l])
			if err != nil {
				return nil, err
			}
			out[l] = x
		}
		return out, nil
	}
	return MapTiles(ctx, r.Model, r.Layouts, k)
}

// Transform reshapes the network m (in place) for crossbars with the
// schedule of cfg, training it on train, and returns the result. test, when
// not nil, is evaluated after every epoch. progress, when not nil, is called
// at the end of every epoch. ctx is checked before every batch: when it is
// cancelled Transform returns the result so far (a consistent network: the
// epoch's pruning is skipped) together with ctx's error.
func Transform(ctx context.Context, m *nn.MLP, train, test *data.Dataset, cfg Config, progress func(Progress)) (*Result, error) {
	if m == nil || train == nil {
		return nil, errors.New("trannsformer: Transform needs a network and training data")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	c, err := cfg.withDefaults(m.Layers())
	if err != nil {
		return nil, err
	}
	res := &Result{Schedule: c.Schedule, Model: m, K: c.layerK(m.Layers()), Unclustered: make([]float64, m.Layers())}
	tc := c.Train
	tc.Epochs = c.Epochs
	tc.Test = nil
	tc.EpochEnd = nil
	if c.Schedule == ScheduleOurs && tc.LRFunc == nil && tc.Schedule == nn.Constant && c.Anneal {
		// Constant while pruning, then a half cosine down to 5%.
		until := c.pruneUntil()
		tc.LRFunc = func(e int, base float64) float64 {
			if e <= until || c.Epochs <= until {
				return base
			}
			f := float64(e-until) / float64(c.Epochs-until)
			return base * (0.05 + 0.95*0.5*(1+math.Cos(math.Pi*f)))
		}
	}
	tr, err := nn.NewTrainer(m, tc)
	if err != nil {
		return nil, err
	}
	run := &runner{ctx: ctx, cfg: c, m: m, train: train, test: test, tr: tr, res: res, progress: progress, baseDropout: tr.Config().Dropout}
	if c.Schedule == ScheduleReference {
		err = run.reference()
	} else {
		err = run.ours()
	}
	return res, err
}

// runner holds the state shared by the schedules.
type runner struct {
	ctx         context.Context
	cfg         Config
	m           *nn.MLP
	train, test *data.Dataset
	tr          *nn.Trainer
	res         *Result
	progress    func(Progress)
	baseDropout float64
}

// epoch trains one epoch; stats is valid when err is nil.
func (r *runner) epoch() (nn.EpochStats, error) {
	if r.cfg.Dropout != nil {
		if err := r.tr.SetDropout(r.cfg.Dropout(r.m, r.baseDropout)); err != nil {
			return nn.EpochStats{}, fmt.Errorf("trannsformer: %w", err)
		}
	}
	st, err := r.tr.TrainEpoch(r.ctx, r.train, nil)
	if err == nil && st.Interrupted {
		err = r.ctx.Err()
	}
	if err == nil && (math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0)) {
		err = fmt.Errorf("trannsformer: training diverged at epoch %d (loss %v)", st.Epoch, st.Loss)
	}
	return st, err
}

// report records and sends the progress of epoch e.
func (r *runner) report(e int, phase string, st nn.EpochStats, crossbars int) error {
	p := Progress{Epoch: e, Epochs: r.cfg.Epochs, Phase: phase, Loss: st.Loss, Accuracy: st.Accuracy,
		TestAccuracy: math.NaN(), Sparsity: r.m.Sparsity(), Crossbars: crossbars}
	if r.test != nil {
		acc, err := r.m.Evaluate(r.test)
		if err != nil {
			return err
		}
		p.TestAccuracy = acc
	}
	syn, unc := 0, 0.0
	for l := range r.res.Unclustered {
		n := r.m.NonZero(l)
		syn += n
		unc += r.res.Unclustered[l] * float64(n)
	}
	if syn > 0 {
		p.Unclustered = unc / float64(syn)
	}
	r.res.History = append(r.res.History, p)
	if r.progress != nil {
		r.progress(p)
	}
	return nil
}

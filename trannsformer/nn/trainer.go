package nn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// Trainer trains an MLP one epoch at a time and keeps the optimizer state
// (momentum, Adam moments) between epochs, so that pruning or clustering can
// run between epochs:
//
//	tr, _ := nn.NewTrainer(m, cfg)
//	for e := 0; e < epochs; e++ {
//		st, err := tr.TrainEpoch(ctx, train, nil)
//		... prune m using st.Loss ...
//	}
//
// A Trainer is not safe for concurrent use. It allocates its buffers once;
// a training batch allocates nothing.
type Trainer struct {
	m       *MLP
	cfg     Config
	epoch   int
	history []EpochStats

	vel, vel2   [][]float32 // momentum (SGD) or Adam first/second moments
	bvel, bvel2 [][]float32
	grad        [][]float32 // Adam only
	bgrad       [][]float32
	adamStep    int

	// batch buffers, sized for cfg.BatchSize rows
	acts    [][]float32 // acts[0] the input batch, acts[l+1] layer l's output
	deltas  [][]float32 // deltas[l] the loss gradient at layer l's pre-activation
	rowLoss []float64
	rowOK   []bool
	idx     []int // sample indices of the current batch

	// current batch, read by the workers
	ds      *data.Dataset
	rows    int
	lr      float32
	dropKey uint64

	jobs chan job
	wg   sync.WaitGroup

	blocks []*blockState  // per layer: nil, or the state of a layer trained on its kept tiles
	sparse []*sparseState // per layer: nil, or the sparse products of a sparse hard mask
	links  []*blockLink   // per hidden layer: nil, or the link between two block layers

	denseOnly bool // tests: no block-sparse or sparse products
}

// NewTrainer prepares to train m with cfg.
func NewTrainer(m *MLP, cfg Config) (*Trainer, error) {
	c, err := cfg.resolved()
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	t := &Trainer{m: m, cfg: c}
	L := m.Layers()
	t.vel = make([][]float32, L)
	t.bvel = make([][]float32, L)
	if c.Optimizer == Adam {
		t.vel2 = make([][]float32, L)
		t.bvel2 = make([][]float32, L)
		t.grad = make([][]float32, L)
		t.bgrad = make([][]float32, L)
	} else {
		t.bgrad = make([][]float32, L)
	}
	for l := 0; l < L; l++ {
		n := len(m.W[l])
		t.vel[l] = make([]float32, n)
		if c.Optimizer == Adam {
			t.vel2[l] = make([]float32, n)
			t.grad[l] = make([]float32, n)
		}
		if m.B != nil {
			t.bvel[l] = make([]float32, m.Out(l))
			t.bgrad[l] = make([]float32, m.Out(l))
			if c.Optimizer == Adam {
				t.bvel2[l] = make([]float32, m.Out(l))
			}
		}
	}
	B := c.BatchSize
	t.acts = make([][]float32, L+1)
	t.deltas = make([][]float32, L)
	for l := 0; l <= L; l++ {
		t.acts[l] = make([]float32, B*m.Sizes[l])
	}
	for l := 0; l < L; l++ {
		t.deltas[l] = make([]float32, B*m.Out(l))
	}
	t.rowLoss = make([]float64, B)
	t.rowOK = make([]bool, B)
	t.idx = make([]int, B)
	return t, nil
}

// Model returns the network being trained.
func (t *Trainer) Model() *MLP { return t.m }

// Config returns the configuration with its defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

// Epoch returns the number of epochs trained so far.
func (t *Trainer) Epoch() int { return t.epoch }

// History returns the statistics of the epochs trained so far.
func (t *Trainer) History() []EpochStats { return append([]EpochStats(nil), t.history...) }

// Train trains m on ds for cfg.Epochs epochs and returns the statistics of
// every epoch. progress, when not nil, is called after every batch and at
// the end of every epoch. ctx is checked before every batch: when it is
// cancelled Train returns the statistics so far and ctx's error, and m holds
// the weights after the last complete batch.
func (m *MLP) Train(ctx context.Context, ds *data.Dataset, cfg Config, progress func(Progress)) ([]EpochStats, error) {
	t, err := NewTrainer(m, cfg)
	if err != nil {
		return nil, err
	}
	for e := 0; e < t.cfg.Epochs; e++ {
		if _, err := t.TrainEpoch(ctx, ds, progress); err != nil {
			return t.History(), err
		}
	}
	return t.History(), nil
}

// TrainEpoch trains one epoch over ds (see MLP.Train for progress and ctx).
func (t *Trainer) TrainEpoch(ctx context.Context, ds *data.Dataset, progress func(Progress)) (EpochStats, error) {
	m := t.m
	if err := m.Validate(); err != nil {
		return EpochStats{}, err
	}
	if ds.Features != m.Sizes[0] {
		return EpochStats{}, fmt.Errorf("%w: data set %s has %d features, network %d inputs", ErrShape, ds.Name, ds.Features, m.Sizes[0])
	}
	if len(ds.X) != ds.Len()*ds.Features {
		return EpochStats{}, fmt.Errorf("nn: data set %s: %d inputs for %d samples", ds.Name, len(ds.X), ds.Len())
	}
	nout := m.Sizes[len(m.Sizes)-1]
	for i, y := range ds.Y {
		if y < 0 || y >= nout {
			return EpochStats{}, fmt.Errorf("nn: data set %s: label %d of sample %d outside the %d outputs", ds.Name, y, i, nout)
		}
	}
	n := ds.Len()
	if n == 0 {
		return EpochStats{}, fmt.Errorf("nn: data set %s is empty", ds.Name)
	}
	t.epoch++
	e := t.epoch
	t.ds = ds
	defer func() { t.ds = nil }()
	lr := t.cfg.learningRate(e)
	t.lr = float32(lr)

	var perm []int
	if t.cfg.NoShuffle {
		perm = make([]int, n)
		for i := range perm {
			perm[i] = i
		}
	} else {
		perm = rand.New(rand.NewPCG(t.cfg.Seed, uint64(e))).Perm(n)
	}

	t.startWorkers()
	defer t.stopWorkers()
	t.beginBlocks()

	B := t.cfg.BatchSize
	batches := (n + B - 1) / B
	st := EpochStats{Epoch: e, LearningRate: lr, TestAccuracy: math.NaN()}
	var lossSum float64
	correct := 0
	sparsity := math.NaN()
	if progress != nil {
		sparsity = m.Sparsity()
	}
	start := time.Now()
	var err error
	for b := 0; b < batches; b++ {
		if err = ctx.Err(); err != nil {
			st.Interrupted = true
			break
		}
		lo, hi := b*B, min((b+1)*B, n)
		copy(t.idx, perm[lo:hi])
		t.rows = hi - lo
		t.dropKey = mix64(t.cfg.Seed ^ mix64(uint64(e)<<32|uint64(b)))
		l, c := t.step()
		lossSum += l
		correct += c
		st.Samples += t.rows
		if progress != nil {
			el := time.Since(start).Seconds()
			progress(Progress{
				Epoch: e, Epochs: max(t.cfg.Epochs, e), Batch: b + 1, Batches: batches,
				Loss: lossSum / float64(st.Samples), Accuracy: float64(correct) / float64(st.Samples),
				TestAccuracy: math.NaN(), SamplesPerSecond: float64(st.Samples) / el, Sparsity: sparsity,
			})
		}
	}
	t.endBlocks()
	t.stopWorkers()
	st.Seconds = time.Since(start).Seconds()
	if st.Samples > 0 {
		st.Loss = lossSum / float64(st.Samples)
		st.Accuracy = float64(correct) / float64(st.Samples)
		st.SamplesPerSecond = float64(st.Samples) / st.Seconds
	}
	if err == nil && t.cfg.EpochEnd != nil {
		st.Sparsity = m.Sparsity()
		if herr := t.cfg.EpochEnd(m, st); herr != nil {
			err = fmt.Errorf("nn: epoch-end hook: %w", herr)
		}
	}
	st.Sparsity = m.Sparsity()
	if t.cfg.Test != nil && err == nil {
		acc, terr := m.Evaluate(t.cfg.Test)
		if terr != nil {
			err = terr
		}
		st.TestAccuracy = acc
	}
	t.history = append(t.history, st)
	if progress != nil {
		progress(Progress{
			Epoch: e, Epochs: max(t.cfg.Epochs, e), Batch: (st.Samples + B - 1) / B, Batches: batches,
			Loss: st.Loss, Accuracy: st.Accuracy, TestAccuracy: st.TestAccuracy,
			SamplesPerSecond: st.SamplesPerSecond, Sparsity: st.Sparsity, EpochDone: true,
		})
	}
	return st, err
}

// step trains one batch (t.idx[:t.rows]) and returns the summed loss and the
// number of correct predictions.
func (t *Trainer) step() (float64, int) {
	m := t.m
	L := m.Layers()
	R := t.rows
	t.parallel(opGather, 0, R)
	for l := 0; l < L; l++ {
		ni, no := m.In(l), m.Out(l)
		if s := t.block(l); s != nil {
			t.blockForward(s, l, R)
		} else if sp := t.sparseLayer(l); sp != nil {
			sp.fwd.Load(m.W[l], false)
			gemm.SpmmT(R, t.acts[l], ni, sp.fwd, t.acts[l+1], no)
		} else {
			gemm.Sgemm(false, true, R, no, ni, 1, t.acts[l], ni, m.W[l], ni, 0, t.acts[l+1], no)
		}
		if l < L-1 {
			t.parallel(opHidden, l, R)
		}
	}
	t.parallel(opOutput, L-1, R)
	inv := float32(1) / float32(R)
	for l := L - 1; l >= 0; l-- {
		ni, no := m.In(l), m.Out(l)
		d := t.deltas[l]
		sp := t.sparseLayer(l)
		if sp != nil && l > 0 {
			// The input gradient with the sparse weights, before W changes.
			sp.bwd.Load(m.W[l], true)
			gemm.SpmmT(R, d, no, sp.bwd, t.deltas[l-1], ni)
		}
		switch s := t.block(l); {
		case s != nil:
			// Both products on the kept tiles only, the update fused with
			// the weight gradient.
			t.blockBackward(s, l, R, inv)
		case t.cfg.Optimizer == SGD:
			if l > 0 && sp == nil {
				// The gradient at layer l's input, into deltas[l-1], before W
				// changes.
				gemm.Sgemm(false, false, R, ni, no, 1, d, no, m.W[l], ni, 0, t.deltas[l-1], ni)
			}
			// vel = momentum*vel + dᵀ·a/R, fused into the product.
			beta := float32(t.cfg.Momentum)
			gemm.Sgemm(true, false, no, ni, R, inv, d, no, t.acts[l], ni, beta, t.vel[l], ni)
		default:
			if l > 0 && sp == nil {
				gemm.Sgemm(false, false, R, ni, no, 1, d, no, m.W[l], ni, 0, t.deltas[l-1], ni)
			}
			gemm.Sgemm(true, false, no, ni, R, inv, d, no, t.acts[l], ni, 0, t.grad[l], ni)
		}
		if m.B != nil {
			g := t.bgrad[l]
			clear(g)
			for r := 0; r < R; r++ {
				row := d[r*no : (r+1)*no]
				for j, v := range row {
					g[j] += v
				}
			}
			for j := range g {
				g[j] *= inv
			}
		}
		if l > 0 {
			t.parallel(opBackward, l-1, R)
		}
	}
	if t.cfg.Optimizer == Adam {
		t.adamStep++
	}
	for l := 0; l < L; l++ {
		if t.block(l) == nil { // block layers were updated with their gradient
			t.parallel(opUpdate, l, len(m.W[l]))
		}
		if m.B != nil {
			t.updateBias(l)
		}
	}
	var loss float64
	correct := 0
	for r := 0; r < R; r++ {
		loss += t.rowLoss[r]
		if t.rowOK[r] {
			correct++
		}
	}
	return loss, correct
}

// Element-wise operations, run in parallel over row or element ranges.
const (
	opGather      = iota // copy the batch's inputs (and input dropout)
	opHidden             // bias, ReLU and dropout of a hidden layer
	opOutput             // output activation, loss, accuracy and output delta
	opBackward           // delta of a hidden layer from the gradient at its output
	opUpdate             // weight update
	opBeginBlocks        // a block layer's weights and momentum into tile order
	opEndBlocks          // and back
)

type job struct{ op, l, lo, hi int }

func (t *Trainer) do(j job) {
	switch j.op {
	case opGather:
		t.gather(j.lo, j.hi)
	case opHidden:
		t.hidden(j.l, j.lo, j.hi)
	case opOutput:
		t.output(j.lo, j.hi)
	case opBackward:
		t.backward(j.l, j.lo, j.hi)
	case opUpdate:
		t.update(j.l, j.lo, j.hi)
	case opBeginBlocks:
		t.beginRows(j.l, j.lo, j.hi)
	case opEndBlocks:
		t.endRows(j.l, j.lo, j.hi)
	}
}

func (t *Trainer) startWorkers() {
	if t.cfg.Threads <= 1 || t.jobs != nil {
		return
	}
	t.jobs = make(chan job, t.cfg.Threads)
	for i := 0; i < t.cfg.Threads-1; i++ {
		go func(jobs <-chan job) {
			for j := range jobs {
				t.do(j)
				t.wg.Done()
			}
		}(t.jobs)
	}
}

func (t *Trainer) stopWorkers() {
	if t.jobs != nil {
		close(t.jobs)
		t.jobs = nil
	}
}

// minWork is the least number of elements worth a goroutine of their own.
const minWork = 32 << 10

// parallel runs op over [0, n) split into one range per thread; small
// ranges run on the calling goroutine.
func (t *Trainer) parallel(op, l, n int) {
	width := 1
	switch op {
	case opUpdate:
	case opGather:
		width = t.m.Sizes[0]
	default:
		width = t.m.Sizes[min(l+1, len(t.m.Sizes)-1)]
	}
	parts := t.cfg.Threads
	if t.jobs == nil || n*width < 2*minWork {
		parts = 1
	}
	if parts <= 1 {
		t.do(job{op, l, 0, n})
		return
	}
	parts = min(parts, n)
	chunk := (n + parts - 1) / parts
	if op == opUpdate {
		chunk = (chunk + 15) &^ 15
	}
	t.wg.Add(parts - 1)
	lo := chunk
	for p := 1; p < parts; p++ {
		hi := min(lo+chunk, n)
		t.jobs <- job{op, l, min(lo, n), hi}
		lo = hi
	}
	t.do(job{op, l, 0, min(chunk, n)})
	t.wg.Wait()
}

// parallelRows runs op (a block layer's work on rows of its tile order)
// over the rows of layer l, split into one range per thread with about as
// many kept elements each; small layers run on the calling goroutine.
func (t *Trainer) parallelRows(op, l int) {
	b := t.blocks[l].b
	n := b.rows
	total := b.cum[n]
	parts := t.cfg.Threads
	if t.jobs == nil || total < 2*minWork {
		parts = 1
	}
	parts = min(parts, n)
	if parts <= 1 {
		t.do(job{op, l, 0, n})
		return
	}
	// Part p ends at the first row where the kept elements before it
	// reach (p+1)/parts of the total.
	cut := func(p int) int {
		if p >= parts {
			return n
		}
		x, _ := slices.BinarySearch(b.cum, p*total/parts)
		return min(x, n)
	}
	t.wg.Add(parts - 1)
	for p := 1; p < parts; p++ {
		t.jobs <- job{op, l, cut(p), cut(p + 1)}
	}
	t.do(job{op, l, 0, cut(1)})
	t.wg.Wait()
}

// mix64 is the splitmix64 finaliser (gemm.Mix64, which also draws the
// block path's dropout factors).
func mix64(z uint64) uint64 { return gemm.Mix64(z) }

// reluDropout applies ReLU (when relu) and inverted dropout to a row in
// place: a value survives with probability 1-p (p is rounded to a multiple
// of 2^-16) and is scaled by 1/(1-p). The random bits come from key alone,
// so the result does not depend on the thread. The loop is branch-free:
// dropout decisions are random and would defeat branch prediction.
func reluDropout(row []float32, key uint64, p float64, relu bool) {
	if p <= 0 {
		if relu {
			for j, v := range row {
				row[j] = max(v, 0)
			}
		}
		return
	}
	thresh := uint64(p*65536 + 0.5)
	scale := float32(1 / (1 - p))
	lo := float32(math.Inf(-1))
	if relu {
		lo = 0
	}
	s := key
	j := 0
	for ; j+3 < len(row); j += 4 {
		s += 0x9e3779b97f4a7c15
		z := mix64(s)
		r := row[j : j+4 : j+4]
		// keep is 1 when the 16-bit draw is >= thresh, else 0.
		k0 := float32(1 - ((z&0xffff - thresh) >> 63))
		k1 := float32(1 - ((z>>16&0xffff - thresh) >> 63))
		k2 := float32(1 - ((z>>32&0xffff - thresh) >> 63))
		k3 := float32(1 - ((z>>48 - thresh) >> 63))
		r[0] = max(r[0], lo) * (k0 * scale)
		r[1] = max(r[1], lo) * (k1 * scale)
		r[2] = max(r[2], lo) * (k2 * scale)
		r[3] = max(r[3], lo) * (k3 * scale)
	}
	if j < len(row) {
		z := mix64(s + 0x9e3779b97f4a7c15)
		for ; j < len(row); j++ {
			k := float32(1 - ((z&0xffff - thresh) >> 63))
			row[j] = max(row[j], lo) * (k * scale)
			z >>= 16
		}
	}
}

func (t *Trainer) gather(lo, hi int) {
	f := t.ds.Features
	x := t.acts[0]
	s := t.block(0)
	for r := lo; r < hi; r++ {
		if s != nil && s.in != nil && t.cfg.InputDropout <= 0 {
			// Only the block products read the inputs: straight into
			// their order.
			s.b.colIdx.gather(s.in[r*f:(r+1)*f], t.ds.X[t.idx[r]*f:(t.idx[r]+1)*f], 0)
			continue
		}
		row := x[r*f : (r+1)*f]
		copy(row, t.ds.X[t.idx[r]*f:(t.idx[r]+1)*f])
		if t.cfg.InputDropout > 0 {
			reluDropout(row, mix64(t.dropKey^uint64(r)<<8), t.cfg.InputDropout, false)
		}
		if s != nil && s.in != nil {
			toTileOrder(s.in, x, r, f, s.b.colIdx)
		}
	}
}

func (t *Trainer) hidden(l, lo, hi int) {
	if k := t.link(l); k != nil {
		t.hiddenLinked(k, l, lo, hi)
		return
	}
	no := t.m.Out(l)
	a := t.acts[l+1]
	var b []float32
	if t.m.B != nil {
		b = t.m.B[l]
	}
	s := t.block(l + 1)
	sl := t.block(l)
	for r := lo; r < hi; r++ {
		row := a[r*no : (r+1)*no]
		if sl != nil && sl.out != nil {
			fromTileOrder(a, sl.out, r, no, sl.b.rowIdx)
		}
		addBias(row, b)
		reluDropout(row, mix64(t.dropKey^(uint64(r)<<8|uint64(l+1))), t.cfg.Dropout, true)
		if s != nil && s.in != nil {
			toTileOrder(s.in, a, r, no, s.b.colIdx)
		}
	}
}

func (t *Trainer) output(lo, hi int) {
	m := t.m
	L := m.Layers()
	no := m.Out(L - 1)
	a := t.acts[L]
	d := t.deltas[L-1]
	var b []float32
	if m.B != nil {
		b = m.B[L-1]
	}
	linear := m.OutputLinear
	s := t.block(L - 1)
	for r := lo; r < hi; r++ {
		row := a[r*no : (r+1)*no]
		drow := d[r*no : (r+1)*no]
		if s != nil && s.out != nil {
			fromTileOrder(a, s.out, r, no, s.b.rowIdx)
		}
		activate(row, b, linear)
		y := t.ds.Y[t.idx[r]]
		t.rowOK[r] = argmax(row) == y
		var loss float64
		if t.cfg.Loss == HalfMSE {
			for j, v := range row {
				e := v
				if j == y {
					e = v - 1
				}
				loss += 0.5 * float64(e) * float64(e)
				drow[j] = e
			}
		} else {
			mx := row[0]
			for _, v := range row {
				mx = max(mx, v)
			}
			var sum float64
			for _, v := range row {
				sum += math.Exp(float64(v - mx))
			}
			loss = math.Log(sum) - float64(row[y]-mx)
			for j, v := range row {
				p := float32(math.Exp(float64(v-mx)) / sum)
				if j == y {
					p--
				}
				drow[j] = p
			}
		}
		if !linear {
			for j, v := range row {
				if v <= 0 {
					drow[j] = 0
				}
			}
		}
		t.rowLoss[r] = loss
		if s != nil && s.dout != nil {
			toTileOrder(s.dout, d, r, no, s.b.rowIdx)
		}
	}
}

// backward turns the gradient at layer l's output (in deltas[l], written by
// the product with W[l+1]) into the gradient at its pre-activation: zero
// where the unit was off or dropped, scaled like the dropout.
func (t *Trainer) backward(l, lo, hi int) {
	if k := t.link(l); k != nil {
		t.backwardLinked(k, l, lo, hi)
		return
	}
	no := t.m.Out(l)
	a := t.acts[l+1]
	d := t.deltas[l]
	scale := float32(1)
	if t.cfg.Dropout > 0 {
		scale = float32(1 / (1 - t.cfg.Dropout))
	}
	s := t.block(l)
	s1 := t.block(l + 1)
	for r := lo; r < hi; r++ {
		if s1 != nil && s1.gin != nil {
			fromTileOrder(d, s1.gin, r, no, s1.b.colIdx)
		}
		ar, dr := a[r*no:(r+1)*no], d[r*no:(r+1)*no]
		dr = dr[:len(ar)]
		for i, x := range ar {
			// x >= 0; its bits are non-zero exactly when the unit fired.
			on := float32(min(math.Float32bits(x), 1))
			dr[i] *= on * scale
		}
		if s != nil && s.dout != nil {
			toTileOrder(s.dout, d, r, no, s.b.rowIdx)
		}
	}
}

// update applies the optimizer step to weights [lo, hi) of layer l.
// Every product is converted to float32 before it is added: the Go spec
// lets a compiler fuse x*y + z into one FMA (arm64 does; amd64 with
// GOAMD64=v3 does), which would change the bits from one build to another.
func (t *Trainer) update(l, lo, hi int) {
	w := t.m.W[l][lo:hi]
	v := t.vel[l][lo:hi]
	lr := t.lr
	wd := float32(t.cfg.WeightDecay)
	var mask []float32
	if t.m.MaskMode == MaskHard && t.m.masks != nil && t.m.masks[l] != nil {
		mask = t.m.masks[l][lo:hi]
	}
	if t.cfg.Optimizer == Adam {
		g := t.grad[l][lo:hi]
		v2 := t.vel2[l][lo:hi]
		b1, b2 := float32(t.cfg.Beta1), float32(t.cfg.Beta2)
		c1 := float32(1 - math.Pow(t.cfg.Beta1, float64(t.adamStep)))
		c2 := float32(1 - math.Pow(t.cfg.Beta2, float64(t.adamStep)))
		eps := float32(t.cfg.Epsilon)
		for i := range w {
			gi := g[i] + float32(wd*w[i])
			if mask != nil {
				gi *= mask[i]
			}
			v[i] = float32(b1*v[i]) + float32((1-b1)*gi)
			v2[i] = float32(b2*v2[i]) + float32((1-b2)*gi*gi)
			step := lr * (v[i] / c1) / (float32(math.Sqrt(float64(v2[i]/c2))) + eps)
			w[i] -= step
			if mask != nil {
				w[i] *= mask[i]
			}
		}
		return
	}
	switch {
	case mask != nil:
		for i := range w {
			vi := (v[i] + float32(wd*w[i])) * mask[i]
			v[i] = vi
			w[i] = (w[i] - float32(lr*vi)) * mask[i]
		}
	case wd != 0:
		for i := range w {
			vi := v[i] + float32(wd*w[i])
			v[i] = vi
			w[i] -= float32(lr * vi)
		}
	default:
		v = v[:len(w)]
		for i := range w {
			w[i] -= float32(lr * v[i])
		}
	}
}

func (t *Trainer) updateBias(l int) {
	b := t.m.B[l]
	g := t.bgrad[l]
	v := t.bvel[l]
	lr := t.lr
	if t.cfg.Optimizer == Adam {
		v2 := t.bvel2[l]
		b1, b2 := float32(t.cfg.Beta1), float32(t.cfg.Beta2)
		c1 := float32(1 - math.Pow(t.cfg.Beta1, float64(t.adamStep)))
		c2 := float32(1 - math.Pow(t.cfg.Beta2, float64(t.adamStep)))
		for i := range b {
			v[i] = float32(b1*v[i]) + float32((1-b1)*g[i])
			v2[i] = float32(b2*v2[i]) + float32((1-b2)*g[i]*g[i])
			b[i] -= lr * (v[i] / c1) / (float32(math.Sqrt(float64(v2[i]/c2))) + float32(t.cfg.Epsilon))
		}
		return
	}
	mu := float32(t.cfg.Momentum)
	for i := range b {
		v[i] = float32(mu*v[i]) + g[i]
		b[i] -= float32(lr * v[i])
	}
}

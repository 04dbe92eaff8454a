package snn

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// SimConfig configures Simulate. The zero value means the defaults given
// on each field.
type SimConfig struct {
	T         int     // timesteps, default 200
	Seed      uint64  // seeds the input spike trains
	MaxRate   float64 // spike probability per timestep of an input of 1, default 1
	Threshold float64 // firing threshold, default 1
	Batch     int     // samples simulated together, default 250; does not change results
	Samples   int     // samples of ds simulated, default all
	// Record, when true, records the spike trains of sample RecordSample
	// (an index into ds, below Samples) in Result.Raster. Recording
	// changes no other result.
	Record       bool
	RecordSample int
}

// Result is the outcome of a simulation.
type Result struct {
	T, Samples int
	Accuracy   float64   // after T timesteps
	AccuracyAt []float64 // AccuracyAt[t-1] is the accuracy after t timesteps
	// SpikesPerLayer[l] is the mean number of spikes per inference emitted
	// by layer l (0 the input layer) over the T timesteps.
	SpikesPerLayer []float64
	// SynapticEvents[l] is the mean number of synaptic events per inference
	// in weight layer l: spikes of its inputs times their non-zero fan-out.
	SynapticEvents []float64
	// SpikesPerNeuron[l][i] is the mean number of spikes per inference
	// emitted by neuron i of layer l (0 the input layer; L the output
	// layer). Each layer's figures sum to SpikesPerLayer[l].
	SpikesPerNeuron [][]float64
	Confusion       *nn.Confusion
	// Raster holds the spike trains of the recorded sample, nil unless
	// SimConfig.Record.
	Raster *Raster
}

func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Simulate runs the spiking network on ds for cfg.T timesteps. ctx is
// checked every timestep.
//
// The simulation is event-driven: only the inputs that spiked add their
// weights to the membrane potentials, in the blocks and order in which a
// dense product (gemm.Sgemm) of the spike matrix would sum them, so the
// results are those of the dense simulation bit for bit. Samples are
// independent: groups of cfg.Batch run on up to GOMAXPROCS goroutines, and
// the results do not depend on their number.
func (n *Network) Simulate(ctx context.Context, ds *data.Dataset, cfg SimConfig) (*Result, error) {
	if cfg.T <= 0 {
		cfg.T = 200
	}
	if cfg.MaxRate <= 0 {
		cfg.MaxRate = 1
	}
	if cfg.Threshold <= 0 {
		cfg.Threshold = 1
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 250
	}
	if ds.Features != n.Sizes[0] {
		return nil, fmt.Errorf("snn: data set %s has %d features, network %d inputs", ds.Name, ds.Features, n.Sizes[0])
	}
	N := ds.Len()
	if cfg.Samples > 0 && cfg.Samples < N {
		N = cfg.Samples
	}
	if N == 0 {
		return nil, fmt.Errorf("snn: data set %s is empty", ds.Name)
	}
	var rec *Raster
	if cfg.Record {
		if cfg.RecordSample < 0 || cfg.RecordSample >= N {
			return nil, fmt.Errorf("snn: recorded sample %d outside the %d simulated samples", cfg.RecordSample, N)
		}
		rec = newRaster(n.Sizes, cfg.RecordSample, ds.Y[cfg.RecordSample], cfg.T)
	}
	L := len(n.W)
	nout := n.Sizes[L]
	// Samples are independent: groups of at most Batch, enough of them to
	// keep every goroutine busy.
	workers := max(1, min(runtime.GOMAXPROCS(0), N))
	B := min(cfg.Batch, (N+4*workers-1)/(4*workers))
	groups := (N + B - 1) / B
	sims := make([]*simulator, workers)
	pred := make([]int, N)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range sims {
		sims[w] = n.newSimulator(ds, &cfg, B, rec, pred)
		wg.Add(1)
		go func(s *simulator) {
			defer wg.Done()
			for {
				g := int(next.Add(1)) - 1
				if g >= groups || s.err != nil {
					return
				}
				if s.err = s.run(ctx, g*B, min(B, N-g*B)); s.err != nil {
					next.Store(int64(groups)) // the others stop too
				}
			}
		}(sims[w])
	}
	wg.Wait()
	correctAt := make([]int, cfg.T)
	spikes := make([]float64, L+1)
	events := make([]float64, L)
	perNeuron := make([][]float64, L+1)
	for l := range perNeuron {
		perNeuron[l] = make([]float64, n.Sizes[l])
	}
	for _, s := range sims {
		if s.err != nil {
			return nil, s.err
		}
		for t, c := range s.correctAt {
			correctAt[t] += c
		}
		// Counts of spikes and events: whole numbers, summed exactly.
		for l := range spikes {
			spikes[l] += s.spikes[l]
		}
		for l := range events {
			events[l] += s.events[l]
		}
		for l, pn := range s.perNeuron {
			for i, v := range pn {
				perNeuron[l][i] += v
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{T: cfg.T, Samples: N, AccuracyAt: make([]float64, cfg.T),
		SpikesPerLayer: make([]float64, L+1), SynapticEvents: make([]float64, L), SpikesPerNeuron: perNeuron}
	for t, c := range correctAt {
		res.AccuracyAt[t] = float64(c) / float64(N)
	}
	res.Accuracy = res.AccuracyAt[cfg.T-1]
	for l := range spikes {
		res.SpikesPerLayer[l] = spikes[l] / float64(N)
	}
	for l := range events {
		res.SynapticEvents[l] = events[l] / float64(N)
	}
	for _, pn := range perNeuron {
		for i := range pn {
			pn[i] /= float64(N)
		}
	}
	res.Confusion = nn.NewConfusion(ds.Y[:N], pred, max(nout, ds.Classes))
	if rec != nil {
		rec.Predicted = pred[rec.Sample]
		res.Raster = rec
	}
	if math.IsNaN(res.Accuracy) {
		return nil, fmt.Errorf("snn: no result")
	}
	return res, nil
}

// simulator is one goroutine's state: a group of up to B samples at a time.
type simulator struct {
	n    *Network
	ds   *data.Dataset
	cfg  *SimConfig
	rec  *Raster
	pred []int // shared by all simulators: each writes its own samples

	v      [][]float32 // membrane potentials per layer (1..L), B rows
	lists  [][]int32   // spiking units per layer, B rows of Sizes[l] capacity
	nspk   [][]int     // number of spikes per layer and row
	acc    []float32   // one k block's sum per sample of a chunk (a slab of it)
	masks  []uint32    // per input, the samples of the chunk in which it spiked
	ev     []event
	kc     []int // per weight layer, the k block of the dense product
	counts []int

	correctAt []int
	spikes    []float64
	perNeuron [][]float64 // spikes per neuron of every layer, whole numbers
	events    []float64
	err       error
}

func (n *Network) newSimulator(ds *data.Dataset, cfg *SimConfig, B int, rec *Raster, pred []int) *simulator {
	L := len(n.W)
	s := &simulator{n: n, ds: ds, cfg: cfg, rec: rec, pred: pred,
		v: make([][]float32, L+1), lists: make([][]int32, L+1), nspk: make([][]int, L+1),
		kc: make([]int, L), counts: make([]int, B*n.Sizes[L]),
		correctAt: make([]int, cfg.T), spikes: make([]float64, L+1), events: make([]float64, L),
		perNeuron: make([][]float64, L+1)}
	widest := 0
	for l := 0; l <= L; l++ {
		s.perNeuron[l] = make([]float64, n.Sizes[l])
		s.lists[l] = make([]int32, B*n.Sizes[l])
		s.nspk[l] = make([]int, B)
		if l > 0 {
			s.v[l] = make([]float32, B*n.Sizes[l])
			widest = max(widest, n.Sizes[l])
		}
	}
	for l := 0; l < L; l++ {
		s.kc[l] = gemm.KBlock(n.Sizes[l])
	}
	s.acc = make([]float32, chunk*slab)
	s.masks = make([]uint32, slices.Max(n.Sizes))
	s.ev = make([]event, 0, slices.Max(n.Sizes))
	return s
}

// chunk is the number of samples whose timesteps advance together: the
// weight row of an input that spiked in several of them is read once.
const chunk = 16

// slab is the number of potentials of a sample updated at a time.
const slab = 256

// run simulates samples [s0, s0+b) for cfg.T timesteps.
func (s *simulator) run(ctx context.Context, s0, b int) error {
	n, cfg, ds := s.n, s.cfg, s.ds
	L := len(n.W)
	nout := n.Sizes[L]
	nin := n.Sizes[0]
	thr := float32(cfg.Threshold)
	rate := cfg.MaxRate
	for l := 1; l <= L; l++ {
		clear(s.v[l])
	}
	clear(s.counts)
	rrow := -1
	if s.rec != nil && s.rec.Sample >= s0 && s.rec.Sample < s0+b {
		rrow = s.rec.Sample - s0
	}
	for t := 0; t < cfg.T; t++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		for c0 := 0; c0 < b; c0 += chunk {
			c1 := min(c0+chunk, b)
			for r := c0; r < c1; r++ {
				// Input spikes: Bernoulli with probability rate*x, from a
				// counter-based generator keyed by sample and timestep.
				x := ds.Row(s0 + r)
				lst := s.lists[0][r*nin : (r+1)*nin]
				c := 0
				key := mix64(cfg.Seed ^ mix64(uint64(s0+r)<<20|uint64(t)))
				for j, p := range x {
					key += 0x9e3779b97f4a7c15
					u := float64(mix64(key)>>11) / (1 << 53)
					if u < float64(p)*rate {
						lst[c] = int32(j)
						c++
					}
				}
				s.nspk[0][r] = c
			}
			for l := 0; l < L; l++ {
				ni, no := n.Sizes[l], n.Sizes[l+1]
				fan := n.fanout[l]
				for r := c0; r < c1; r++ {
					in := s.lists[l][r*ni : r*ni+s.nspk[l][r]]
					pn := s.perNeuron[l]
					for _, i := range in {
						s.events[l] += float64(fan[i])
						pn[i]++
					}
					s.spikes[l] += float64(len(in))
				}
				s.integrate(l, c0, c1)
				for r := c0; r < c1; r++ {
					vrow := s.v[l+1][r*no : (r+1)*no]
					out := s.lists[l+1][r*no : (r+1)*no]
					c := 0
					if s.nspk[l][r] > 0 {
						for i, x := range vrow {
							if x >= thr {
								out[c] = int32(i)
								c++
								vrow[i] = 0
							}
						}
					}
					s.nspk[l+1][r] = c
				}
			}
			for r := c0; r < c1; r++ {
				if r == rrow {
					for l := range s.rec.Spikes {
						s.rec.recordList(l, s.lists[l][r*n.Sizes[l]:r*n.Sizes[l]+s.nspk[l][r]], t)
					}
				}
				// Output: count spikes; the class is the output with most
				// spikes, ties to the larger potential.
				cnt := s.counts[r*nout : (r+1)*nout]
				for _, j := range s.lists[L][r*nout : r*nout+s.nspk[L][r]] {
					cnt[j]++
					s.perNeuron[L][j]++
				}
				s.spikes[L] += float64(s.nspk[L][r])
				vl := s.v[L][r*nout : (r+1)*nout]
				best := 0
				for j := 1; j < nout; j++ {
					if cnt[j] > cnt[best] || (cnt[j] == cnt[best] && vl[j] > vl[best]) {
						best = j
					}
				}
				if best == ds.Y[s0+r] {
					s.correctAt[t]++
				}
				s.pred[s0+r] = best
			}
		}
	}
	return nil
}

// integrate adds to the potentials of layer l+1 of samples [c0, c1) the
// weights (rows of wt) of their spiking inputs, the way the dense product
// spikes·wt would: per k block of kc inputs, the block's sum from zero in
// input order, then added to v. A block with one spike adds its row to v
// directly, which gives the same bits (0 + w = w, and v is never -0).
// Inputs are visited in increasing order with the set of samples in which
// they spiked, and the potentials in slabs that stay in L1, so that a
// weight row shared by several samples is read once.
func (s *simulator) integrate(l, c0, c1 int) {
	n := s.n
	ni, no := n.Sizes[l], n.Sizes[l+1]
	kc := s.kc[l]
	wt := n.wt[l]
	masks := s.masks[:ni]
	for r := c0; r < c1; r++ {
		bit := uint32(1) << (r - c0)
		for _, i := range s.lists[l][r*ni : r*ni+s.nspk[l][r]] {
			masks[i] |= bit
		}
	}
	ev := s.ev[:0]
	for i, m := range masks {
		if m != 0 {
			ev = append(ev, event{int32(i), m})
			masks[i] = 0
		}
	}
	s.ev = ev
	var cnt [chunk]int
	for e0 := 0; e0 < len(ev); {
		hi := (int(ev[e0].i)/kc + 1) * kc
		e1 := e0
		cnt = [chunk]int{}
		for e1 < len(ev) && int(ev[e1].i) < hi {
			for m := ev[e1].rows; m != 0; m &= m - 1 {
				cnt[bits.TrailingZeros32(m)]++
			}
			e1++
		}
		for j0 := 0; j0 < no; j0 += slab {
			j1 := min(j0+slab, no)
			sw := j1 - j0
			for k := 0; k < c1-c0; k++ {
				if cnt[k] >= 2 {
					clear(s.acc[k*sw : (k+1)*sw])
				}
			}
			for _, e := range ev[e0:e1] {
				w := wt[int(e.i)*no+j0 : int(e.i)*no+j1]
				for m := e.rows; m != 0; m &= m - 1 {
					k := bits.TrailingZeros32(m)
					if cnt[k] == 1 {
						r := c0 + k
						gemm.AddTo(s.v[l+1][r*no+j0:r*no+j1], w)
					} else {
						gemm.AddTo(s.acc[k*sw:(k+1)*sw], w)
					}
				}
			}
			for k := 0; k < c1-c0; k++ {
				if cnt[k] >= 2 {
					r := c0 + k
					gemm.AddTo(s.v[l+1][r*no+j0:r*no+j1], s.acc[k*sw:(k+1)*sw])
				}
			}
		}
		e0 = e1
	}
}

// event is an input that spiked in some samples of a chunk (bit k: sample
// c0+k).
type event struct {
	i    int32
	rows uint32
}

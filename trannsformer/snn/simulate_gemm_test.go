package snn

import (
	"context"
	"fmt"
	"math"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// simulateGEMM is Simulate as it was before it became event-driven: every
// timestep multiplies the whole spike matrix by the weights with Sgemm. It
// is the oracle of the event-driven simulation (same bits) and the
// baseline of its benchmark.
func (n *Network) simulateGEMM(ctx context.Context, ds *data.Dataset, cfg SimConfig) (*Result, error) {
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
	B := min(cfg.Batch, N)
	spk := make([][]float32, L+1)
	v := make([][]float32, L+1)
	for l := 0; l <= L; l++ {
		spk[l] = make([]float32, B*n.Sizes[l])
		if l > 0 {
			v[l] = make([]float32, B*n.Sizes[l])
		}
	}
	counts := make([]int, B*nout)
	correctAt := make([]int, cfg.T)
	spikes := make([]float64, L+1)
	events := make([]float64, L)
	perNeuron := make([][]float64, L+1)
	for l := range perNeuron {
		perNeuron[l] = make([]float64, n.Sizes[l])
	}
	pred := make([]int, N)
	thr := float32(cfg.Threshold)
	rate := cfg.MaxRate
	nin := n.Sizes[0]
	for s := 0; s < N; s += B {
		b := min(B, N-s)
		for l := 1; l <= L; l++ {
			clear(v[l])
		}
		clear(counts)
		for t := 0; t < cfg.T; t++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			// Input spikes: Bernoulli with probability rate*x, from a
			// counter-based generator keyed by sample and timestep.
			in := spk[0]
			for r := 0; r < b; r++ {
				x := ds.Row(s + r)
				row := in[r*nin : (r+1)*nin]
				key := mix64(cfg.Seed ^ mix64(uint64(s+r)<<20|uint64(t)))
				for j, p := range x {
					key += 0x9e3779b97f4a7c15
					u := float64(mix64(key)>>11) / (1 << 53)
					if u < float64(p)*rate {
						row[j] = 1
					} else {
						row[j] = 0
					}
				}
			}
			for l := 0; l < L; l++ {
				ni, no := n.Sizes[l], n.Sizes[l+1]
				src := spk[l][:b*ni]
				fan := n.fanout[l]
				cnt := 0
				for r := 0; r < b; r++ {
					for i, x := range src[r*ni : (r+1)*ni] {
						if x != 0 {
							cnt++
							perNeuron[l][i]++
							events[l] += float64(fan[i])
						}
					}
				}
				spikes[l] += float64(cnt)
				if cnt == 0 {
					clear(spk[l+1][:b*no])
					continue
				}
				vl := v[l+1][:b*no]
				gemm.Sgemm(false, false, b, no, ni, 1, src, ni, n.wt[l], no, 1, vl, no)
				out := spk[l+1][:b*no]
				for i, x := range vl {
					if x >= thr {
						out[i] = 1
						vl[i] = 0
					} else {
						out[i] = 0
					}
				}
			}
			if rec != nil && rec.Sample >= s && rec.Sample < s+b {
				rec.record(spk, rec.Sample-s, t)
			}
			outS := spk[L][:b*nout]
			vl := v[L]
			for r := 0; r < b; r++ {
				c := counts[r*nout : (r+1)*nout]
				best := 0
				for j := range c {
					if outS[r*nout+j] != 0 {
						c[j]++
						spikes[L]++
						perNeuron[L][j]++
					}
				}
				for j := 1; j < nout; j++ {
					if c[j] > c[best] || (c[j] == c[best] && vl[r*nout+j] > vl[r*nout+best]) {
						best = j
					}
				}
				if best == ds.Y[s+r] {
					correctAt[t]++
				}
				pred[s+r] = best
			}
		}
	}
	res := &Result{T: cfg.T, Samples: N, AccuracyAt: make([]float64, cfg.T),
		SpikesPerLayer: make([]float64, L+1), SynapticEvents: make([]float64, L)}
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
	res.SpikesPerNeuron = perNeuron
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

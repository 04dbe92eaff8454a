package prune

import (
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Cleanup removes the weights of m that cannot change its output, to a
// fixed point (a function-preserving cleanup): a hidden unit with no
// non-zero input weight (and no bias) always outputs ReLU(0) = 0, so its
// output weights are zeroed; a hidden unit with no non-zero output weight
// is never read, so its input weights (and bias) are zeroed. Zeroing one
// side can empty a unit of the next or previous layer, so the passes repeat
// until nothing changes. Where a layer has a mask the removed weights are
// masked too, so that fine-tuning keeps them at zero under hard masks. It
// returns the number of weights zeroed. The outputs of m are unchanged for
// every input.
func Cleanup(m *nn.MLP) (int, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	removed := 0
	zero := func(l, idx int, mask []bool) {
		if m.W[l][idx] != 0 {
			m.W[l][idx] = 0
			removed++
		}
		if mask != nil {
			mask[idx] = false
		}
	}
	for changed := true; changed; {
		changed = false
		// Hidden layer h is the output of weight layer h-1 and the input
		// of weight layer h.
		for h := 1; h < m.Layers(); h++ {
			in, out := h-1, h
			nIn, nOut := m.In(in), m.In(out)
			wIn, wOut := m.W[in], m.W[out]
			outs := m.Out(out)
			maskIn, maskOut := m.Mask(in), m.Mask(out)
			touched := false
			for j := 0; j < nOut; j++ {
				hasIn := false
				for _, v := range wIn[j*nIn : (j+1)*nIn] {
					if v != 0 {
						hasIn = true
						break
					}
				}
				if m.HasBias() && m.B[in][j] != 0 {
					hasIn = true
				}
				hasOut := false
				for o := 0; o < outs; o++ {
					if wOut[o*nOut+j] != 0 {
						hasOut = true
						break
					}
				}
				switch {
				case !hasIn && hasOut:
					for o := 0; o < outs; o++ {
						zero(out, o*nOut+j, maskOut)
					}
					changed, touched = true, true
				case hasIn && !hasOut:
					for i := 0; i < nIn; i++ {
						zero(in, j*nIn+i, maskIn)
					}
					if m.HasBias() {
						m.B[in][j] = 0
					}
					changed, touched = true, true
				}
			}
			if touched {
				if maskIn != nil {
					if err := m.SetMask(in, maskIn); err != nil {
						return removed, err
					}
				}
				if maskOut != nil {
					if err := m.SetMask(out, maskOut); err != nil {
						return removed, err
					}
				}
			}
		}
	}
	return removed, nil
}

package gemm

import "math"

// Golden is the increment of the dropout draws' counter (2^64/φ, as
// SplitMix64's).
const Golden = 0x9e3779b97f4a7c15

// Mix64 is SplitMix64's output function of the counter z: the dropout
// draws of the trainer (nn) come from it, 16 bits at a time.
func Mix64(z uint64) uint64 {
	z += Golden
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// KeepFactors writes the dropout factors of one row: ks[j] is scale when
// the draw of element j is kept and +0 when it is dropped. The draw of
// element j is bits 16(j%4) to 16(j%4)+15 of Mix64(key + (j/4+1)·Golden),
// kept when at least thresh. scale must be positive and finite. It runs on
// the AVX-512 path 32 elements at a time (with AVX-512DQ and BW), in Go
// otherwise, with the same bits.
func KeepFactors(ks []float32, key uint64, thresh uint64, scale float32) {
	j := 0
	if len(ks) >= 32 && thresh <= math.MaxUint16 && keepSIMD() {
		j = len(ks) &^ 31
		var start [8]uint64 // the counters of the first 8 groups
		for g := range start {
			start[g] = key + uint64(g+1)*Golden
		}
		keepFactors512(&ks[0], &start, j, thresh, scale)
	}
	keepFactorsGo(ks[j:], key+uint64(j/4)*Golden, thresh, scale)
}

// keepFactorsGo is KeepFactors in Go, from counter s (groups of 4).
func keepFactorsGo(ks []float32, s uint64, thresh uint64, scale float32) {
	sb := math.Float32bits(scale) // scale > 0: 0*scale is +0, no bit set
	j := 0
	for ; j+3 < len(ks); j += 4 {
		s += Golden
		z := Mix64(s)
		r := ks[j : j+4 : j+4]
		// (field - thresh) >> 63 is 1 exactly when the draw is dropped,
		// so the mask is all ones for a kept draw: the bits of k*scale.
		r[0] = math.Float32frombits(sb & (uint32((z&0xffff-thresh)>>63) - 1))
		r[1] = math.Float32frombits(sb & (uint32((z>>16&0xffff-thresh)>>63) - 1))
		r[2] = math.Float32frombits(sb & (uint32((z>>32&0xffff-thresh)>>63) - 1))
		r[3] = math.Float32frombits(sb & (uint32((z>>48-thresh)>>63) - 1))
	}
	if j < len(ks) {
		z := Mix64(s + Golden)
		for ; j < len(ks); j++ {
			ks[j] = math.Float32frombits(sb & (uint32((z&0xffff-thresh)>>63) - 1))
			z >>= 16
		}
	}
}

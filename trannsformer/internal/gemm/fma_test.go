package gemm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactFMA32 is the oracle: a*b+c computed exactly with math/big, rounded
// once to float32 (to nearest, ties to even, subnormals included).
func exactFMA32(a, b, c float32) float32 {
	if math.IsNaN(float64(a)) || math.IsNaN(float64(b)) || math.IsNaN(float64(c)) ||
		math.IsInf(float64(a), 0) || math.IsInf(float64(b), 0) || math.IsInf(float64(c), 0) {
		return float32(float64(a)*float64(b) + float64(c))
	}
	x := new(big.Float).SetPrec(0).SetFloat64(float64(a))
	y := new(big.Float).SetPrec(0).SetFloat64(float64(b))
	z := new(big.Float).SetPrec(0).SetFloat64(float64(c))
	p := new(big.Float).SetPrec(1000).Mul(x, y)
	s := new(big.Float).SetPrec(1000).Add(p, z)
	if s.Sign() == 0 {
		// IEEE: an exact zero sum is +0 unless both terms are -0.
		return float32(float64(a)*float64(b) + float64(c))
	}
	f, _ := s.Float32()
	return f
}

// TestFMA32DoubleRounding shows that rounding the float64 multiply-add to
// float32 is not a float32 FMA, and that fma32 is.
func TestFMA32DoubleRounding(t *testing.T) {
	a := float32(math.Ldexp(1+0x1p-23, -24))
	b := float32(1 - 0x1p-23)
	c := float32(1 + 0x1p-23)
	naive := float32(math.FMA(float64(a), float64(b), float64(c)))
	want := exactFMA32(a, b, c)
	if want != c {
		t.Fatalf("oracle: %v, want %v", want, c)
	}
	if naive == want {
		t.Fatalf("float32(math.FMA) = %v: expected the double rounding to %v", naive, float32(1+0x1p-22))
	}
	if got := fma32(a, b, c); got != want {
		t.Errorf("fma32 = %x, want %x", math.Float32bits(got), math.Float32bits(want))
	}
}

// fmaCases returns operands that reach every branch of fma32: random ones,
// ones whose float64 sum lands on a float32 halfway point, cancellations,
// subnormal and overflowing results, zeros of both signs.
func fmaCases(rng *rand.Rand, n int) [][3]float32 {
	rnd := func(lo, hi int) float32 {
		return float32(math.Ldexp(rng.Float64()+0.5, lo+rng.IntN(hi-lo+1))) * float32(1-2*rng.IntN(2))
	}
	var cs [][3]float32
	for i := 0; i < n; i++ {
		var a, b, c float32
		switch i % 8 {
		case 0: // anything
			a, b, c = rnd(-40, 40), rnd(-40, 40), rnd(-80, 80)
		case 1: // a small product next to c: ties after the float64 sum
			c = rnd(-2, 2)
			e := int(math.Ilogb(float64(c)))
			a = rnd(e-24-rng.IntN(4), e-24)
			b = float32(1 + float64(rng.IntN(64)-32)*0x1p-23)
		case 2: // a*b almost -c: cancellation
			a, b = rnd(-10, 10), rnd(-10, 10)
			c = -float32(float64(a) * float64(b))
		case 3: // subnormal results
			a, b, c = rnd(-70, -60), rnd(-70, -60), rnd(-149, -126)
		case 4: // overflow
			a, b, c = rnd(60, 64), rnd(60, 64), rnd(120, 127)
		case 5: // zeros
			zs := []float32{0, float32(math.Copysign(0, -1)), 1, -1}
			a, b, c = zs[rng.IntN(4)], zs[rng.IntN(4)], zs[rng.IntN(4)]
		case 6: // constructed halfway hits: a = 2^e(1+i 2^-23), b = 1 - 2j 2^-24
			ia, jb := rng.IntN(8)+1, rng.IntN(8)+1
			c = float32(1+float64(rng.IntN(1<<20))*0x1p-23) * float32(1-2*rng.IntN(2))
			a = float32(math.Ldexp(1+float64(ia)*0x1p-23, -24-rng.IntN(2)))
			b = float32(1 - float64(2*jb)*0x1p-24)
			if rng.IntN(2) == 0 {
				a = -a
			}
		default: // small integers and 0/1, as spikes give
			a, b, c = float32(rng.IntN(5)-2), float32(rng.IntN(3)), float32(rng.IntN(9)-4)
		}
		cs = append(cs, [3]float32{a, b, c})
	}
	return cs
}

func TestFMA32(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	n := 400000
	if testing.Short() {
		n = 40000
	}
	naiveWrong := 0
	for _, x := range fmaCases(rng, n) {
		a, b, c := x[0], x[1], x[2]
		want := exactFMA32(a, b, c)
		if got := fma32(a, b, c); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma32(%x, %x, %x) = %x, want %x", math.Float32bits(a), math.Float32bits(b), math.Float32bits(c),
				math.Float32bits(got), math.Float32bits(want))
		}
		if float32(math.FMA(float64(a), float64(b), float64(c))) != want {
			naiveWrong++
		}
	}
	t.Logf("float32(math.FMA(...)) double-rounded %d of %d cases", naiveWrong, n)
	if naiveWrong == 0 {
		t.Error("the cases reach no double rounding")
	}
}

// BenchmarkFMA32 compares fma32 with the unfused and the double-rounded
// multiply-add, on a dependency chain as in the kernel.
func BenchmarkFMA32(b *testing.B) {
	x := make([]float32, 1024)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	b.Run("fma32", func(b *testing.B) {
		var s float32
		for i := 0; i < b.N; i++ {
			for j := 0; j+1 < len(x); j += 2 {
				s = fma32(x[j], x[j+1], s)
			}
		}
		sink = s
	})
	b.Run("float64", func(b *testing.B) {
		var s float32
		for i := 0; i < b.N; i++ {
			for j := 0; j+1 < len(x); j += 2 {
				s = float32(float64(x[j])*float64(x[j+1]) + float64(s))
			}
		}
		sink = s
	})
	b.Run("unfused", func(b *testing.B) {
		var s float32
		for i := 0; i < b.N; i++ {
			for j := 0; j+1 < len(x); j += 2 {
				s += float32(x[j] * x[j+1])
			}
		}
		sink = s
	})
}

var sink float32

package gemm

import "math"

// fma32 returns a*b+c rounded once to float32, as VFMADD231SS and the
// other FMA instructions compute it: the pure-Go path's multiply-add.
//
// Go has no float32 FMA, and float32(math.FMA(a, b, c)) in float64 is not
// one: the product of two float32s is exact in float64 (48 significant
// bits), but the float64 sum is rounded, and rounding it again to float32
// can land on the wrong side when the first rounding stopped exactly
// halfway between two float32s. For example a = 2⁻²⁴(1+2⁻²³),
// b = 1-2⁻²³, c = 1+2⁻²³: a*b+c = 1+2⁻²³+2⁻²⁴-2⁻⁷⁰ rounds to c in
// float32, but the float64 sum is the halfway point 1+2⁻²³+2⁻²⁴, which
// rounds (to even) to 1+2⁻²². TestFMA32DoubleRounding checks this case.
//
// So fma32 takes the float64 sum, and only when that sum lies exactly on
// a float32 halfway point (the low 29 of its 52 fraction bits are
// 1000...0) or in float32's subnormal range, where that test does not
// apply, it redoes the sum in fma32Slow. Both conditions are rare in
// practice; outside them the float64 sum and the exact one round to the
// same float32, since no float32 halfway point lies between them.
func fma32(a, b, c float32) float32 {
	s := float64(a)*float64(b) + float64(c)
	u := math.Float64bits(s)
	// 0x3810000000000000 is 2⁻¹²⁶, the smallest normal float32:
	// |s| in (0, 2⁻¹²⁶) is float32's subnormal range.
	if u&(1<<29-1) == 1<<28 || u&(1<<63-1)-1 < 0x3810000000000000-1 {
		return fma32Slow(a, b, c)
	}
	return float32(s)
}

// fma32Slow is fma32 by rounding to odd: the float64 sum s and its exact
// error e (TwoSum, exact since the product is) give the exact result's
// neighbour in float64 whose last bit is odd when s is inexact; a float64
// rounded to odd has more than two bits beyond float32's 24, so rounding it
// to float32 once more gives the correctly rounded result.
func fma32Slow(a, b, c float32) float32 {
	p := float64(a) * float64(b) // exact
	x := float64(c)
	s := p + x
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return float32(s)
	}
	bb := s - p
	e := (p - (s - bb)) + (x - bb)
	if e != 0 {
		u := math.Float64bits(s)
		if u&1 == 0 {
			// Step one ulp towards the exact value: up in magnitude when
			// e has the sign of s, down otherwise. s is not zero (a zero
			// sum of multiples of 2⁻²⁹⁸ is exact).
			if (e > 0) == (s > 0) {
				u++
			} else {
				u--
			}
			s = math.Float64frombits(u)
		}
	}
	return float32(s)
}

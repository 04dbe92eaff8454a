package data

import (
	"fmt"
	"math/rand/v2"
)

// SyntheticConfig describes a synthetic data set. The zero value means the
// defaults given on each field.
type SyntheticConfig struct {
	N       int     // samples, default 2000
	Classes int     // default 10
	Side    int     // images are Side x Side, default 8 (64 features)
	Flip    float64 // probability that a pixel of the class prototype flips, default 0.25
	Noise   float64 // amplitude of uniform intensity noise, default 0.2
	Seed    uint64  // the same seed gives the same data set
}

// Synthetic makes a seeded image-like data set: every class has a random
// binary prototype (about a third of the pixels on); each sample is its
// class prototype with a fraction Flip of the pixels flipped and on pixels
// of random intensity in [1-Noise, 1]. The classes are balanced and the
// samples in random order. A 64-64-10 MLP learns the default set to about 97% test
// accuracy in a second.
func Synthetic(cfg SyntheticConfig) *Dataset {
	if cfg.N <= 0 {
		cfg.N = 2000
	}
	if cfg.Classes <= 0 {
		cfg.Classes = 10
	}
	if cfg.Side <= 0 {
		cfg.Side = 8
	}
	if cfg.Flip <= 0 {
		cfg.Flip = 0.25
	}
	if cfg.Noise <= 0 {
		cfg.Noise = 0.2
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	feat := cfg.Side * cfg.Side
	proto := make([][]bool, cfg.Classes)
	for c := range proto {
		proto[c] = make([]bool, feat)
		for j := range proto[c] {
			proto[c][j] = r.Float64() < 1.0/3
		}
	}
	d := &Dataset{
		Name:     fmt.Sprintf("synthetic(seed %d)", cfg.Seed),
		X:        make([]float32, cfg.N*feat),
		Y:        make([]int, cfg.N),
		Features: feat,
		Classes:  cfg.Classes,
		Shape:    []int{cfg.Side, cfg.Side},
	}
	for i := range d.Y {
		d.Y[i] = i % cfg.Classes
	}
	r.Shuffle(len(d.Y), func(i, j int) { d.Y[i], d.Y[j] = d.Y[j], d.Y[i] })
	for i, y := range d.Y {
		row := d.Row(i)
		for j := range row {
			on := proto[y][j]
			if r.Float64() < cfg.Flip {
				on = !on
			}
			if on {
				row[j] = float32(1 - cfg.Noise*r.Float64())
			}
		}
	}
	return d
}

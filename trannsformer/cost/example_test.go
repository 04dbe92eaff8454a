package cost_test

import (
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

// The dense MNIST network on 64x64 crossbars under both constant sets, with
// illustrative activity: 5 input spikes per pixel and 3 per hidden neuron
// per inference, over 100 timesteps.
func ExampleNetwork() {
	var layers []*crossbar.Mapping
	for _, l := range [][2]int{{1200, 784}, {1200, 1200}, {10, 1200}} {
		m, _ := crossbar.Dense(cluster.Full(l[0], l[1]), 64)
		layers = append(layers, m)
	}
	for _, c := range []cost.Constants{cost.RESPARC(), cost.PUMA()} {
		rep, err := cost.Network(layers, []float64{5, 3, 3}, 100, c)
		if err != nil {
			fmt.Println(err)
			return
		}
		t := rep.Total
		fmt.Printf("%s: %d crossbars, area %.3f mm² (periphery %.3f), energy %.3f µJ (routing %.3f)\n",
			rep.Constants, t.Crossbars, t.Area, t.PeripheryArea, t.Energy/1e6, t.RoutingEnergy/1e6)
	}
	// Output:
	// RESPARC-like: 627 crossbars, area 5.517 mm² (periphery 3.068), energy 5.473 µJ (routing 0.239)
	// PUMA-like: 627 crossbars, area 4.140 mm² (periphery 0.759), energy 12.455 µJ (routing 0.239)
}

// The dense MNIST network on 64x64 crossbars under the three simulator
// sets, with 5 input spikes per pixel and 3 per hidden neuron, over 100
// timesteps.
func ExampleSimulators() {
	var layers []*crossbar.Mapping
	for _, l := range [][2]int{{1200, 784}, {1200, 1200}, {10, 1200}} {
		m, _ := crossbar.Dense(cluster.Full(l[0], l[1]), 64)
		layers = append(layers, m)
	}
	for _, c := range cost.Simulators() {
		rep, err := cost.Network(layers, []float64{5, 3, 3}, 100, c)
		if err != nil {
			fmt.Println(err)
			return
		}
		t := rep.Total
		fmt.Printf("%s: %d slices, %d columns per ADC: area %.3f mm², energy %.1f µJ (static %.1f)\n",
			rep.Constants, c.Slices(), max(1, c.ADCShare), t.Area, t.Energy/1e6, t.StaticEnergy/1e6)
	}
	// Output:
	// PUMA-sim: 8 slices, 128 columns per ADC: area 8.891 mm², energy 59.2 µJ (static 6.5)
	// MNSIM-2.0: 8 slices, 8 columns per ADC: area 85.284 mm², energy 279.0 µJ (static 0.0)
	// NeuroSim-1.3: 4 slices, 8 columns per ADC: area 9.447 mm², energy 80.0 µJ (static 0.0)
}

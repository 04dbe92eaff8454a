// Package cost estimates the area and energy of a network mapped onto
// memristive crossbars with a parametric model: per layer and in total,
// broken down into cell arrays, periphery (row drivers, column circuits,
// ADCs), neurons, routing, partial-sum transfers for outputs whose inputs
// span several crossbars, and leakage (Layer gives every formula).
//
// Energy per inference takes the spiking network's measured activity: the
// spikes per inference of every input of a layer (Activity.PerInput, so
// that each crossbar is charged for its own wired inputs) or the layer's
// mean, and the number of timesteps.
//
// A Constants value is one technology. Besides the per-component figures
// it has options, all off at their zero value: separate arrays for
// positive and negative weights (Signed), bit slicing of WeightBits-bit
// weights over CellBits-bit cells, ADCs shared by ADCShare columns at a
// chosen resolution (ADCBits, scaling from ADCRefBits), per-cell read
// energy (CellEnergy) and static power (ADCLeak, RowLeak over the
// inference's latency). Constant sets:
//
//   - PUMASim, MNSIM and NeuroSim follow the default configurations of
//     published simulators (the PUMA simulator, MNSIM 2.0, DNN NeuroSim
//     V1.3); each constant names the file it comes from, and the
//     remaining assumptions are listed in the doc comment of each;
//   - RESPARC and PUMA are the earlier sets derived from the figures
//     quoted in the method notes.
//
// Users can supply their own Constants, also from JSON (ReadConstants).
// Report results under several sets, and as ratios between networks
// (Report.Relative): the absolute values depend on assumptions that the
// ratios largely cancel.
package cost

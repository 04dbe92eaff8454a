// Package cost estimates the area and energy of a network mapped onto
// memristive crossbars with a parametric model: per layer and in total,
// broken down into cell arrays, periphery (row drivers and column circuits:
// ADCs or integrators), neurons, routing and partial-sum transfers for
// outputs whose inputs span several crossbars.
//
// Energy per inference takes the spiking network's measured activity: the
// mean spikes per neuron per inference at every layer's input and the
// number of timesteps. Two documented constant sets are provided, RESPARC
// and PUMA (each constant's source and derivation is in its doc comment);
// users can supply their own Constants, also from JSON (ReadConstants).
// Report results under both sets, normalised to the dense network
// (Report.Relative): the absolute values depend on assumptions that the
// ratios largely cancel.
package cost

// Package snn converts a bias-free ReLU nn.MLP into a spiking network of
// integrate-and-fire neurons and simulates it (Diehl et al. 2015,
// "Fast-classifying, high-accuracy spiking deep networks through weight and
// threshold balancing").
//
// Convert rescales the weights with data-based normalisation: layer l's
// weights are multiplied by lambda[l-1]/lambda[l], where lambda[l] is the
// largest activation of layer l on the calibration data (or a percentile of
// them, Rueckauer et al. 2017) and not less than its largest positive weight,
// as in Diehl's code, and lambda[0] = 1 for inputs in [0, 1]. Simulate
// presents each input as Poisson (Bernoulli per timestep) spike trains with
// a rate proportional to the pixel value, integrates the weighted spikes in
// neurons with threshold 1 that reset to 0 and do not leak, and classifies
// by the output with the most spikes (ties broken by membrane potential).
// It reports the accuracy after every timestep, so one run gives the
// accuracy as a function of T, and the spike counts per layer per inference
// that an energy model needs. With SimConfig.Record it also keeps the spike
// trains of one sample, every neuron of every layer, for a raster plot.
//
// The simulation is event-driven: only inputs that spiked add their
// weights, summed in the blocks and order of a dense product of the spike
// matrix, so the results are those of the dense simulation bit for bit.
// Samples run in parallel; results do not depend on GOMAXPROCS.
package snn

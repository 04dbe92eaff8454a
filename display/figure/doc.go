// Package figure draws the figures of the TraNNsformer method with
// gonum/plot: connectivity heat maps before and after permutation with
// cluster blocks and crossbar boundaries, the crossbar tiling of a layer,
// utilization histograms, grouped bars of area and energy (on a log axis
// when they span more than a factor of 20, every bar labelled with its
// value), training curves, spiking accuracy against timesteps, spike
// rasters and scatter plots coloured by group with a legend (the spectral
// embedding of a layer's graph).
//
// Every function takes plain values (gonum matrices, slices, the small
// table types of this package) and returns a *plot.Plot, ready for
// display.Plot or plot.Save. Thin adapters over the trannsformer types
// live beside them. Bad input gives an error, never a panic.
package figure

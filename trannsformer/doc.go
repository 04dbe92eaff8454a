// Package trannsformer implements TraNNsformer (Ankit, Sengupta, Roy,
// ICCAD 2017): neural-network transformation for memristive-crossbar based
// neuromorphic system design, on gonum.
//
// The sub-packages hold the pieces: data (data sets), nn (MLP training),
// prune (magnitude pruning), snn (spiking network), cluster (spectral
// clustering into crossbar-sized blocks), crossbar (mapping onto k x k
// crossbars), cost (area and energy), and this package ties them together in
// the transformation loop and the report.
//
// This package and its sub-packages import gonum only: never the kernel,
// display, plot, yaegi or zmq.
package trannsformer

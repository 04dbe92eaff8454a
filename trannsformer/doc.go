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
// # The transformation loop
//
// Transform reshapes a network for k x k crossbars while training it, with
// one of two schedules (Config.Schedule):
//
//   - ScheduleReference, the authors' schedule (docs/method.md): magnitude
//     pruning with a rising threshold, clustering at 0.2·N epochs, leftover
//     re-clustering with falling quality bars, cluster pruning from 0.8·N;
//     synapses inside block rectangles survive the threshold.
//   - ScheduleOurs: hard masks and gradual tile pruning. Each layer's rows
//     and columns are reordered (a relabelling that preserves the function)
//     so that large weights gather into k x k tiles — cluster.CoCluster on
//     the largest weights, then TileLayout.Refine, an alternating
//     reassignment that maximises the weight mass of the tiles to keep —
//     and only the tiles of largest L1 norm are kept, their number falling
//     on a cubic schedule; then the network fine-tunes. Every kept tile is
//     one crossbar. The crossbar size may differ per layer.
//
// Transform takes a context (an interrupt stops it cleanly between
// batches, returning the result so far) and a callback that receives a
// Progress after every epoch: loss, accuracy, test accuracy, sparsity,
// unclustered fraction and crossbars. Progress.Values gives the same as
// named series for a live monitor (display.Monitor.Record).
//
// # Counting crossbars
//
// MapNetwork maps a network onto k x k crossbars with any of five mappers
// (AllMappers: the dense grid, the authors' rule, compact, packed,
// optimize) and verifies the mapping (each synapse placed exactly once).
// MapDense, MapPruned, MapBlocks (the reference scheme, or the released
// counter with legacy set) and MapTiles (ours) are the single schemes;
// Result.Map picks the schedule's own. The counting is consistent: one
// crossbar size k and the same mappers for every method.
//
// # The report
//
// Paper runs the whole comparison: for every seed, the dense network for
// the whole budget, then small dense networks, magnitude pruning, the
// authors' TraNNsformer, the strongest one-shot tile pruning
// (TilePruneStrong) and ours, each over a sweep of its size knob and with
// the same training budget. It evaluates every network on a fixed
// validation split (which chooses each method's setting) and once on the
// test set, as an ANN and as a spiking network (whose spikes, counted per
// neuron by the simulation, charge each crossbar for its own input rows in
// the energy model of trannsformer/cost), maps it with every mapper at every k of a sweep and
// costs it under every cost model. The Report is a Go value, is written as
// JSON (WriteJSON; the schema is the Report struct's tags) and CSV
// (WriteCSV) and formats itself as Markdown tables (Markdown); with a save
// directory every network and mapping is written with a standalone recount
// script (RecountScript). "gotrann paper" is its command line.
//
// This package and its sub-packages import gonum only: never the kernel,
// display, plot, yaegi or zmq.
package trannsformer

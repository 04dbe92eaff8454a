// Package prune removes small weights from an nn.MLP, during or after
// training.
//
// Reference is the TraNNsformer authors' schedule: a per-layer magnitude
// threshold, raised after every epoch whose training loss fell. Gradual is
// gradual magnitude pruning (Zhu and Gupta 2017) to a target sparsity per
// layer on a cubic schedule. Both work between training epochs, through
// their Hook in nn.Config.EpochEnd or by calling them between calls to
// nn.Trainer.TrainEpoch, and both spare the synapses a Keep mask marks
// (e.g. those inside cluster blocks). Stats reports, per layer, the
// surviving synapses and the dead rows and columns.
package prune

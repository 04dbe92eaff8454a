// Package nn trains multi-layer perceptrons: by default the reference recipe
// of the TraNNsformer authors (bias-free ReLU, half-MSE, momentum SGD,
// dropout), with options for cross-entropy, Adam, schedules and masks.
//
// An MLP holds float32 weights, one out x in row-major matrix per layer
// (MLP.W), and optional per-weight masks, hard (gradients masked, no
// regrowth) or soft (weights zeroed when the mask is set, free to regrow, as
// the reference code). New makes one; MLP.Train trains it for a number of
// epochs, and a Trainer trains one epoch at a time so that pruning and
// clustering can run in between. Training checks its context before every
// batch and reports Progress after every batch; an interrupted run leaves
// the weights of the last complete batch. The same seed and GOMAXPROCS give
// the same weights bit for bit. All matrix products go through the float32
// GEMM of trannsformer/internal/gemm; a training batch allocates nothing.
//
// The zero Config is the reference recipe: half-MSE on one-hot targets,
// SGD with learning rate 0.5 and momentum 0.5, dropout 0.5 on hidden
// layers, batch 400, 15 epochs; New's default is bias-free ReLU everywhere
// (the output too) with weights uniform in (-0.01, 0.01). Inputs are
// expected in [0, 1] (the data package scales them).
//
// Sparse networks train faster. A hard mask made of whole k x k tiles
// (SetTileMask; trannsformer.ApplyTiles sets one) trains on the kept tiles
// only: forward pass, input gradient and weight gradient are block-sparse
// products on the kept tiles alone, and the update is fused with the
// weight gradient (an epoch at 12% of the tiles takes about a quarter of
// the dense epoch's CPU time here: BenchmarkEpochTiles). A hard mask that keeps few weights
// without tiles uses sparse products for the forward pass and the input
// gradient. These paths agree with the dense products to float32
// rounding (sums in another order) and give the same bits for any number
// of threads; the dense network's numerics are those of the dense path.
//
// Weights and Confusion return gonum matrices (float64 copies) for the
// clustering and mapping code; SetMasks and SetMasksDense set masks from
// [][]bool or matrices. Save and Load use a documented, versioned file
// format with a checksum (see format.go).
package nn

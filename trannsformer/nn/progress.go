package nn

// Progress is reported by Train after every batch (EpochDone false) and at
// the end of every epoch (EpochDone true).
type Progress struct {
	Epoch, Epochs    int     // 1-based epoch, total epochs
	Batch, Batches   int     // 1-based batch within the epoch, batches per epoch
	Loss             float64 // mean training loss so far in this epoch
	Accuracy         float64 // training accuracy so far in this epoch, 0..1
	TestAccuracy     float64 // test accuracy at the end of the epoch, NaN if not evaluated
	SamplesPerSecond float64 // training throughput so far in this epoch
	Sparsity         float64 // fraction of weights that are zero, 0..1
	EpochDone        bool
}

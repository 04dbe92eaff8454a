package nn

import (
	"fmt"
	"math"
	"runtime"

	"github.com/trannsformer/gotrann/trannsformer/data"
)

// Loss is a training loss.
type Loss int

const (
	// HalfMSE is half the squared error between the output activations and
	// one-hot targets, summed over outputs and averaged over the batch (the
	// reference recipe).
	HalfMSE Loss = iota
	// CrossEntropy is the softmax cross-entropy of the output activations.
	CrossEntropy
)

func (l Loss) String() string {
	switch l {
	case HalfMSE:
		return "half-MSE"
	case CrossEntropy:
		return "cross-entropy"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// Optimizer is a weight-update rule.
type Optimizer int

const (
	// SGD is stochastic gradient descent with (heavy-ball) momentum:
	// v = momentum*v + g; w -= lr*v (as PyTorch's SGD).
	SGD Optimizer = iota
	// Adam is Kingma and Ba's Adam.
	Adam
)

func (o Optimizer) String() string {
	switch o {
	case SGD:
		return "SGD"
	case Adam:
		return "Adam"
	}
	return fmt.Sprintf("Optimizer(%d)", int(o))
}

// Schedule is a learning-rate schedule over epochs.
type Schedule int

const (
	// Constant keeps the learning rate.
	Constant Schedule = iota
	// Step multiplies the learning rate by StepGamma every StepEvery epochs.
	Step
	// Cosine anneals the learning rate to 0 over Epochs with a half cosine.
	Cosine
)

// Config configures training. The zero value means the reference recipe:
// half-MSE, momentum SGD (lr 0.5, momentum 0.5), dropout 0.5 on hidden
// layers, batch 400, 15 epochs.
type Config struct {
	Epochs       int     // default 15
	BatchSize    int     // default 400
	LearningRate float64 // default 0.5 (SGD, half-MSE), 0.1 (SGD, cross-entropy), 0.001 (Adam)
	Momentum     float64 // default 0.5; negative means none
	Dropout      float64 // on hidden layers, default 0.5; negative means none
	InputDropout float64 // on the inputs, default none
	WeightDecay  float64 // L2 coefficient added to the gradient, default none
	Loss         Loss
	Optimizer    Optimizer
	Beta1, Beta2 float64 // Adam, default 0.9 and 0.999
	Epsilon      float64 // Adam, default 1e-8

	Schedule  Schedule
	StepEvery int     // Step schedule: epochs between decays, default 10
	StepGamma float64 // Step schedule: factor, default 0.1
	// LRFunc, when set, overrides Schedule: the learning rate of epoch
	// (1-based) given the base rate.
	LRFunc func(epoch int, base float64) float64

	// Seed seeds shuffling and dropout; the same seed, data and GOMAXPROCS
	// give the same weights bit for bit.
	Seed uint64
	// NoShuffle keeps the data in order.
	NoShuffle bool
	// Test, when set, is evaluated at the end of every epoch.
	Test *data.Dataset
	// EpochEnd, when set, is called at the end of every epoch, after the
	// statistics are computed and before the test set is evaluated; it may
	// change the weights and masks (e.g. pruning). An error stops training.
	EpochEnd func(m *MLP, s EpochStats) error
	// Threads for the element-wise work (activations, deltas, updates);
	// default GOMAXPROCS. It does not change the results.
	Threads int
}

// resolved returns the configuration with defaults filled in.
func (c Config) resolved() (Config, error) {
	if c.Epochs <= 0 {
		c.Epochs = 15
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 400
	}
	if c.LearningRate == 0 {
		switch {
		case c.Optimizer == Adam:
			c.LearningRate = 0.001
		case c.Loss == CrossEntropy:
			c.LearningRate = 0.1
		default:
			c.LearningRate = 0.5
		}
	}
	if c.Momentum == 0 {
		c.Momentum = 0.5
	} else if c.Momentum < 0 {
		c.Momentum = 0
	}
	if c.Dropout == 0 {
		c.Dropout = 0.5
	} else if c.Dropout < 0 {
		c.Dropout = 0
	}
	if c.InputDropout < 0 {
		c.InputDropout = 0
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Epsilon == 0 {
		c.Epsilon = 1e-8
	}
	if c.StepEvery <= 0 {
		c.StepEvery = 10
	}
	if c.StepGamma == 0 {
		c.StepGamma = 0.1
	}
	if c.Threads <= 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	switch {
	case c.LearningRate < 0 || math.IsNaN(c.LearningRate) || math.IsInf(c.LearningRate, 0):
		return c, fmt.Errorf("nn: bad learning rate %v", c.LearningRate)
	case c.Momentum >= 1:
		return c, fmt.Errorf("nn: bad momentum %v", c.Momentum)
	case c.Dropout >= 1 || c.InputDropout >= 1:
		return c, fmt.Errorf("nn: bad dropout %v / input dropout %v", c.Dropout, c.InputDropout)
	case c.Loss != HalfMSE && c.Loss != CrossEntropy:
		return c, fmt.Errorf("nn: unknown loss %v", c.Loss)
	case c.Optimizer != SGD && c.Optimizer != Adam:
		return c, fmt.Errorf("nn: unknown optimizer %v", c.Optimizer)
	}
	return c, nil
}

// learningRate returns the rate for epoch e (1-based).
func (c *Config) learningRate(e int) float64 {
	if c.LRFunc != nil {
		return c.LRFunc(e, c.LearningRate)
	}
	switch c.Schedule {
	case Step:
		return c.LearningRate * math.Pow(c.StepGamma, float64((e-1)/c.StepEvery))
	case Cosine:
		return c.LearningRate * 0.5 * (1 + math.Cos(math.Pi*float64(e-1)/float64(c.Epochs)))
	}
	return c.LearningRate
}

// EpochStats summarises one training epoch.
type EpochStats struct {
	Epoch            int     // 1-based, counted over the trainer's life
	Loss             float64 // mean training loss
	Accuracy         float64 // training accuracy, 0..1 (with dropout active)
	TestAccuracy     float64 // NaN when no test set
	LearningRate     float64
	Samples          int // samples trained (fewer when interrupted)
	Seconds          float64
	SamplesPerSecond float64
	Sparsity         float64 // fraction of zero weights at the end of the epoch
	Interrupted      bool    // the context was cancelled during the epoch
}

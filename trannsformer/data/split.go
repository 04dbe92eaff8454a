package data

import "fmt"

// DefaultValidation is the size of the fixed validation split that
// ValidationSplit takes from the end of a training set (the last 5,000
// MNIST or Fashion-MNIST training images).
const DefaultValidation = 5000

// ValidationSplit splits a training set into the samples to fit on and a
// fixed validation set: the last n samples of train, in their stored
// order (no shuffling, so the split is the same on every run and in every
// tool that reads the same files). Both are copies. n must leave at least
// one training sample.
func ValidationSplit(train *Dataset, n int) (fit, val *Dataset, err error) {
	if train == nil {
		return nil, nil, fmt.Errorf("data: validation split of no data set")
	}
	if n <= 0 || n >= train.Len() {
		return nil, nil, fmt.Errorf("data: %s: validation split of %d from %d samples", train.Name, n, train.Len())
	}
	cut := train.Len() - n
	fit = train.Head(cut)
	val = train.derive(train.Name+" (validation)", n)
	copy(val.X, train.X[cut*train.Features:])
	copy(val.Y, train.Y[cut:])
	return fit, val, nil
}

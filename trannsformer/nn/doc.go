// Package nn trains multi-layer perceptrons: by default the reference recipe
// of the TraNNsformer authors (bias-free ReLU, half-MSE, momentum SGD,
// dropout), with options for cross-entropy, Adam, schedules and masks.
package nn

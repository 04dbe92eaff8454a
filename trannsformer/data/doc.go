// Package data loads and makes the data sets the MLPs train on.
//
// A Dataset holds N samples of Features float32 inputs, row-major, usually
// scaled to [0, 1], and N integer labels in [0, Classes). Loaders read
// MNIST and Fashion-MNIST (IDX files, gzipped or raw), CIFAR-10 (the binary
// batches, grayscale or RGB), SVHN (the cropped-digit MATLAB v5 .mat files)
// and NumPy .npy/.npz arrays. Every loader checks magic numbers and sizes: a
// truncated or corrupt file is an error that names the file. Sizes are
// checked, without overflow, against the bytes that can exist (the file's
// own, or what its compressed data can expand to) before anything is
// allocated, and compressed data are read no further than their headers
// declare, so a hostile file costs an error, not the machine's memory.
//
// MNIST and Fashion-MNIST live in a per-user cache (see CacheDir). MNIST and
// FashionMNIST called with an empty directory find the cached copy and
// place it there first when it is missing (Fetch), verifying the official
// checksums.
//
// Synthetic makes small seeded data sets that train in seconds, for tests
// and teaching.
package data

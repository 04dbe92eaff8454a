package data

import (
	"fmt"
	"os"
	"path/filepath"
)

// CIFAR10ClassNames returns the names of the CIFAR-10 classes.
func CIFAR10ClassNames() []string {
	return []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}
}

const cifarRecord = 1 + 3*1024

// LoadCIFAR10Batch reads one CIFAR-10 binary batch file (records of one
// label byte and 3072 pixel bytes, red, green and blue planes of 32x32).
// With gray true each sample is 1024 luminance values (0.2989 R + 0.5870 G
// + 0.1140 B, as MATLAB's rgb2gray), as the TraNNsformer paper uses;
// otherwise 3072 values, channel-planar (shape [3 32 32]). Values are in
// [0, 1].
func LoadCIFAR10Batch(path string, gray bool) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return parseCIFAR10(path, b, gray)
}

func parseCIFAR10(name string, b []byte, gray bool) (*Dataset, error) {
	if len(b) == 0 || len(b)%cifarRecord != 0 {
		return nil, fmt.Errorf("data: %s: %d bytes is not a whole number of %d-byte CIFAR-10 records (truncated or not a CIFAR-10 binary batch)", name, len(b), cifarRecord)
	}
	n := len(b) / cifarRecord
	feat := 3072
	shape := []int{3, 32, 32}
	if gray {
		feat = 1024
		shape = []int{32, 32}
	}
	d := &Dataset{
		Name:       name,
		X:          make([]float32, n*feat),
		Y:          make([]int, n),
		Features:   feat,
		Classes:    10,
		Shape:      shape,
		ClassNames: CIFAR10ClassNames(),
	}
	for i := 0; i < n; i++ {
		rec := b[i*cifarRecord : (i+1)*cifarRecord]
		if rec[0] > 9 {
			return nil, fmt.Errorf("data: %s: record %d has label %d, want 0..9 (corrupt file)", name, i, rec[0])
		}
		d.Y[i] = int(rec[0])
		px := rec[1:]
		row := d.Row(i)
		if gray {
			grayPlanes(row, px[:1024], px[1024:2048], px[2048:])
		} else {
			scalePixels(row, px)
		}
	}
	return d, nil
}

// grayPlanes converts planar 8-bit RGB to luminance in [0, 1].
func grayPlanes(dst []float32, r, g, b []byte) {
	for j := range dst {
		dst[j] = (0.2989*float32(r[j]) + 0.5870*float32(g[j]) + 0.1140*float32(b[j])) / 255
	}
}

// LoadCIFAR10 reads the CIFAR-10 binary distribution from dir (the
// directory cifar-10-batches-bin holding data_batch_1.bin ...
// data_batch_5.bin and test_batch.bin). See LoadCIFAR10Batch for gray.
func LoadCIFAR10(dir string, gray bool) (train, test *Dataset, err error) {
	for i := 1; i <= 5; i++ {
		b, err := LoadCIFAR10Batch(filepath.Join(dir, fmt.Sprintf("data_batch_%d.bin", i)), gray)
		if err != nil {
			return nil, nil, err
		}
		if train == nil {
			train = b
		} else if train, err = Concat(train, b); err != nil {
			return nil, nil, err
		}
	}
	test, err = LoadCIFAR10Batch(filepath.Join(dir, "test_batch.bin"), gray)
	if err != nil {
		return nil, nil, err
	}
	train.Name, test.Name = "cifar10-train", "cifar10-test"
	return train, test, nil
}

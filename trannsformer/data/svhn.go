package data

import (
	"fmt"
	"path/filepath"
)

// LoadSVHN reads an SVHN cropped-digits file (train_32x32.mat,
// test_32x32.mat or extra_32x32.mat): X is a 32x32x3xN uint8 array and y an
// N-element label vector in 1..10, where 10 stands for the digit 0. Labels
// become 0..9. With gray true each sample is 1024 luminance values (as the
// TraNNsformer paper uses), otherwise 3072 values, channel-planar ([3 32 32]),
// rows of pixels in image order. Values are in [0, 1].
func LoadSVHN(path string, gray bool) (*Dataset, error) {
	vars, err := ReadMat(path)
	if err != nil {
		return nil, err
	}
	return svhnDataset(path, vars, gray)
}

// svhnDataset makes the data set of an SVHN file's variables.
func svhnDataset(path string, vars map[string]*MatVar, gray bool) (*Dataset, error) {
	x, y := vars["X"], vars["y"]
	if x == nil || y == nil {
		return nil, fmt.Errorf("data: %s: no X and y variables (not an SVHN cropped-digits file)", path)
	}
	if len(x.Dims) != 4 || x.Dims[0] != 32 || x.Dims[1] != 32 || x.Dims[2] != 3 {
		return nil, fmt.Errorf("data: %s: X has dimensions %v, want 32x32x3xN", path, x.Dims)
	}
	n := x.Dims[3]
	if y.Len() != n {
		return nil, fmt.Errorf("data: %s: X has %d images but y has %d labels", path, n, y.Len())
	}
	feat := 3072
	shape := []int{3, 32, 32}
	if gray {
		feat = 1024
		shape = []int{32, 32}
	}
	d := &Dataset{
		Name:     path,
		X:        make([]float32, n*feat),
		Y:        make([]int, n),
		Features: feat,
		Classes:  10,
		Shape:    shape,
	}
	var planes [3][1024]byte
	for i := 0; i < n; i++ {
		lab := y.At(i)
		if lab != float64(int(lab)) || lab < 0 || lab > 10 {
			return nil, fmt.Errorf("data: %s: label %v of sample %d is not in 1..10", path, lab, i)
		}
		d.Y[i] = int(lab) % 10
		// MATLAB is column-major: element (r, c, ch, i) is at
		// r + 32*c + 1024*ch + 3072*i.
		for ch := 0; ch < 3; ch++ {
			off := 3072*i + 1024*ch
			for c := 0; c < 32; c++ {
				for r := 0; r < 32; r++ {
					var v byte
					if x.Raw != nil {
						v = x.Raw[off+r+32*c]
					} else {
						f := x.Data[off+r+32*c]
						if f < 0 || f > 255 {
							return nil, fmt.Errorf("data: %s: pixel value %v outside 0..255", path, f)
						}
						v = byte(f)
					}
					planes[ch][32*r+c] = v
				}
			}
		}
		row := d.Row(i)
		if gray {
			grayPlanes(row, planes[0][:], planes[1][:], planes[2][:])
		} else {
			for ch := 0; ch < 3; ch++ {
				scalePixels(row[1024*ch:1024*(ch+1)], planes[ch][:])
			}
		}
	}
	return d, nil
}

// LoadSVHNDir reads train_32x32.mat and test_32x32.mat from dir.
func LoadSVHNDir(dir string, gray bool) (train, test *Dataset, err error) {
	train, err = LoadSVHN(filepath.Join(dir, "train_32x32.mat"), gray)
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadSVHN(filepath.Join(dir, "test_32x32.mat"), gray)
	if err != nil {
		return nil, nil, err
	}
	train.Name, test.Name = "svhn-train", "svhn-test"
	return train, test, nil
}

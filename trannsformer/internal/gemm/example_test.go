package gemm_test

import (
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// A layer's forward pass Y = X·Wᵀ: X is a batch of 2 inputs of 3 features,
// W holds 2 neurons of 3 weights each, row by row.
func ExampleSgemm() {
	x := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	w := []float32{
		1, 0, -1,
		0.5, 0.5, 0.5,
	}
	y := make([]float32, 2*2)
	gemm.Sgemm(false, true, 2, 2, 3, 1, x, 3, w, 3, 0, y, 2)
	fmt.Println(y[0:2])
	fmt.Println(y[2:4])
	// Output:
	// [-2 3]
	// [-2 7.5]
}

package data_test

import (
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/data"
)

func ExampleSynthetic() {
	d := data.Synthetic(data.SyntheticConfig{N: 1000, Seed: 1})
	train, test := d.Split(0.8, 1)
	fmt.Println(d)
	fmt.Println(train.Len(), test.Len(), train.ClassCounts()[:3])
	// Output:
	// synthetic(seed 1): 1000 samples, 64 features, 10 classes
	// 800 200 [81 75 84]
}

func ExampleOneHot() {
	m := data.OneHot([]int{2, 0}, 3)
	fmt.Println(m.RawRowView(0), m.RawRowView(1))
	// Output:
	// [0 0 1] [1 0 0]
}

func ExampleDataset_Subset() {
	d := data.Synthetic(data.SyntheticConfig{N: 100, Seed: 7})
	s := d.Subset([]int{5, 3})
	fmt.Println(s.Len(), s.Y[0] == d.Y[5], s.Y[1] == d.Y[3])
	// Output:
	// 2 true true
}

package notebooks_test

import (
	"fmt"

	"github.com/trannsformer/gotrann/notebooks"
)

func ExampleInjectParameters() {
	nb, err := notebooks.Parse([]byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
	 {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [], "execution_count": null,
	  "source": "var (\n\tepochs  = 10\n\tlr      = 0.1\n\tks      = []int{8}\n\tdataset = \"mnist\"\n\tlimit   = time.Minute\n)"}]}`), "example.ipynb")
	if err != nil {
		fmt.Println(err)
		return
	}
	var params []notebooks.Parameter
	for _, s := range []string{"epochs=3", "lr=1e-3", "ks=[16, 32]", "dataset=fashion-mnist", "limit=90s"} {
		p, err := notebooks.ParseParameter(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		params = append(params, p)
	}
	if err := notebooks.InjectParameters(nb, params); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(nb.Cells[1].Tags(), nb.Cells[1].ID)
	fmt.Println(nb.Cells[1].Source)
	// Output:
	// [injected-parameters] injected-parameters
	// // Parameters
	// epochs = 3
	// lr = 0.001
	// ks = []int{16, 32}
	// dataset = "fashion-mnist"
	// limit = 90 * time.Second
}

package notebooks_test

import (
	"context"
	"fmt"
	"github.com/trannsformer/gotrann/kernel/engine"
	"strings"

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

// shouter is a stand-in for the Go session: it prints each cell's code in
// capitals and shows its length.
type shouter struct{}

func (shouter) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	out.Stream("stdout", strings.ToUpper(req.Code)+"\n")
	v := engine.Bundle{Data: map[string]any{"text/plain": fmt.Sprint(len(req.Code))}}
	return engine.Result{Value: &v}
}

func ExampleRun() {
	nb, err := notebooks.Parse([]byte(`{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
	 {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
	 {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "hello"}]}`), "example.ipynb")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := notebooks.Run(context.Background(), nb, notebooks.RunOptions{Session: shouter{}}); err != nil {
		fmt.Println(err)
		return
	}
	c := nb.Cells[1]
	fmt.Println(nb.Format, nb.FormatMinor, c.ID, *c.ExecutionCount)
	for _, o := range c.Outputs {
		switch o.Type {
		case notebooks.Stream:
			fmt.Printf("%s %s %q\n", o.Type, o.Name, o.Text)
		case notebooks.ExecuteResult:
			fmt.Printf("%s %d %q\n", o.Type, *o.ExecutionCount, o.Data["text/plain"])
		}
	}
	// Output:
	// 4 5 622b39b1 1
	// stream stdout "HELLO\n"
	// execute_result 1 "5"
}

package runner_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/notebooks"
	"github.com/trannsformer/gotrann/notebooks/runner"
)

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
	if err := runner.Run(context.Background(), nb, runner.Options{Session: shouter{}}); err != nil {
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

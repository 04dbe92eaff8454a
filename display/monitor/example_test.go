package monitor_test

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/display/monitor"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// kindSink prints only the kind of each output, for examples whose values
// depend on timing.
type kindSink struct{}

func (kindSink) Display(b display.Bundle, id string) { fmt.Println("display", id, mimes(b)) }
func (kindSink) Update(b display.Bundle, id string)  { fmt.Println("update", id, mimes(b)) }
func (kindSink) Clear(wait bool)                     {}

func mimes(b display.Bundle) []string {
	var ks []string
	for k := range b.Data {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func ExampleTraining() {
	train := data.Synthetic(data.SyntheticConfig{N: 400, Seed: 1})
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 16, 10}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A stopped clock: the bar shows only its first, complete and final states.
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := display.NewWithOptions(kindSink{}, display.Options{Seed: 1, Now: func() time.Time { return t0 }})
	// In a notebook: mon := display.NewMonitor("mlp").
	mon := d.NewMonitor("mlp")
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: 2, BatchSize: 100}, monitor.Training(mon)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// display gotrann-8707a01d-1 [text/html text/plain]
	// display gotrann-8707a01d-2 [image/png text/plain]
	// update gotrann-8707a01d-1 [text/html text/plain]
	// update gotrann-8707a01d-2 [image/png text/plain]
	// update gotrann-8707a01d-1 [text/html text/plain]
}

package symbols_test

import (
	"fmt"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/trannsformer/gotrann/kernel/symbols"
)

// A session's interpreter uses the standard library tables, then these.
func Example() {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		fmt.Println(err)
	}
	if err := i.Use(symbols.Symbols); err != nil {
		fmt.Println(err)
	}
	if _, err := i.Eval(`import "gonum.org/v1/gonum/floats"`); err != nil {
		fmt.Println(err)
	}
	v, err := i.Eval(`floats.Dot([]float64{1, 2, 3}, []float64{4, 5, 6})`)
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(v)
	// Output: 32
}

package nb_test

import (
	"fmt"

	"github.com/trannsformer/gotrann/kernel/nb"
)

func ExampleContext() {
	ctx := nb.Context()
	fmt.Println(ctx.Err())
	// Output: <nil>
}

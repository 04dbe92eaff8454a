package session_test

import (
	"context"
	"fmt"
	"github.com/trannsformer/gotrann/kernel/engine"

	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
)

// printOutput is an Output that prints streams.
type printOutput struct{}

func (printOutput) Display(b engine.Bundle, id string) {
	fmt.Println("display:", b.Data["text/plain"])
}
func (printOutput) Update(b engine.Bundle, id string) {}
func (printOutput) Clear(wait bool)                   {}
func (printOutput) Stream(name, text string)          { fmt.Print(name, ": ", text) }
func (printOutput) Input(prompt string, password bool) (string, error) {
	return "", fmt.Errorf("no input")
}

func Example() {
	s, err := session.New(session.Options{Packages: symbols.Symbols, Docs: godoc.Docs{}})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	for _, code := range []string{
		"func f() int { return 1 }\nfunc g() int { return f() * 10 }",
		"fmt.Println(\"g() =\", g())",
		"func f() int { return 4 }", // g now calls the new f
		"g()",
	} {
		res := s.Execute(context.Background(), session.Request{Code: code, StoreHistory: true}, printOutput{})
		if res.Err != nil {
			fmt.Println(res.Err)
		}
		if res.Value != nil {
			fmt.Println("Out:", res.Value.Data["text/plain"])
		}
	}
	// Output:
	// stdout: g() = 10
	// Out: 40
}

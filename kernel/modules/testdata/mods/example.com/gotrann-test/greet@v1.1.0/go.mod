module example.com/gotrann-test/greet

go 1.21

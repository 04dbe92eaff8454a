module example.com/gotrann-test/maxonly

go 1.21

module example.com/gotrann-test/newgonum

go 1.21

require gonum.org/v1/gonum v0.99.0

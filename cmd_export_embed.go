package main

import _ "embed"

// gotrann's own go.mod and go.sum, for exported programs when the module's
// files are not at hand (a release whose module cache copy is gone).
var (
	//go:embed go.mod
	ownGoMod []byte
	//go:embed go.sum
	ownGoSum []byte
)

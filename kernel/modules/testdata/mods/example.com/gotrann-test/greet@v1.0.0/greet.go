// Package greet is a test module of gotrann's module support, served by a
// local GOPROXY in tests.
package greet

// Version is the module version this package comes from.
const Version = "v1.0.0"

// Hello greets name.
func Hello(name string) string { return "hello, " + name + " from greet " + Version }

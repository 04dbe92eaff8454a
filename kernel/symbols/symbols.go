package symbols

import "reflect"

//go:generate go run gen.go

// Symbols maps "importpath/pkgname" to the exported symbols of that package,
// in the form interp.Interpreter.Use expects. It is filled by the generated
// files of this package at init and must be treated as read-only.
var Symbols = map[string]map[string]reflect.Value{}

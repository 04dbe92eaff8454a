// Package workermain is the body of the interpreter worker: the hidden
// "gotrann worker" command, and the main of every worker binary that
// package kernel/modules generates with more packages compiled in.
//
// Main serves the kernel with a Go session preloaded with the tables of
// package kernel/symbols and the extra ones of Config.Packages. When a cell
// imports a package that no table has, the session asks this package for a
// worker that has it (kernel/modules builds or finds it), and the kernel
// (package kernel/worker) switches to that binary and runs the cell again.
//
//	gotrann worker                  serve the kernel on descriptors 3 and 4
//	gotrann worker extract PKG...   write yaegi symbol tables of PKG into
//	                                the current directory (package main);
//	                                run by kernel/modules in a build directory
package workermain

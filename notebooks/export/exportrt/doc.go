// Package exportrt is the runtime of programs written by gotrann export: a
// Display whose outputs become files, and the magics of the notebook
// session as functions (Shell, WriteFile, Env, Cd, Time).
//
// An exported program keeps the notebook's streams apart: standard output
// carries exactly what the cells print (and what the magics print, as in
// the notebook), while every display goes to a file in the output
// directory, named after its cell (cell03-1.png, cell07-2.html), with its
// text on standard error. Text-only displays (a number, a string) are only
// written to standard error.
package exportrt

// Package newgonum is a test module that requires a gonum version newer
// than the kernel's (a fake v0.99.0 of the test proxy): importing it is a
// version conflict.
package newgonum

// Answer is 42.
const Answer = 42

// Package gonum is a fake gonum v0.99.0 for the version-conflict test.
package gonum

// Package sample is a fixture for the docgen tests. It has one of
// everything.
package sample

import "io"

// Mode is a flag set.
type Mode int

// Modes, in an iota group.
const (
	Read  Mode = 1 << iota // Read opens for reading.
	Write                  // Write opens for writing.
	hidden
)

// Answer is a lone constant.
const Answer = 42

// ErrShort is a package variable.
var ErrShort = io.ErrShortWrite

// Point is a struct with exported, unexported and embedded fields.
type Point struct {
	// X is the abscissa.
	X, Y float64 // coordinates
	z    float64
	Label
	*io.PipeReader
}

// Label names a point.
type Label struct {
	Name string // the name
}

// String returns the name.
func (l Label) String() string { return l.Name }

// NewPoint returns a point.
func NewPoint(x, y float64) *Point {
	return &Point{X: x, Y: y}
}

// Norm returns the squared norm.
func (p *Point) Norm() float64 { return p.X*p.X + p.Y*p.Y }

func (p *Point) private() {}

// Shape is an interface.
type Shape interface {
	io.Reader
	// Area returns the area.
	Area() float64
	perimeter() float64
}

// Map is generic and left out.
func Map[T any](s []T, f func(T) T) []T { return s }

// List is a generic type and left out.
type List[T any] struct{ items []T }

func unexported() {}

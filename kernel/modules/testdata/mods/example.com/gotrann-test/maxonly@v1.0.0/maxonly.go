// Package maxonly is a test module that yaegi v0.16.1 cannot interpret
// from source (the builtin max is undefined there, and so is the generic
// Largest's instantiation) but that works compiled into a worker.
package maxonly

// Largest returns the largest of xs, 0 for none.
func Largest(xs ...int) int {
	if len(xs) == 0 {
		return 0
	}
	return largest(xs)
}

func largest[T int | float64](xs []T) T {
	m := xs[0]
	for _, x := range xs[1:] {
		m = max(m, x)
	}
	return m
}

package nn

import "unsafe"

// perm is a permutation of 0..n-1 (n = len(perm)) as int32: position i of
// an order holds unit perm[i]. Its gathers and scatters move whole rows
// between the natural order and a tile order; they are the trainer's
// only data movement between the two, so they skip the bounds checks that
// the permutation makes redundant (every index is below n, and the rows
// they read and write are sliced to n first).
type perm []int32

// newPerm returns order as a perm, nil when order is nil. order must be a
// permutation (checkOrder).
func newPerm(order []int) perm {
	if order == nil {
		return nil
	}
	p := make(perm, len(order))
	for i, j := range order {
		p[i] = int32(j)
	}
	return p
}

// gather sets dst[i] = src[p[off+i]] for i < len(dst).
func (p perm) gather(dst, src []float32, off int) {
	idx := p[off : off+len(dst)]
	src = src[:len(p)]
	if len(dst) == 0 {
		return
	}
	s := unsafe.Pointer(unsafe.SliceData(src))
	at := func(j int32) float32 { return *(*float32)(unsafe.Add(s, uintptr(j)*4)) }
	i := 0
	for ; i+3 < len(idx); i += 4 {
		x := idx[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = at(x[0]), at(x[1]), at(x[2]), at(x[3])
	}
	for ; i < len(idx); i++ {
		dst[i] = at(idx[i])
	}
}

// scatter sets dst[p[off+i]] = src[i] for i < len(src).
func (p perm) scatter(dst, src []float32, off int) {
	idx := p[off : off+len(src)]
	dst = dst[:len(p)]
	if len(src) == 0 {
		return
	}
	d := unsafe.Pointer(unsafe.SliceData(dst))
	at := func(j int32) *float32 { return (*float32)(unsafe.Add(d, uintptr(j)*4)) }
	i := 0
	for ; i+3 < len(idx); i += 4 {
		x := idx[i : i+4 : i+4]
		s := src[i : i+4 : i+4]
		*at(x[0]), *at(x[1]), *at(x[2]), *at(x[3]) = s[0], s[1], s[2], s[3]
	}
	for ; i < len(idx); i++ {
		*at(idx[i]) = src[i]
	}
}

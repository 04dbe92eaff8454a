package gemm

// The packing functions take simd: whether they may use the architecture's
// assembly (SSE on amd64) or must run in Go, as on the "go" path. Both
// move the same values to the same places.

// packA copies the mb x kb block of op(A) at (i0, p0) into dst as
// micro-panels of mr rows: panel q holds rows i0+q*mr.. and stores element
// (r, p) at q*mr*kb + p*mr + r. Rows past mb are zero, so edge tiles can be
// computed by the full kernel.
func packA(simd bool, dst, a []float32, lda int, tA bool, i0, mb, p0, kb, mr int) {
	for q := 0; q*mr < mb; q++ {
		rows := min(mr, mb-q*mr)
		d := dst[q*mr*kb : (q+1)*mr*kb]
		i := i0 + q*mr
		if tA {
			// op(A)(i, p) = a[p*lda+i]: each k step is a contiguous run.
			copyRows(simd, d, a[p0*lda+i:], lda, kb, rows, mr)
		} else {
			// op(A)(i, p) = a[i*lda+p]: each row is a contiguous run.
			transpose(simd, d, a[i*lda+p0:], lda, rows, kb, mr)
		}
	}
}

// packB copies the kb x nb block of op(B) at (p0, j0) into dst as
// micro-panels of nr columns: panel q holds columns j0+q*nr.. and stores
// element (p, c) at q*nr*kb + p*nr + c. Columns past nb are zero.
func packB(simd bool, dst, b []float32, ldb int, tB bool, p0, kb, j0, nb, nr int) {
	for q := 0; q*nr < nb; q++ {
		cols := min(nr, nb-q*nr)
		d := dst[q*nr*kb : (q+1)*nr*kb]
		j := j0 + q*nr
		if tB {
			// op(B)(p, j) = b[j*ldb+p]: each column is a contiguous run.
			transpose(simd, d, b[j*ldb+p0:], ldb, cols, kb, nr)
		} else {
			// op(B)(p, j) = b[p*ldb+j]: each k step is a contiguous run.
			copyRows(simd, d, b[p0*ldb+j:], ldb, kb, cols, nr)
		}
	}
}

// copyRows copies n runs of w contiguous values, src[s*ld:s*ld+w], to
// dst[s*width:], zero-filling each destination run up to width.
func copyRows(simd bool, dst, src []float32, ld, n, w, width int) {
	if w == width && width%2 == 0 {
		// Full panels, the common case: with SSE on amd64.
		copyFull(simd, dst, src, ld, n, width)
		return
	}
	for s := 0; s < n; s++ {
		row := dst[s*width : s*width+width]
		copy(row, src[s*ld:s*ld+w])
		clear(row[w:])
	}
}

// copyFullGo is copyFull in Go: n runs of width floats, src[s*ld:], to
// dst[s*width:].
func copyFullGo(dst, src []float32, ld, n, width int) {
	for s := 0; s < n; s++ {
		copy(dst[s*width:s*width+width], src[s*ld:s*ld+width])
	}
}

// transpose copies w runs of n contiguous values, src[r*ld:r*ld+n], so that
// value s of run r lands at dst[s*width+r]; entries r >= w are zeroed. It
// takes four runs at a time (transpose4, with SSE on amd64), then two
// (transpose2), then one.
func transpose(simd bool, dst, src []float32, ld, w, n, width int) {
	dst = dst[:n*width]
	r := 0
	for ; r+4 <= w; r += 4 {
		transpose4(simd, dst[r:], src[r*ld:], ld, n, width)
	}
	for ; r+2 <= w; r += 2 {
		transpose2(simd, dst[r:], src[r*ld:], ld, n, width)
	}
	for ; r < w; r++ {
		s0 := src[r*ld:][:n]
		d := dst[r:]
		for s, v := range s0 {
			d[s*width] = v
		}
	}
	if r < width {
		for s := 0; s < n; s++ {
			clear(dst[s*width+r : s*width+width])
		}
	}
}

// transpose4Go is transpose4 in Go: four runs of n values,
// src[r*ld:r*ld+n] for r < 4, into dst[s*width+r].
func transpose4Go(dst, src []float32, ld, n, width int) {
	if n == 0 {
		return
	}
	s0 := src[:n]
	s1 := src[ld:][:len(s0)]
	s2 := src[2*ld:][:len(s0)]
	s3 := src[3*ld:][:len(s0)]
	for s := range s0 {
		o := (*[4]float32)(dst[s*width:])
		o[0], o[1], o[2], o[3] = s0[s], s1[s], s2[s], s3[s]
	}
}

// transpose2Go is transpose2 in Go: two runs of n values,
// src[r*ld:r*ld+n] for r < 2, into dst[s*width+r].
func transpose2Go(dst, src []float32, ld, n, width int) {
	if n == 0 {
		return
	}
	s0 := src[:n]
	s1 := src[ld:][:len(s0)]
	for s := range s0 {
		o := (*[2]float32)(dst[s*width:])
		o[0], o[1] = s0[s], s1[s]
	}
}

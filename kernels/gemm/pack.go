package gemm

import (
	"sync"
	"unsafe"
)

// operand is op(X) of a row-major matrix: element (i, p) of op(X) is data[i·ld+p], or
// data[p·ld+i] when trans.
type operand[T Float] struct {
	data  []T
	ld    int
	trans bool
}

// maxMR bounds the micro-tile height of every kernel.
const maxMR = 16

// packA writes rows [i0, i0+ib) × columns [p0, p0+kb) of α·op(A) into dst as ⌈ib/mr⌉ panels of
// kb×mr (row index fastest), zero-padding the last panel's missing rows.
func packA[T Float](dst []T, a operand[T], i0, ib, p0, kb, mr int, alpha T) {
	for ir := 0; ir < ib; ir += mr {
		panel := dst[(ir/mr)*mr*kb : (ir/mr+1)*mr*kb]
		rows := min(mr, ib-ir)
		if a.trans {
			// op(A)(i, p) = data[p·ld+i]: mr consecutive values per p.
			var z T
			if w := mr * int(unsafe.Sizeof(z)); alpha == 1 && rows == mr && w%16 == 0 && kb > 0 {
				// The common case (SYRK, α = 1) is a strided copy of whole rows.
				_ = a.data[(p0+kb-1)*a.ld+i0+ir+mr-1]
				_ = panel[kb*mr-1]
				copyRows16(unsafe.Pointer(&panel[0]), unsafe.Pointer(&a.data[p0*a.ld+i0+ir]), kb,
					a.ld*int(unsafe.Sizeof(z)), w)
				continue
			}
			for p := 0; p < kb; p++ {
				src := a.data[(p0+p)*a.ld+i0+ir:]
				d := panel[p*mr : p*mr+mr]
				for i := 0; i < rows; i++ {
					d[i] = alpha * src[i]
				}
				clear(d[rows:])
			}
			continue
		}
		// Walk the rows side by side (one stream each) so the panel is written sequentially;
		// writing it with stride mr instead cost a tenth of the time of a large GEMM.
		if rows == 12 && mr == 12 {
			packA12(panel, a, i0+ir, p0, kb, alpha)
			continue
		}
		var src [maxMR][]T
		for i := 0; i < rows; i++ {
			src[i] = a.data[(i0+ir+i)*a.ld+p0 : (i0+ir+i)*a.ld+p0+kb]
		}
		for p := 0; p < kb; p++ {
			d := panel[p*mr : p*mr+mr]
			for i := 0; i < rows; i++ {
				d[i] = alpha * src[i][p]
			}
			clear(d[rows:])
		}
	}
}

// packB writes rows [p0, p0+kb) × columns [j0, j0+jn) of op(B) into dst as ⌈jn/nr⌉ panels of
// kb×nr (column index fastest), zero-padding the last panel's missing columns.
func packB[T Float](dst []T, b operand[T], p0, kb, j0, jn, nr int) {
	for jr := 0; jr < jn; jr += nr {
		panel := dst[(jr/nr)*nr*kb : (jr/nr+1)*nr*kb]
		cols := min(nr, jn-jr)
		if !b.trans {
			if cols == nr && packBRows(panel, b, p0, kb, j0+jr, nr) {
				continue
			}
			for p := 0; p < kb; p++ {
				src := b.data[(p0+p)*b.ld+j0+jr:]
				d := panel[p*nr : p*nr+nr]
				copy(d[:cols], src[:cols])
				clear(d[cols:])
			}
			continue
		}
		for j := 0; j < cols; j++ {
			src := b.data[(j0+jr+j)*b.ld+p0 : (j0+jr+j)*b.ld+p0+kb]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
		for j := cols; j < nr; j++ {
			for p := 0; p < kb; p++ {
				panel[p*nr+j] = 0
			}
		}
	}
}

// packA12 is packA's inner loop for a full panel of the 12-row tile (both AVX-512 kernels),
// unrolled: the generic loop over rows cost as much as the micro-kernel on the small products
// of the eigensolver.
func packA12[T Float](panel []T, a operand[T], i, p0, kb int, alpha T) {
	row := func(r int) []T { return a.data[(i+r)*a.ld+p0 : (i+r)*a.ld+p0+kb] }
	s0, s1, s2, s3, s4, s5 := row(0), row(1), row(2), row(3), row(4), row(5)
	s6, s7, s8, s9, s10, s11 := row(6), row(7), row(8), row(9), row(10), row(11)
	panel = panel[:12*kb]
	for p := 0; p < kb; p++ {
		d := panel[p*12 : p*12+12 : p*12+12]
		d[0], d[1], d[2], d[3] = alpha*s0[p], alpha*s1[p], alpha*s2[p], alpha*s3[p]
		d[4], d[5], d[6], d[7] = alpha*s4[p], alpha*s5[p], alpha*s6[p], alpha*s7[p]
		d[8], d[9], d[10], d[11] = alpha*s8[p], alpha*s9[p], alpha*s10[p], alpha*s11[p]
	}
}

// packBRows is packB's loop for a full-width panel of 128-byte rows (the AVX-512 tiles: 16
// float64 or 32 float32 columns), in one assembly call: copy() paid a call to memmove for every
// 128-byte row. It reports false for other shapes.
func packBRows[T Float](panel []T, b operand[T], p0, kb, j, nr int) bool {
	var z T
	if kb == 0 || nr*int(unsafe.Sizeof(z)) != 128 {
		return false
	}
	panel = panel[:kb*nr]
	last := (p0+kb-1)*b.ld + j
	_ = b.data[last+nr-1] // every row read lies inside b
	copyRows128(unsafe.Pointer(&panel[0]), unsafe.Pointer(&b.data[p0*b.ld+j]), kb, b.ld*int(unsafe.Sizeof(z)))
	return true
}

// workspace is one worker's packing buffers, 64-byte aligned so the kernels' vector loads never
// split a cache line. Kept in a pool: LAPACK calls GEMM many times on small blocks.
type workspace[T Float] struct {
	a, b, tile []T
	raw        []T
}

var pools = map[int]*sync.Pool{4: {}, 8: {}}

// getWorkspace takes a worker's buffers from the pool, or allocates them. They are sized for
// the strip (rows × cols, depth k), not for the full blocking: a B
// panel of nc×kc is megabytes, and the pool is emptied at every garbage collection, so the small
// products of a LAPACK routine would otherwise allocate and clear it again and again. A pooled
// workspace serves if it is large enough; a new one is at least as large as the one it replaces.
func getWorkspace[T Float](kr *kernel[T], rows, cols, k int) *workspace[T] {
	var z T
	pool := pools[int(unsafe.Sizeof(z))]
	kc := min(kr.kc, max(k, 1))
	na := roundUp(min(kr.mc, max(rows, 1)), kr.mr) * kc
	nb := roundUp(min(kr.nc, max(cols, 1)), kr.nr) * kc
	nt := kr.mr * kr.nr
	w, ok := pool.Get().(*workspace[T])
	if ok && len(w.a) >= na && len(w.b) >= nb && len(w.tile) == nt {
		return w
	}
	if ok && len(w.tile) == nt {
		na, nb = max(na, len(w.a)), max(nb, len(w.b))
	}
	const pad = 64
	raw := make([]T, na+nb+nt+3*pad)
	w = &workspace[T]{raw: raw}
	off := 0
	carve := func(n int) []T {
		s := raw[off:]
		mis := int(uintptr(unsafe.Pointer(&s[0]))%64) / int(unsafe.Sizeof(z))
		if mis != 0 {
			s = s[64/int(unsafe.Sizeof(z))-mis:]
		}
		off += len(raw[off:]) - len(s) + n
		return s[:n:n]
	}
	w.a, w.b, w.tile = carve(na), carve(nb), carve(nt)
	return w
}

func putWorkspace[T Float](w *workspace[T]) {
	var z T
	pools[int(unsafe.Sizeof(z))].Put(w)
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

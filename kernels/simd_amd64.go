//go:build !purego && !noasm

package kernels

import "unsafe"

// The AVX-512 backend is registered first: it is the better one where both run.
var (
	_ = register(AVX512, installAVX512)
	_ = register(AVX2, installAVX2)
)

func installAVX512() {
	f64 := simdSet[float64, int64]{dotF64AVX512, nearestF64AVX512, accumulateF64AVX512, 8, 2}
	f32 := simdSet[float32, int32]{dotF32AVX512, nearestF32AVX512, accumulateF32AVX512, 16, 2}
	installF64(f64)
	installF32(f32)
}

func installAVX2() {
	installF64(simdSet[float64, int64]{dotF64AVX2, nearestF64AVX2, accumulateF64AVX2, 4, 1})
	installF32(simdSet[float32, int32]{dotF32AVX2, nearestF32AVX2, accumulateF32AVX2, 8, 1})
}

func installF64(s simdSet[float64, int64]) {
	dotF64, sqNormsF64, nearestF64, accumulateF64, lloydF64 = s.dot, s.sqNorms, s.nearest, s.accumulate, s.lloyd
}

func installF32(s simdSet[float32, int32]) {
	dotF32, sqNormsF32, nearestF32, accumulateF32, lloydF32 = s.dot, s.sqNorms, s.nearest, s.accumulate, s.lloyd
}

// lane is the integer type as wide as the element type: row offsets and labels travel in it.
type lane interface{ int32 | int64 }

// simdSet is one backend's assembly for one element type, with the slice-checking wrappers
// that turn the assembly into the kernels' contracts.
type simdSet[T Float, I lane] struct {
	dotAsm     func(a, b *T, n int) T
	tileAsm    func(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int, cnorm *T, best *T, lab *I)
	accAsm     func(x *T, ldx, n, d int, labels *int32, w *T, sums, wsum *float64)
	lanes, rvs int // rows per vector, row vectors per tile
}

// maxTileRows bounds lanes·rvs over all backends (AVX-512 float32: 16·2).
const maxTileRows = 32

func (s simdSet[T, I]) dot(a, b []T) T {
	if len(a) == 0 {
		return 0
	}
	b = b[:len(a)]
	return s.dotAsm(&a[0], &b[0], len(a))
}

func (s simdSet[T, I]) sqNorms(x []T, ldx, n, d int, out []T) {
	if n <= 0 {
		return
	}
	checkMatrix(len(x), ldx, n, d)
	out = out[:n]
	for i := range out {
		row := x[i*ldx : i*ldx+d]
		out[i] = s.dot(row, row)
	}
}

// checkMatrix panics, as the reference loops' slicing would, unless an n×d matrix with row
// stride ldx fits in a slice of length size: the assembly must never read past it.
func checkMatrix(size, ldx, n, d int) {
	if n < 0 || d < 0 || (n > 1 && ldx < d) || (n > 0 && (n-1)*ldx+d > size) {
		panic("kernels: matrix does not fit its slice")
	}
}

// tiles reports whether the tile kernel can take this shape: d ≥ 1 (so the slices are
// non-empty) and row offsets within a tile that fit the gather's index lanes.
func (s simdSet[T, I]) tiles(ldx, d, k int) bool {
	var zero I
	maxOff := int64(s.lanes) * int64(ldx) * int64(unsafe.Sizeof(T(0)))
	limit := int64(1<<31 - 1)
	if unsafe.Sizeof(zero) == 8 {
		limit = 1<<62 - 1
	}
	return d >= 1 && k >= 1 && maxOff < limit
}

// tileSetup fills the row byte offsets of one row vector and returns the byte step between
// the row vectors of a tile.
func (s simdSet[T, I]) tileSetup(ldx int, idx *[maxTileRows]I) int {
	sz := int(unsafe.Sizeof(T(0)))
	for r := 0; r < s.lanes; r++ {
		idx[r] = I(r * ldx * sz)
	}
	return s.lanes * ldx * sz
}

func tileMask[I lane](nrows int, mask *[maxTileRows]I) {
	for r := range mask {
		mask[r] = 0
		if r < nrows {
			mask[r] = -1
		}
	}
}

func (s simdSet[T, I]) nearest(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) {
	if n <= 0 {
		return
	}
	if !s.tiles(ldx, d, k) {
		nearestGeneric(x, ldx, n, d, c, k, cnorm, labels, part)
		return
	}
	checkMatrix(len(x), ldx, n, d)
	c, cnorm, labels, part = c[:k*d], cnorm[:k], labels[:n], part[:n]
	var idx, mask, lab [maxTileRows]I
	var best [maxTileRows]T
	vstep := s.tileSetup(ldx, &idx)
	rows := s.lanes * s.rvs
	for i := 0; i < n; i += rows {
		nr := min(rows, n-i)
		if i == 0 || nr < rows {
			tileMask(nr, &mask)
		}
		s.tileAsm(&x[i*ldx], &idx[0], vstep, &mask[0], nr, d, &c[0], k, &cnorm[0], &best[0], &lab[0])
		for r := 0; r < nr; r++ {
			labels[i+r], part[i+r] = int32(lab[r]), best[r]
		}
	}
}

func (s simdSet[T, I]) accumulate(x []T, ldx, n, d int, labels []int32, w []T, sums, wsum []float64) {
	if n <= 0 {
		return
	}
	checkMatrix(len(x), ldx, n, d)
	labels = labels[:n]
	var wp *T
	if w != nil {
		wp = &w[:n][0]
	}
	for _, l := range labels {
		if l < 0 || int(l) >= len(wsum) || (int(l)+1)*d > len(sums) {
			panic("kernels: label out of range of the sums")
		}
	}
	if d == 0 {
		accumulateGeneric(x, ldx, n, d, labels, w, sums, wsum)
		return
	}
	s.accAsm(&x[0], ldx, n, d, &labels[0], wp, &sums[0], &wsum[0])
}

// lloyd runs the tile kernel and then accumulates the same tile, still in L1, so each row
// comes from memory once.
func (s simdSet[T, I]) lloyd(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64) {
	if n <= 0 {
		return
	}
	if !s.tiles(ldx, d, k) {
		lloydGeneric(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum)
		return
	}
	checkMatrix(len(x), ldx, n, d)
	c, cnorm, labels = c[:k*d], cnorm[:k], labels[:n]
	sums, wsum = sums[:k*d], wsum[:k]
	var wp *T
	if w != nil {
		wp = &w[:n][0]
	}
	var idx, mask, lab [maxTileRows]I
	var best [maxTileRows]T
	vstep := s.tileSetup(ldx, &idx)
	rows := s.lanes * s.rvs
	for i := 0; i < n; i += rows {
		nr := min(rows, n-i)
		if i == 0 || nr < rows {
			tileMask(nr, &mask)
		}
		xi := &x[i*ldx]
		s.tileAsm(xi, &idx[0], vstep, &mask[0], nr, d, &c[0], k, &cnorm[0], &best[0], &lab[0])
		for r := 0; r < nr; r++ {
			labels[i+r] = int32(lab[r])
		}
		var wi *T
		if wp != nil {
			wi = &w[i]
		}
		s.accAsm(xi, ldx, nr, d, &labels[i], wi, &sums[0], &wsum[0])
	}
}

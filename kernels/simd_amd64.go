//go:build !purego && !noasm

package kernels

import "unsafe"

// The AVX-512 backend is registered first: it is the better one where both run.
var (
	_ = register(AVX512, installAVX512)
	_ = register(AVX2, installAVX2)
)

func installAVX512() {
	installF64(simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2})
	installF32(simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2})
}

func installAVX2() {
	installF64(simdSet[float64, int64]{lanes: 4, rvs: 1})
	installF32(simdSet[float32, int32]{lanes: 8, rvs: 1})
}

func installF64(s simdSet[float64, int64]) {
	dotF64, sqNormsF64, nearestF64, accumulateF64, lloydF64, valuesF64 = s.dot, s.sqNorms, s.nearest, s.accumulate, s.lloyd, s.values
	nearestPackedF64 = s.nearestPacked
}

func installF32(s simdSet[float32, int32]) {
	dotF32, sqNormsF32, nearestF32, accumulateF32, lloydF32, valuesF32 = s.dot, s.sqNorms, s.nearest, s.accumulate, s.lloyd, s.values
	nearestPackedF32 = s.nearestPacked
}

// lane is the integer type as wide as the element type: row offsets and labels travel in it.
type lane interface{ int32 | int64 }

// simdSet is one backend's assembly for one element type, with the slice-checking wrappers
// that turn the assembly into the kernels' contracts. The assembly is called directly (see
// simd_calls_amd64.go), never through function values: an indirect call makes the compiler
// move every local array whose address it is given to the heap, and kernels must not allocate.
type simdSet[T Float, I lane] struct {
	avx512     bool // else AVX2
	lanes, rvs int  // rows per vector, row vectors per tile
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
	for i := s.sqNorms8(x, ldx, n, d, out); i < n; i++ {
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

// usePack returns the scratch the packed tile will use for d features and k centers, or nil
// where the plain tile runs: with one group of centers nothing is re-read, and without the
// caller's scratch (or too little of it) the rows are gathered per group.
func (s simdSet[T, I]) usePack(d, k int, pack []T) []T {
	need := d * s.lanes * s.rvs
	if k <= maxGroupCenters || need == 0 || len(pack) < need {
		return nil
	}
	return pack[:need]
}

// maxGroupCenters is the generator's maxGroup: centers served by one pass over the tile.
const maxGroupCenters = 8

// tile runs the nearest tile, packed when that pays (pack: the caller's stack scratch).
func (s simdSet[T, I]) tile(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int, cnorm, best *T, lab *I, pack []T) {
	if pack != nil {
		s.tilePacked(x, idx, vstep, mask, nrows, d, c, k, cnorm, best, lab, &pack[0])
		return
	}
	s.tileAsm(x, idx, vstep, mask, nrows, d, c, k, cnorm, best, lab)
}

func tileMask[I lane](nrows int, mask *[maxTileRows]I) {
	for r := range mask {
		mask[r] = 0
		if r < nrows {
			mask[r] = -1
		}
	}
}

// nearest: for k ≤ 8 (AVX-512) the streaming pass takes rows of streamMinD…streamMaxD features
// (the packed pass's labels: a row's label does not depend on the call), and rows in lanes
// take rows of d ≤ 64 (nearestFew).
func (s simdSet[T, I]) nearest(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T) {
	if n > 0 && s.nearestStream(x, ldx, n, d, c, k, cnorm, labels, part, nil) { // stream_amd64.go
		return
	}
	if n > 0 && s.nearestFew(x, ldx, n, d, c, k, cnorm, labels, part) {
		return
	}
	s.nearestP(x, ldx, n, d, c, k, cnorm, labels, part, nil)
}

// nearestPacked: for k ≤ 8 (AVX-512) the streaming pass takes rows of streamMinD…streamMaxD
// features, the windowed pass without sums (nearestWide) wider ones, and rows in lanes rows of
// d ≤ 64 (nearestFew).
func (s simdSet[T, I]) nearestPacked(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, pack []T) {
	if n > 0 && s.nearestStream(x, ldx, n, d, c, k, cnorm, labels, part, pack) { // stream_amd64.go
		return
	}
	if n > 0 && s.nearestWide(x, ldx, n, d, c, k, cnorm, labels, part, pack) { // wide_amd64.go
		return
	}
	if n > 0 && s.nearestFew(x, ldx, n, d, c, k, cnorm, labels, part) {
		return
	}
	s.nearestP(x, ldx, n, d, c, k, cnorm, labels, part, s.usePack(d, k, pack))
}

func (s simdSet[T, I]) nearestP(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T, pack []T) {
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
		if nr == rows && int32Lanes[I]() {
			s.tile(&x[i*ldx], &idx[0], vstep, &mask[0], nr, d, &c[0], k, &cnorm[0], &part[i], (*I)(unsafe.Pointer(&labels[i])), pack)
			continue
		}
		s.tile(&x[i*ldx], &idx[0], vstep, &mask[0], nr, d, &c[0], k, &cnorm[0], &best[0], &lab[0], pack)
		for r := 0; r < nr; r++ {
			labels[i+r], part[i+r] = int32(lab[r]), best[r]
		}
	}
}

// int32Lanes says the tiles' labels are int32 (the float32 tiles), so a full tile can store its
// labels straight into the caller's []int32: the tile stores whole vectors, exactly its rows'
// labels when it has all its rows, and the copy it saves was 6–8% of a Lloyd iteration at
// 65536×3, k = 64 float32 (one thread, perf samples).
func int32Lanes[I lane]() bool { return unsafe.Sizeof(I(0)) == 4 }

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
// comes from memory once; for k ≤ 8 the few-center passes run instead: lloydSmallK for
// d ≤ 64 (and on AVX2 for wider rows when pack is given), on AVX-512 lloydStream or lloydWide
// for wider rows when pack is given.
// lloyd is the fused pass; pack (PackLen(d) elements, or nil) is the caller's scratch for the
// packed tile. It comes from the caller because the assembly is reached through function
// values, which makes the compiler move any local array it is given to the heap.
func (s simdSet[T, I]) lloyd(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T) {
	if n > 0 && s.lloydSmallK(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, pack) {
		return
	}
	if n > 0 && s.lloydStream(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, pack) { // stream_amd64.go
		return
	}
	if n > 0 && s.lloydWide(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, pack) { // wide_amd64.go
		return
	}
	s.lloydP(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, s.usePack(d, k, pack))
}

func (s simdSet[T, I]) lloydP(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T) {
	if n <= 0 {
		return
	}
	if !s.tiles(ldx, d, k) {
		lloydGeneric(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, nil)
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
		if nr == rows && int32Lanes[I]() {
			s.tile(xi, &idx[0], vstep, &mask[0], nr, d, &c[0], k, &cnorm[0], &best[0], (*I)(unsafe.Pointer(&labels[i])), pack)
		} else {
			s.tile(xi, &idx[0], vstep, &mask[0], nr, d, &c[0], k, &cnorm[0], &best[0], &lab[0], pack)
			for r := 0; r < nr; r++ {
				labels[i+r] = int32(lab[r])
			}
		}
		var wi *T
		if wp != nil {
			wi = &w[i]
		}
		s.accAsm(xi, ldx, nr, d, &labels[i], wi, &sums[0], &wsum[0])
	}
}

// valuesCenters is how many centers one call of the values tile takes: its output block
// (valuesCenters × maxTileRows) lives on the stack, and the rows' tile is re-gathered once per
// block, which for k ≤ valuesCenters is never.
const valuesCenters = 64

func (s simdSet[T, I]) values(x []T, ldx, n, d int, c []T, k int, cnorm, out []T, pack []T) {
	if n > 0 && s.valuesStream(x, ldx, n, d, c, k, cnorm, out, pack) { // stream_amd64.go
		return
	}
	if n > 0 && s.valuesWide(x, ldx, n, d, c, k, cnorm, out, pack) {
		return
	}
	// The output block lives at the end of the caller's scratch when it has room (a local
	// array would be moved to the heap and cleared on every call).
	var block []T
	if len(pack) >= PackLen(d) {
		block = pack[len(pack)-valuesCenters*maxTileRows:]
	}
	s.valuesP(x, ldx, n, d, c, k, cnorm, out, s.usePack(d, min(k, valuesCenters), pack), block)
}

func (s simdSet[T, I]) valuesP(x []T, ldx, n, d int, c []T, k int, cnorm, out []T, pack, block []T) {
	if n <= 0 || k <= 0 {
		return
	}
	if !s.tiles(ldx, d, k) {
		valuesGeneric(x, ldx, n, d, c, k, cnorm, out, nil)
		return
	}
	checkMatrix(len(x), ldx, n, d)
	c, cnorm, out = c[:k*d], cnorm[:k], out[:n*k]
	var idx, mask [maxTileRows]I
	if block == nil {
		block = make([]T, valuesCenters*maxTileRows)
	}
	vstep := s.tileSetup(ldx, &idx)
	rows := s.lanes * s.rvs
	for i := 0; i < n; i += rows {
		nr := min(rows, n-i)
		if i == 0 || nr < rows {
			tileMask(nr, &mask)
		}
		for j0 := 0; j0 < k; j0 += valuesCenters {
			kb := min(valuesCenters, k-j0)
			if pack != nil && kb > maxGroupCenters {
				s.valsPacked(&x[i*ldx], &idx[0], vstep, &mask[0], nr, d, &c[j0*d], kb, &cnorm[j0], &block[0], &pack[0])
			} else {
				s.valuesAsm(&x[i*ldx], &idx[0], vstep, &mask[0], nr, d, &c[j0*d], kb, &cnorm[j0], &block[0])
			}
			for r := 0; r < nr; r++ {
				dst := out[(i+r)*k+j0 : (i+r)*k+j0+kb]
				for j := range dst {
					dst[j] = block[j*rows+r]
				}
			}
		}
	}
}

// PackLen (api.go, every build) sizes the scratch for these constants; a negative constant
// converted to uint does not compile, so this line fails the build if they drift apart.
const _ = uint(valuesCenters-valuesBlockCenters) + uint(valuesBlockCenters-valuesCenters) +
	uint(maxTileRows-maxTileRowsAll) + uint(maxTileRowsAll-maxTileRows)

package kernels

// WidenF32 writes dst[i] = float64(src[i]) for i < len(src) (len(dst) ≥ len(src)): float32
// rows widened for the float64 distance kernels. It also asks the cache for the len(src)
// values that follow src in memory, a hint that never faults: a caller that widens a matrix
// block by block gets its next block on the way while it computes on this one.
func WidenF32(dst []float64, src []float32) {
	if len(src) == 0 {
		return
	}
	dst = dst[:len(src)]
	if widenSIMD(dst, src) {
		return
	}
	widenGeneric(dst, src)
}

// widenGeneric is the reference loop of WidenF32.
func widenGeneric(dst []float64, src []float32) {
	for i, v := range src {
		dst[i] = float64(v)
	}
}

// NarrowShiftedF64 writes, for each of the n rows of src (d values, row stride ldx), the row
// less shift as float32, d apart in dst: dst[i·d+j] = float32(src[i·ldx+j] − shift[j]), the
// difference rounded to float64 first, as Go's conversion of it. The mixed labels narrow rows
// this way, less the centers' mean, so that their float32 products err by amounts on the scale
// of the rows' spread rather than of their distance from the origin.
func NarrowShiftedF64(dst []float32, src []float64, ldx, n, d int, shift []float64) {
	if n <= 0 || d <= 0 {
		return
	}
	if (n > 1 && ldx < d) || (n-1)*ldx+d > len(src) || n*d > len(dst) || len(shift) < d {
		panic("kernels: NarrowShiftedF64 slices too short")
	}
	if narrowShiftedSIMD(dst, src, ldx, n, d, shift) {
		return
	}
	narrowShiftedGeneric(dst, src, ldx, n, d, shift)
}

// NarrowShiftedNormsF64 is NarrowShiftedF64 (dst the same, bit for bit) that also writes
// norms[i] = ‖src_i − shift‖², the squared differences summed in float64 (n values): the mixed
// labels' margins need the rows' norms (less the shift) and the narrowing has the differences
// at hand, so the assembly backends give both in one pass. The sum's order is the backend's
// (AVX2 and AVX-512: two chains of four or eight lanes, then the tail; the generic backend
// SqDistF64's), so norms are within γ_d·‖src_i − shift‖²
// of the exact value (γ_d = d·2⁻⁵³/(1 − d·2⁻⁵³)), not the same bits on every backend.
func NarrowShiftedNormsF64(dst []float32, src []float64, ldx, n, d int, shift, norms []float64) {
	if n <= 0 {
		return
	}
	if len(norms) < n {
		panic("kernels: NarrowShiftedNormsF64 norms too short")
	}
	if d <= 0 {
		clear(norms[:n])
		return
	}
	if (n > 1 && ldx < d) || (n-1)*ldx+d > len(src) || n*d > len(dst) || len(shift) < d {
		panic("kernels: NarrowShiftedNormsF64 slices too short")
	}
	if narrowShiftedNormsSIMD(dst, src, ldx, n, d, shift, norms) {
		return
	}
	NarrowShiftedF64(dst, src, ldx, n, d, shift)
	// SqDistRowsF64 against the shift as the only center, in batches of rows labelled 0 (one
	// assembly call a batch, not a row, and nothing allocated): the norms the mixed labels took
	// before the fused pass, bit for bit.
	var zero [256]int32
	for lo := 0; lo < n; lo += len(zero) {
		m := min(len(zero), n-lo)
		sqDistRows(src[lo*ldx:], ldx, m, d, shift[:d], zero[:m], norms[lo:lo+m])
	}
}

// narrowShiftedGeneric is the reference loop of NarrowShiftedF64.
func narrowShiftedGeneric(dst []float32, src []float64, ldx, n, d int, shift []float64) {
	for i := 0; i < n; i++ {
		row, out := src[i*ldx:i*ldx+d], dst[i*d:(i+1)*d]
		for j, v := range row {
			out[j] = float32(v - shift[j])
		}
	}
}

package kernels

// The exported kernels. Each forwards to the implementation installed at load time; the doc
// comment of each states the contract every implementation meets (see generic.go for the
// reference loops).

var (
	dotF64        = dotGeneric[float64]
	dotF32        = dotGeneric[float32]
	sqNormsF64    = sqNormsGeneric[float64]
	sqNormsF32    = sqNormsGeneric[float32]
	nearestF64    = nearestGeneric[float64]
	nearestF32    = nearestGeneric[float32]
	accumulateF64 = accumulateGeneric[float64]
	accumulateF32 = accumulateGeneric[float32]
	lloydF64      = lloydGeneric[float64]
	lloydF32      = lloydGeneric[float32]
	valuesF64     = valuesGeneric[float64]
	valuesF32     = valuesGeneric[float32]

	nearestPackedF64 = nearestPackedGeneric[float64]
	nearestPackedF32 = nearestPackedGeneric[float32]
)

// nearestPackedGeneric is nearestGeneric; the scratch is for the SIMD tiles only.
func nearestPackedGeneric[T Float](x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, _ []T) {
	nearestGeneric(x, ldx, n, d, c, k, cnorm, labels, part)
}

// NearestPackedF64 is NearestF64 with caller-provided scratch of PackLen(d) elements (same bits).
func NearestPackedF64(x []float64, ldx, n, d int, c []float64, k int, cnorm []float64, labels []int32, part, pack []float64) {
	nearestPackedF64(x, ldx, n, d, c, k, cnorm, labels, part, pack)
}

// NearestPackedF32 is NearestF32 with caller-provided scratch of PackLen(d) elements (same bits).
func NearestPackedF32(x []float32, ldx, n, d int, c []float32, k int, cnorm []float32, labels []int32, part, pack []float32) {
	nearestPackedF32(x, ldx, n, d, c, k, cnorm, labels, part, pack)
}

// Accuracy of the SIMD variants. They sum in another order than the reference loops (several
// vector accumulators, fused multiply-adds), so a dot product of length n may differ from the
// reference by up to 2·γ(n)·Σ|a_i·b_i| with γ(n) = n·u/(1−n·u), u = 2⁻⁵³ (float64) or 2⁻²⁴
// (float32): each of the two is within γ(n)·Σ|a_i·b_i| of the exact value (Higham, Accuracy and
// Stability, §3.1). Nearest's distances inherit that bound (times 2, plus one rounding of the
// subtraction), so a label can differ from the reference only where the reference's two best
// distances are that close. Accumulate is exact to the reference: the same operations on each
// element in the same row order, only several elements at a time.

// DotF64 returns Σ a[i]·b[i] for i < len(a); len(b) ≥ len(a).
func DotF64(a, b []float64) float64 { return dotF64(a, b) }

// DotF32 is DotF64 for float32, accumulated in float32.
func DotF32(a, b []float32) float32 { return dotF32(a, b) }

// SqNormsF64 writes out[i] = ‖row i‖² for the n rows of width d and stride ldx of x.
func SqNormsF64(x []float64, ldx, n, d int, out []float64) { sqNormsF64(x, ldx, n, d, out) }

// SqNormsF32 is SqNormsF64 for float32.
func SqNormsF32(x []float32, ldx, n, d int, out []float32) { sqNormsF32(x, ldx, n, d, out) }

// NearestF64 writes, for each of the n rows x_i of x, labels[i] = argmin_j ‖x_i − c_j‖² over the k
// centers (c: k×d contiguous, cnorm[j] = ‖c_j‖²), lowest j on ties, and part[i] = the minimum of
// cnorm[j] − 2·x_i·c_j (add ‖x_i‖² for the squared distance).
func NearestF64(x []float64, ldx, n, d int, c []float64, k int, cnorm []float64, labels []int32, part []float64) {
	nearestF64(x, ldx, n, d, c, k, cnorm, labels, part)
}

// NearestF32 is NearestF64 for float32, computed in float32.
func NearestF32(x []float32, ldx, n, d int, c []float32, k int, cnorm []float32, labels []int32, part []float32) {
	nearestF32(x, ldx, n, d, c, k, cnorm, labels, part)
}

// AccumulateF64 adds w[i]·x_i to sums[labels[i]·d : +d] and w[i] to wsum[labels[i]] for the n
// rows, in row order (w == nil: unit weights). sums is k×d float64.
func AccumulateF64(x []float64, ldx, n, d int, labels []int32, w []float64, sums, wsum []float64) {
	accumulateF64(x, ldx, n, d, labels, w, sums, wsum)
}

// AccumulateF32 is AccumulateF64 for float32 data; sums stay float64.
func AccumulateF32(x []float32, ldx, n, d int, labels []int32, w []float32, sums, wsum []float64) {
	accumulateF32(x, ldx, n, d, labels, w, sums, wsum)
}

// LloydF64 is one fused Lloyd assignment: labels as NearestF64 gives them, and the rows added to
// sums (k×d) and wsum (k) as AccumulateF64 adds them (w == nil: unit weights), reading each row of
// x once.
func LloydF64(x []float64, ldx, n, d int, c []float64, k int, cnorm, w []float64, labels []int32, sums, wsum []float64) {
	lloydF64(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, nil)
}

// PackLen is the length of the scratch the *Packed kernels take for rows of d features: with it
// (and more than 8 centers) a tile of rows is gathered once and then read back with plain loads
// for every further group of 8 centers, and the values kernels keep their output block there.
// The results are the same bits as without.
func PackLen(d int) int { return (d + valuesBlockCenters) * maxTileRowsAll }

// valuesBlockCenters is how many centers one call of the values tile takes (see simd_amd64.go).
const valuesBlockCenters = 64

// maxTileRowsAll is the most rows a tile of any backend holds (AVX-512 float32: 2×16).
const maxTileRowsAll = 32

// LloydPackedF64 is LloydF64 with caller-provided scratch of PackLen(d) elements.
func LloydPackedF64(x []float64, ldx, n, d int, c []float64, k int, cnorm, w []float64, labels []int32, sums, wsum, pack []float64) {
	lloydF64(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, pack)
}

// LloydPackedF32 is LloydF32 with caller-provided scratch of PackLen(d) elements.
func LloydPackedF32(x []float32, ldx, n, d int, c []float32, k int, cnorm, w []float32, labels []int32, sums []float64, wsum []float64, pack []float32) {
	lloydF32(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, pack)
}

// LloydF32 is LloydF64 for float32 data; distances in float32, sums in float64.
func LloydF32(x []float32, ldx, n, d int, c []float32, k int, cnorm, w []float32, labels []int32, sums, wsum []float64) {
	lloydF32(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, nil)
}

// ValuesF64 writes out[i·k + j] = cnorm[j] − 2·x_i·c_j for the n rows of x and the k centers c
// (k×d contiguous): every value NearestF64 compares, each bit for bit the one it compares (so
// their argmin, lowest j on ties, is NearestF64's label). out is n×k, row-major.
func ValuesF64(x []float64, ldx, n, d int, c []float64, k int, cnorm, out []float64) {
	valuesF64(x, ldx, n, d, c, k, cnorm, out, nil)
}

// ValuesPackedF64 is ValuesF64 with caller-provided scratch of PackLen(d) elements.
func ValuesPackedF64(x []float64, ldx, n, d int, c []float64, k int, cnorm, out, pack []float64) {
	valuesF64(x, ldx, n, d, c, k, cnorm, out, pack)
}

// ValuesPackedF32 is ValuesF32 with caller-provided scratch of PackLen(d) elements.
func ValuesPackedF32(x []float32, ldx, n, d int, c []float32, k int, cnorm, out, pack []float32) {
	valuesF32(x, ldx, n, d, c, k, cnorm, out, pack)
}

// ValuesF32 is ValuesF64 for float32, computed in float32 as NearestF32 does.
func ValuesF32(x []float32, ldx, n, d int, c []float32, k int, cnorm, out []float32) {
	valuesF32(x, ldx, n, d, c, k, cnorm, out, nil)
}

// StreamOrder reports whether Nearest*, Values* and Lloyd* form the values of rows of d features
// and k centers in the streaming pass's order of additions (AVX-512, k ≤ 8, a few hundred
// features; kernels/stream_amd64.go) rather than as one chain in feature order. Callers that
// form the same values elsewhere (cluster's bound-based fits, from GEMM products) take them
// from Values* where it does, so that every pass of a fit compares the same numbers.
func StreamOrder(d, k int) bool { return streamOrder(d, k) }

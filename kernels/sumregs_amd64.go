//go:build !purego && !noasm

package kernels

// The register sums of the few-center passes (_gen/sumrows.go's genSumRegs): each center's
// padded float64 sums held in registers over a block of labelled rows, a row added to its
// center's by merge-masked adds. Bit for bit the padded sums' (accPadded's, sumRows') result.

// The bounds of sumRegsF64V<V>AVX512 (_gen/sumrows.go's constants of the same names): k ≤
// sumRegsMaxK centers of V ≤ sumRegsMaxV vectors of sums (d < 8·sumRegsMaxV), k·V ≤
// sumRegsMaxAcc.
const (
	sumRegsMaxK   = 4
	sumRegsMaxV   = 5
	sumRegsMaxAcc = 20
)

// sumRegsF64V<V>AVX512: see genSumRegs. n labelled rows at x (stride ldx) of 8(V−1) ≤ d < 8V
// features, labels in [0, k), 1 ≤ k ≤ sumRegsMaxK and k·V ≤ sumRegsMaxAcc, unit weights, acc
// the padded sums (stride accStride = 8V) of the k centers; each row's lines pf bytes ahead
// prefetched.
//
//go:noescape
func sumRegsF64V1AVX512(x *float64, ldx, n, d, k int, labels *int32, acc *float64, accStride, pf int)

//go:noescape
func sumRegsF64V2AVX512(x *float64, ldx, n, d, k int, labels *int32, acc *float64, accStride, pf int)

//go:noescape
func sumRegsF64V3AVX512(x *float64, ldx, n, d, k int, labels *int32, acc *float64, accStride, pf int)

//go:noescape
func sumRegsF64V4AVX512(x *float64, ldx, n, d, k int, labels *int32, acc *float64, accStride, pf int)

//go:noescape
func sumRegsF64V5AVX512(x *float64, ldx, n, d, k int, labels *int32, acc *float64, accStride, pf int)

// sumRegsTakes reports whether sumRegs has a loop for rows of d features and k centers.
func sumRegsTakes(d, k int) bool {
	V := d/8 + 1
	return k >= 1 && k <= sumRegsMaxK && V <= sumRegsMaxV && k*V <= sumRegsMaxAcc
}

// sumRegs adds the n labelled rows at x (stride ldx, d features, unit weights, labels in
// [0, k)) into the padded sums acc (stride smallKStride(d)) in row order, each center's sums in
// registers, prefetching pf bytes ahead of each row; sumRegsTakes(d, k) holds. A switch, not a
// table of functions: an indirect call makes the pointers escape, and the passes must not
// allocate (noalloc_test.go).
func sumRegs(x *float64, ldx, n, d, k int, labels *int32, acc *float64, pf int) {
	st := smallKStride(d)
	switch st / 8 {
	case 1:
		sumRegsF64V1AVX512(x, ldx, n, d, k, labels, acc, st, pf)
	case 2:
		sumRegsF64V2AVX512(x, ldx, n, d, k, labels, acc, st, pf)
	case 3:
		sumRegsF64V3AVX512(x, ldx, n, d, k, labels, acc, st, pf)
	case 4:
		sumRegsF64V4AVX512(x, ldx, n, d, k, labels, acc, st, pf)
	case 5:
		sumRegsF64V5AVX512(x, ldx, n, d, k, labels, acc, st, pf)
	default:
		panic("kernels: register sums of more than 39 features")
	}
}

// useSumRegs says whether the unit-weight float64 rows of d features labelled with k centers
// are added by sumRegs (the sums in registers) rather than in memory (sumRows, accPadded), where
// the rows-in-lanes pass (lloydBlocksF64) or the transposed tiles (lloydTransposed) label them.
// (Float32 tiles take accRegs, the rows sorted by center: see unitAccRegs.)
//
// d < 8 (one vector of sums a center): k ≤ 3. Measured on AMD Zen 4 (BenchmarkFewCentersGridF64
// at d = 3, two threads, best iteration of 300, three alternating rounds, memory → registers):
// k = 2 0.097–0.111 → 0.065–0.071 ms at 65 536 rows, 1.49–1.58 → 1.00–1.06 ms at 10⁶; k = 3
// 0.082–0.098 → 0.076–0.085 and 1.26–1.29 → 1.17–1.19; but k = 4 0.079–0.084 → 0.092–0.106 and
// 1.19 → 1.40–1.51: a row costs k compares and k masked adds, and past three centers they cost
// more than the store-forwarded chains of one vector.
//
// Wider rows, AMD Zen 5 (128 rows in L1, labels at random, one thread, ns a row, three runs,
// memory → registers): d = 10 k = 2 2.8 → 1.1, k = 3 2.9 → 1.2, k = 4 3.0 → 1.5; d = 16 k = 3
// 3.6 → 1.5, k = 4 3.5 → 1.9; d = 24 k = 3 4.0 → 2.0, k = 4 4.0 → 2.6; d = 32 k = 2 5.5 → 1.5,
// k = 3 5.2 → 2.3, k = 4 5.1 → 3.1–4.6: every shape sumRegs takes.
func useSumRegs(d, k int) bool {
	return sumRegsTakes(d, k) && (d >= 8 || k <= 3)
}

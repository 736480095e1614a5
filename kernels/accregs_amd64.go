//go:build !purego && !noasm

package kernels

// Register sums for the float32 rows-in-lanes pass (see _gen/accregs.go): each center's
// float64 sums in registers, the rows of a block sorted by center so that the centers' add
// chains advance side by side. Bit for bit the padded sums' (and so the reference's) result.

// accRegsF32<W>AVX512: see genAccRegs. n ≤ accRegsBlock rows of d features (Narrow: d < 4,
// V1: d < 8, V2: d < 16), labels in [0, k), 1 ≤ k ≤ accRegsMaxK, w nil for unit weights, acc
// the padded sums (stride smallKStride(d)).
//
//go:noescape
func accRegsF32NarrowAVX512(x *float32, ldx, n, d, k int, labels *int32, w *float32, acc *float64)

//go:noescape
func accRegsF32V1AVX512(x *float32, ldx, n, d, k int, labels *int32, w *float32, acc *float64)

//go:noescape
func accRegsF32V2AVX512(x *float32, ldx, n, d, k int, labels *int32, w *float32, acc *float64)

// accRegsUnitF32<W>AVX512: the same sums for unit weights (w nil), each row converted from x as
// it is added, the lists not padded, k ≤ accRegsUnitMaxK, the rows of d ≥ 8 features
// prefetched pf bytes ahead (see _gen/accunit.go). Row offsets are 32-bit:
// ldx·4·accRegsBlock < 2³¹.
//
//go:noescape
func accRegsUnitF32NarrowAVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32V1AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32V2AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

// accRegsUnitF32W2AVX512: d = 8 exactly, the weight alone in the second vector.
//
//go:noescape
func accRegsUnitF32W2AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

// accRegsUnitF32V<V>AVX512: 8·(V−1) < d < 8·V; W<V>: d = 8·(V−1), the weight alone in the last
// vector.
//
//go:noescape
func accRegsUnitF32V3AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32W3AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32V4AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32W4AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32V5AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

//go:noescape
func accRegsUnitF32W5AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int)

const (
	accRegsBlock = 128 // the most rows of one call (the assembly's scratch)
	accRegsMaxK  = 4   // the most centers
	// accRegsUnitMaxK: the most centers of accRegsUnit.
	accRegsUnitMaxK = 2 * accRegsMaxK
)

// useAccRegs says whether float32 rows of d features and k centers take the register sums
// instead of the padded sums in memory (accPadded). Measured on the rows-in-lanes pass, fastest
// of 300 interleaved runs of a 1024-row block, ns a row, memory → registers: d=3 k=2 3.00 →
// 2.10, k=3 2.80 → 2.19, k=4 2.84 → 2.53; d=5 k=3 3.52 → 3.14; d=10 k=3 5.56 → 4.90; d=15 k=3
// 5.63 → 5.30; but d=10 k=5 5.43 → 5.70, k=8 5.78 → 6.54; d=16 k=3 5.60 → 6.03; d=32 k=3 8.20 →
// 14.6: the widened copy of each row, and the padding steps of the shorter lists, cost more
// than the chains save. (Since then the unit-weight rows take accRegsUnit, which converts each
// row where it lies and does not pad the lists, further: see unitAccRegs.)
func useAccRegs(d, k, ldx int, unit bool) bool {
	return unit && unitAccRegs(d, k, ldx) || d < 16 && k <= accRegsMaxK
}

// unitAccRegs says whether unit-weight rows of d features, stride ldx, and k centers take
// accRegsUnit: d < 40 and k ≤ accRegsMaxK, or d < 8 and k ≤ accRegsUnitMaxK; 32-bit row
// offsets. Measured against the padded sums and sumRegs, and where more centers lost (d = 32
// and 10, k = 8), in _gen/accunit.go.
func unitAccRegs(d, k, ldx int) bool {
	return ldx < (1<<31)/(4*accRegsBlock) && (d < 8 && k <= accRegsUnitMaxK || d < 40 && k <= accRegsMaxK)
}

// accRegs adds n ≤ accRegsBlock labelled float32 rows at x (w nil or at the rows' weights)
// into the padded sums acc, in row order.
func accRegs(x *float32, ldx, n, d, k int, labels *int32, w *float32, acc *float64, pf int) {
	if w == nil && unitAccRegs(d, k, ldx) {
		switch {
		case d < 4:
			accRegsUnitF32NarrowAVX512(x, ldx, n, d, k, labels, acc, pf)
		case d < 8:
			accRegsUnitF32V1AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d == 8:
			accRegsUnitF32W2AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d < 16:
			accRegsUnitF32V2AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d == 16:
			accRegsUnitF32W3AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d < 24:
			accRegsUnitF32V3AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d == 24:
			accRegsUnitF32W4AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d < 32:
			accRegsUnitF32V4AVX512(x, ldx, n, d, k, labels, acc, pf)
		case d == 32:
			accRegsUnitF32W5AVX512(x, ldx, n, d, k, labels, acc, pf)
		default:
			accRegsUnitF32V5AVX512(x, ldx, n, d, k, labels, acc, pf)
		}
		return
	}
	switch {
	case d < 4:
		accRegsF32NarrowAVX512(x, ldx, n, d, k, labels, w, acc)
	case d < 8:
		accRegsF32V1AVX512(x, ldx, n, d, k, labels, w, acc)
	default:
		accRegsF32V2AVX512(x, ldx, n, d, k, labels, w, acc)
	}
}

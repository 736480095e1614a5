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
// it is added, the lists not padded (see _gen/accunit.go). Row offsets are 32-bit:
// ldx·4·accRegsBlock < 2³¹.
//
//go:noescape
func accRegsUnitF32NarrowAVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64)

//go:noescape
func accRegsUnitF32V1AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64)

//go:noescape
func accRegsUnitF32V2AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64)

// accRegsUnitF32W2AVX512: d = 8 exactly, the weight alone in the second vector.
//
//go:noescape
func accRegsUnitF32W2AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64)

const (
	accRegsBlock = 128 // the most rows of one call (the assembly's scratch)
	accRegsMaxK  = 4   // the most centers
	// accRegsUnitMaxK: the most centers of accRegsUnit.
	accRegsUnitMaxK = 4
)

// useAccRegs says whether float32 rows of d features and k centers take the register sums
// instead of the padded sums in memory (accPadded). Measured on the rows-in-lanes pass, fastest
// of 300 interleaved runs of a 1024-row block, ns a row, memory → registers: d=3 k=2 3.00 →
// 2.10, k=3 2.80 → 2.19, k=4 2.84 → 2.53; d=5 k=3 3.52 → 3.14; d=10 k=3 5.56 → 4.90; d=15 k=3
// 5.63 → 5.30; but d=10 k=5 5.43 → 5.70, k=8 5.78 → 6.54; d=16 k=3 5.60 → 6.03; d=32 k=3 8.20 →
// 14.6: the widened copy of each row, and the padding steps of the shorter lists, cost more
// than the chains save.
func useAccRegs(d, k, ldx int, unit bool) bool {
	return unit && unitAccRegs(d, k, ldx) || d < 16 && k <= accRegsMaxK
}

// unitAccRegs says whether unit-weight rows of d features, stride ldx, and k centers take
// accRegsUnit: d < 16 and k ≤ accRegsUnitMaxK (see _gen/accunit.go for the wider rows and more
// centers it left out), 32-bit row offsets.
func unitAccRegs(d, k, ldx int) bool {
	return ldx < (1<<31)/(4*accRegsBlock) && d < 16 && k <= accRegsUnitMaxK
}

// accRegs adds n ≤ accRegsBlock labelled float32 rows at x (w nil or at the rows' weights)
// into the padded sums acc, in row order.
func accRegs(x *float32, ldx, n, d, k int, labels *int32, w *float32, acc *float64) {
	if w == nil && unitAccRegs(d, k, ldx) {
		switch {
		case d == 8:
			accRegsUnitF32W2AVX512(x, ldx, n, d, k, labels, acc)
		case d < 4:
			accRegsUnitF32NarrowAVX512(x, ldx, n, d, k, labels, acc)
		case d < 8:
			accRegsUnitF32V1AVX512(x, ldx, n, d, k, labels, acc)
		default:
			accRegsUnitF32V2AVX512(x, ldx, n, d, k, labels, acc)
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

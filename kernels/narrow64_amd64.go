//go:build !purego && !noasm

package kernels

import "unsafe"

// Narrow float64 rows in lanes for the few-center pass (see _gen/narrow64.go and
// _gen/sumrows.go): the labels of 8 contiguous rows at a time with a vertical minimum, then the
// rows added into the padded sums in row order, one block of rows (in L1) after the other.

// nearestNarrowF64D<d>AVX512: see genNearestNarrow64. n a positive multiple of 8 rows of d
// features, contiguous; c: k×d centers, 1 ≤ k ≤ 8; cn: their k norms.
//
//go:noescape
func nearestNarrowF64D1AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int)

//go:noescape
func nearestNarrowF64D2AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int)

//go:noescape
func nearestNarrowF64D3AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int)

//go:noescape
func nearestNarrowF64D4AVX512(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int)

// sumRowsF64V<V>AVX512: see genSumRows. n labelled rows of 8(V−1) ≤ d < 8V features, w nil
// (unit weights) or n weights, acc the padded sums (stride smallKStride(d) = 8V).
//
//go:noescape
func sumRowsF64V1AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64)

const (
	narrowF64MaxD  = 4   // the widest row nearestNarrowF64 takes
	narrowF64Block = 256 // rows labelled, then added, while they are in L1
)

// useNarrowF64 says whether float64 rows of d features at stride ldx take rows in lanes:
// contiguous rows of at most 4 features.
func useNarrowF64(d, ldx int) bool { return d <= narrowF64MaxD && ldx == d }

// lloydNarrowF64 labels the n contiguous rows at x and adds them (w nil or their weights) into
// the padded sums acc, block by block. The last rows short of a group of 8 are labelled from a
// copy padded with zero rows, so that every row takes the same instructions (the kernel with
// centers in lanes differs from the reference on NaN values). c: k×d centers, cnorm their
// norms (checked by the caller); pf: the prefetch distance.
func lloydNarrowF64(x []float64, n, d int, c []float64, k int, cnorm, w []float64, labels []int32, acc []float64, pf int) {
	add := func(i, m int) { // rows i…i+m−1, labelled
		var wi *float64
		if w != nil {
			wi = &w[i]
		}
		sumRowsF64V1AVX512(&x[i*d], d, m, d, &labels[i], wi, &acc[0])
	}
	full := n &^ 7
	for i := 0; i < full; i += narrowF64Block {
		m := min(narrowF64Block, full-i)
		nearestNarrowF64(d, &x[i*d], m, &c[0], k, &cnorm[0], &labels[i], pf)
		add(i, m)
	}
	if full < n {
		var rows [8 * narrowF64MaxD]float64
		var lab [8]int32
		copy(rows[:], x[full*d:n*d])
		nearestNarrowF64(d, &rows[0], 8, &c[0], k, &cnorm[0], &lab[0], pf)
		copy(labels[full:n], lab[:])
		add(full, n-full)
	}
}

// nearestNarrowF64 runs nearestNarrowF64D<d>.
func nearestNarrowF64(d int, x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int) {
	switch d {
	case 1:
		nearestNarrowF64D1AVX512(x, n, c, k, cn, labels, pf)
	case 2:
		nearestNarrowF64D2AVX512(x, n, c, k, cn, labels, pf)
	case 3:
		nearestNarrowF64D3AVX512(x, n, c, k, cn, labels, pf)
	case 4:
		nearestNarrowF64D4AVX512(x, n, c, k, cn, labels, pf)
	default:
		panic("kernels: narrow rows of more than 4 features")
	}
}

// f64s is x as a float64 slice, for generic code that has checked T is float64 (nil stays nil).
func f64s[T any](x []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

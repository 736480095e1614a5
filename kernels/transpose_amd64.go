//go:build !purego && !noasm

package kernels

import "unsafe"

// Rows in lanes without gathers, for the float32 few-center pass (transpose_amd64.s, generated
// by _gen/transpose.go).
//
// With centers in lanes every row costs d FMAs whatever k is, on 8 lanes; with rows in lanes it
// costs k·d/16 on 16 lanes, plus putting the rows into lanes: 4 shuffles per 16 features of a
// row (16×16 transposition), or for contiguous rows of fewer than 8 features about one permute
// per feature and pair of vectors (deinterleave). Which wins is measured (useTransposed). The
// tile is the nearest tile loading from pack, the same instructions, so its labels are
// NearestF32's bit for bit; the accumulation is genSmallK's.

//go:noescape
func transposeF32AVX512(x *float32, ldx, d int, pack *float32)

//go:noescape
func transposeF64AVX512(x *float64, ldx, d int, pack *float64)

//go:noescape
func nearestPrePackedF64AVX512(x *float64, idx *int64, vstep int, mask *int64, nrows, d int, c *float64, k int, cnorm *float64, best *float64, lab *int64, pack *float64)

//go:noescape
func accPaddedF64AVX512(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)

// deinterleave<D>F32AVX512: transposeF32AVX512 for 32 contiguous rows of D features (ldx = D),
// with the permute indices of deinterleaveTable.
//
//go:noescape
func deinterleave1F32AVX512(x *float32, tab *int32, pack *float32)

//go:noescape
func deinterleave2F32AVX512(x *float32, tab *int32, pack *float32)

//go:noescape
func deinterleave3F32AVX512(x *float32, tab *int32, pack *float32)

//go:noescape
func deinterleave4F32AVX512(x *float32, tab *int32, pack *float32)

//go:noescape
func deinterleave5F32AVX512(x *float32, tab *int32, pack *float32)

//go:noescape
func deinterleave6F32AVX512(x *float32, tab *int32, pack *float32)

//go:noescape
func deinterleave7F32AVX512(x *float32, tab *int32, pack *float32)

// deinterleaveMaxD is the widest contiguous row deinterleave<D> takes.
const deinterleaveMaxD = 7

// deinterleaveTable fills tab with the permute indices of deinterleave<d>: for feature f and
// register pair p (P = ⌈d/2⌉ pairs), lane r picks element r·d + f of the half-tile, which is
// element r·d + f − 32·p of the pair (lanes whose element lies in another pair are masked off
// in the assembly; a permute reads only the low 5 bits of an index).
func deinterleaveTable(d int, tab *[deinterleaveMaxD * 4 * 16]int32) {
	p := (d + 1) / 2
	for f := 0; f < d; f++ {
		for q := 0; q < p; q++ {
			for r := 0; r < 16; r++ {
				tab[(f*p+q)*16+r] = int32(r*d + f - 32*q)
			}
		}
	}
}

// deinterleave runs deinterleave<d>.
func deinterleave(d int, x *float32, tab *int32, pack *float32) {
	switch d {
	case 1:
		deinterleave1F32AVX512(x, tab, pack)
	case 2:
		deinterleave2F32AVX512(x, tab, pack)
	case 3:
		deinterleave3F32AVX512(x, tab, pack)
	case 4:
		deinterleave4F32AVX512(x, tab, pack)
	case 5:
		deinterleave5F32AVX512(x, tab, pack)
	case 6:
		deinterleave6F32AVX512(x, tab, pack)
	case 7:
		deinterleave7F32AVX512(x, tab, pack)
	default:
		panic("kernels: deinterleave of more than 7 features")
	}
}

//go:noescape
func nearestPrePackedF32AVX512(x *float32, idx *int32, vstep int, mask *int32, nrows, d int, c *float32, k int, cnorm *float32, best *float32, lab *int32, pack *float32)

//go:noescape
func accPaddedF32AVX512(x *float32, ldx, n, d int, labels *int32, w *float32, acc *float64, accStride, pf int)

// useTransposed says whether the float32 few-center pass takes rows in lanes for d features,
// k ≤ 8 centers and row stride ldx. Measured on one (loaded) core, time per row as a fraction
// of the gathering tile's, centers in lanes → rows in lanes: d=3 k=3 0.63 → 0.57, k=8 0.59 →
// 0.64 (contiguous rows, deinterleaved); d=5 0.58 → 0.50; d=6 (strided, 16×16 blocks) 0.57 →
// 0.65; d=8 0.90 → 0.82; d=10 0.80 → 0.77; d=32 k=3 1.05 → 0.65, k=8 0.93 → 0.74. Narrow strided
// rows would go through a mostly empty 16×16 block, and at d ≤ 3 with many centers the tile's
// per-center compare-and-blend costs more than the per-row horizontal minimum.
func useTransposed(d, k, ldx int) bool {
	return d >= 8 || (ldx == d && (d >= 4 || k <= 4))
}

// transposeTileRows is the tile: two vectors of 16 float32 rows.
const transposeTileRows = 32

// useTransposedF64 is useTransposed for float64 rows (tiles of 16 rows, 8×8 blocks, no
// deinterleaving). Centers in lanes fill the 8 lanes of a zmm with k ≤ 8 centers, so rows in
// lanes can only win for few centers: measured on one loaded core, one iteration at n=65536
// k=3 took 0.92 → 0.33–0.69 of the gathering tile's time at d=32, while in cache at d=8…16
// both paths are within noise of each other.
func useTransposedF64(d, k int) bool { return d >= 16 && k <= 4 }

// lloydTransposed runs the whole tiles (32 float32 or 16 float64 rows) of the few-center pass
// with rows in lanes, adding the rows into the padded sums acc (stride st), and returns how
// many rows it did. x, c, cnorm, labels and w (nil or n long) are checked by the caller.
func (s simdSet[T, I]) lloydTransposed(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, acc []float64, st int) int {
	tile := s.lanes * s.rvs
	full := n / tile * tile
	if full == 0 {
		return 0
	}
	var pack [smallKMaxD * maxTileRows]T
	var idx, lab [maxTileRows]I
	var best [maxTileRows]T
	vstep := s.tileSetup(ldx, &idx)
	var tab [deinterleaveMaxD * 4 * 16]int32
	narrow := !s.is64() && d <= deinterleaveMaxD && ldx == d
	if narrow {
		deinterleaveTable(d, &tab)
	}
	// Prefetch distance (accPadded prefetches row by row): two tiles, at least 8 KB.
	pf := max(8192, 2*tile*ldx*int(unsafe.Sizeof(T(0))))
	for i := 0; i < full; i += tile {
		var wi *T
		if w != nil {
			wi = &w[i]
		}
		xi := &x[i*ldx]
		if s.is64() {
			transposeF64AVX512(f64p(xi), ldx, d, f64p(&pack[0]))
			nearestPrePackedF64AVX512(f64p(xi), i64p(&idx[0]), vstep, i64p(&idx[0]), tile, d, f64p(&c[0]), k,
				f64p(&cnorm[0]), f64p(&best[0]), i64p(&lab[0]), f64p(&pack[0]))
		} else {
			if narrow {
				deinterleave(d, f32p(xi), &tab[0], f32p(&pack[0]))
			} else {
				transposeF32AVX512(f32p(xi), ldx, d, f32p(&pack[0]))
			}
			nearestPrePackedF32AVX512(f32p(xi), i32p(&idx[0]), vstep, i32p(&idx[0]), tile, d, f32p(&c[0]), k,
				f32p(&cnorm[0]), f32p(&best[0]), i32p(&lab[0]), f32p(&pack[0]))
		}
		for r := 0; r < tile; r++ {
			labels[i+r] = int32(lab[r])
		}
		if s.is64() {
			accPaddedF64AVX512(f64p(xi), ldx, tile, d, &labels[i], f64p(wi), &acc[0], st, pf)
		} else {
			accPaddedF32AVX512(f32p(xi), ldx, tile, d, &labels[i], f32p(wi), &acc[0], st, pf)
		}
	}
	return full
}

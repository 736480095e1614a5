//go:build !purego && !noasm

package kernels

// sqNorms8F64AVX512 writes out[r] = dotF64AVX512(row r, row r, d) for the 8 rows of d features
// (d a multiple of 8) starting at x with row stride ldx elements, bit for bit (norms_amd64.s).
//
//go:noescape
func sqNorms8F64AVX512(x *float64, ldx, d int, out *float64)

// sqNorms8 reports whether this backend has the eight-row norms kernel for d, and if so writes
// the norms of rows [0, 8·⌊n/8⌋) of x and returns how many rows it did. The per-row dot kernel
// spent most of its time folding one vector at a time (a chain of dependent adds and shuffles
// per row): eight rows fold together in the same number of instructions.
func (s simdSet[T, I]) sqNorms8(x []T, ldx, n, d int, out []T) int {
	if !s.avx512 || !s.is64() || d%8 != 0 || d == 0 {
		return 0
	}
	done := n &^ 7
	for i := 0; i < done; i += 8 {
		sqNorms8F64AVX512(f64p(&x[i*ldx]), ldx, d, f64p(&out[i]))
	}
	return done
}

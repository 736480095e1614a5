//go:build !purego && !noasm

package kernels

import "unsafe"

// Direct calls from the generic simdSet methods to the assembly of its backend and element
// type. The pointer casts only restate T and I as the concrete types they are (the element
// size tells float64/int64 from float32/int32); being direct calls to //go:noescape functions,
// they let the tile's small arrays stay on the stack.

func (s simdSet[T, I]) is64() bool { return unsafe.Sizeof(T(0)) == 8 }

func f64p[T any](p *T) *float64 { return (*float64)(unsafe.Pointer(p)) }
func f32p[T any](p *T) *float32 { return (*float32)(unsafe.Pointer(p)) }
func i64p[I any](p *I) *int64   { return (*int64)(unsafe.Pointer(p)) }
func i32p[I any](p *I) *int32   { return (*int32)(unsafe.Pointer(p)) }

func (s simdSet[T, I]) dotAsm(a, b *T, n int) T {
	switch {
	case s.is64() && s.avx512:
		return T(dotF64AVX512(f64p(a), f64p(b), n))
	case s.is64():
		return T(dotF64AVX2(f64p(a), f64p(b), n))
	case s.avx512:
		return T(dotF32AVX512(f32p(a), f32p(b), n))
	}
	return T(dotF32AVX2(f32p(a), f32p(b), n))
}

func (s simdSet[T, I]) tileAsm(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int, cnorm, best *T, lab *I) {
	switch {
	case s.is64() && s.avx512:
		nearestF64AVX512(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(best), i64p(lab))
	case s.is64():
		nearestF64AVX2(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(best), i64p(lab))
	case s.avx512:
		nearestF32AVX512(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(best), i32p(lab))
	default:
		nearestF32AVX2(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(best), i32p(lab))
	}
}

func (s simdSet[T, I]) tilePacked(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int, cnorm, best *T, lab *I, pack *T) {
	switch {
	case s.is64() && s.avx512:
		nearestPackedF64AVX512(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(best), i64p(lab), f64p(pack))
	case s.is64():
		nearestPackedF64AVX2(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(best), i64p(lab), f64p(pack))
	case s.avx512:
		nearestPackedF32AVX512(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(best), i32p(lab), f32p(pack))
	default:
		nearestPackedF32AVX2(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(best), i32p(lab), f32p(pack))
	}
}

func (s simdSet[T, I]) valuesAsm(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int, cnorm, out *T) {
	switch {
	case s.is64() && s.avx512:
		valuesF64AVX512(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(out))
	case s.is64():
		valuesF64AVX2(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(out))
	case s.avx512:
		valuesF32AVX512(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(out))
	default:
		valuesF32AVX2(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(out))
	}
}

func (s simdSet[T, I]) valsPacked(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int, cnorm, out, pack *T) {
	switch {
	case s.is64() && s.avx512:
		valuesPackedF64AVX512(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(out), f64p(pack))
	case s.is64():
		valuesPackedF64AVX2(f64p(x), i64p(idx), vstep, i64p(mask), nrows, d, f64p(c), k, f64p(cnorm), f64p(out), f64p(pack))
	case s.avx512:
		valuesPackedF32AVX512(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(out), f32p(pack))
	default:
		valuesPackedF32AVX2(f32p(x), i32p(idx), vstep, i32p(mask), nrows, d, f32p(c), k, f32p(cnorm), f32p(out), f32p(pack))
	}
}

func (s simdSet[T, I]) accAsm(x *T, ldx, n, d int, labels *int32, w *T, sums, wsum *float64) {
	switch {
	case s.is64() && s.avx512:
		accumulateF64AVX512(f64p(x), ldx, n, d, labels, f64p(w), sums, wsum)
	case s.is64():
		accumulateF64AVX2(f64p(x), ldx, n, d, labels, f64p(w), sums, wsum)
	case s.avx512:
		accumulateF32AVX512(f32p(x), ldx, n, d, labels, f32p(w), sums, wsum)
	default:
		accumulateF32AVX2(f32p(x), ldx, n, d, labels, f32p(w), sums, wsum)
	}
}

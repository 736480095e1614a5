//go:build amd64 && !purego && !noasm

package gemm

//go:noescape
func dotAxpyAVX512(r, x, y *float64, n int, xi float64) float64

//go:noescape
func dotAVX512(x, y *float64, n int) float64

//go:noescape
func axpyAVX512(alpha float64, x, y *float64, n int)

//go:noescape
func axpyAVX2(alpha float64, x, y *float64, n int)

// dotAxpy returns Σ r[j]·x[j] and adds xi·r[j] to y[j], for j < len(r).
func dotAxpy(r, x, y []float64, xi float64) float64 {
	n := len(r)
	x, y = x[:n], y[:n]
	if n == 0 || kern64.name != "avx512" {
		return dotAxpyGeneric(r, x, y, xi)
	}
	return dotAxpyAVX512(&r[0], &x[0], &y[0], n, xi)
}

// Dot returns Σ x[j]·y[j] over j < len(x) (y at least as long). The order of the additions is
// the backend's (eight-lane partial sums on AVX-512), fixed for a given length.
func Dot(x, y []float64) float64 {
	n := len(x)
	y = y[:n]
	if n == 0 || kern64.name != "avx512" {
		return dotGeneric(x, y)
	}
	return dotAVX512(&x[0], &y[0], n)
}

// Axpy adds alpha·x[j] to y[j] for j < len(x) (y at least as long).
func Axpy(alpha float64, x, y []float64) {
	n := len(x)
	y = y[:n]
	switch {
	case n == 0:
	case kern64.name == "avx512":
		axpyAVX512(alpha, &x[0], &y[0], n)
	case kern64.name == "avx2":
		axpyAVX2(alpha, &x[0], &y[0], n)
	default:
		axpyGeneric(alpha, x, y)
	}
}

// FastLevel1 reports whether Dot, Axpy and Symv all run on SIMD kernels (else Dot and Symv, at
// least, on plain Go loops: AVX2 has only Axpy's).
func FastLevel1() bool { return kern64.name == "avx512" }

//go:noescape
func dotRows32AVX512(a *float64, lda, m, n int, x, out *float64)

//go:noescape
func axpyRows32AVX512(a *float64, lda, m, n int, x *float64, incX int, acc *float64)

// DotRows sets out[i] = Σ_j a[i·lda+j]·x[j] (j < len(x)) for i < len(out): the rows of a
// row-major matrix times a vector. Narrow matrices (len(x) ≤ 32, as the panels of a blocked
// tridiagonal reduction) keep x in registers; wider ones take one Dot per row.
func DotRows(a []float64, lda int, x, out []float64) {
	m, n := len(out), len(x)
	if m == 0 {
		return
	}
	_ = a[(m-1)*lda+n-min(n, 1)]
	switch {
	case n == 0 || kern64.name != "avx512":
		dotRowsGeneric(a, lda, x, out)
		return
	case n > 32:
		for i := range out {
			out[i] = dotAVX512(&a[i*lda], &x[0], n)
		}
		return
	}
	dotRows32AVX512(&a[0], lda, m, n, &x[0], &out[0])
}

// AxpyRows adds Σ_i x[i·incX]·a[i·lda+j] to acc[j] for j < len(acc), over the m rows i < m:
// the transposed product, row by row. Columns go in blocks of 32 whose sums stay in registers.
func AxpyRows(a []float64, lda, m int, x []float64, incX int, acc []float64) {
	n := len(acc)
	if m == 0 || n == 0 {
		return
	}
	_ = a[(m-1)*lda+n-1]
	_ = x[(m-1)*incX]
	if kern64.name != "avx512" {
		axpyRowsGeneric(a, lda, m, x, incX, acc)
		return
	}
	for j := 0; j < n; j += 32 {
		axpyRows32AVX512(&a[j], lda, m, min(32, n-j), &x[0], incX, &acc[j])
	}
}

//go:noescape
func dot2Axpy2AVX512(r0, r1, x, y *float64, n int, x0, x1 float64) (s0, s1 float64)

// dot2Axpy2 returns Σ r0[j]·x[j] and Σ r1[j]·x[j], and adds x0·r0[j] + x1·r1[j] to y[j], for
// j < len(r0) (r1, x, y at least as long).
func dot2Axpy2(r0, r1, x, y []float64, x0, x1 float64) (float64, float64) {
	n := len(r0)
	r1, x, y = r1[:n], x[:n], y[:n]
	if n == 0 || kern64.name != "avx512" {
		return dot2Axpy2Generic(r0, r1, x, y, x0, x1)
	}
	return dot2Axpy2AVX512(&r0[0], &r1[0], &x[0], &y[0], n, x0, x1)
}

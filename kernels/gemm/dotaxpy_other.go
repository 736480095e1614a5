//go:build !amd64 || purego || noasm

package gemm

func dotAxpy(r, x, y []float64, xi float64) float64 { return dotAxpyGeneric(r, x, y, xi) }

// Dot returns Σ x[j]·y[j] over j < len(x) (y at least as long), in order.
func Dot(x, y []float64) float64 { return dotGeneric(x, y[:len(x)]) }

// Axpy adds alpha·x[j] to y[j] for j < len(x) (y at least as long).
func Axpy(alpha float64, x, y []float64) { axpyGeneric(alpha, x, y[:len(x)]) }

// FastLevel1 reports whether Dot, Axpy and Symv run on SIMD kernels (else on plain Go loops).
func FastLevel1() bool { return false }

// DotRows sets out[i] = Σ_j a[i·lda+j]·x[j] (j < len(x)) for i < len(out).
func DotRows(a []float64, lda int, x, out []float64) { dotRowsGeneric(a, lda, x, out) }

// AxpyRows adds Σ_i x[i·incX]·a[i·lda+j] to acc[j] for j < len(acc), over the m rows i < m.
func AxpyRows(a []float64, lda, m int, x []float64, incX int, acc []float64) {
	axpyRowsGeneric(a, lda, m, x, incX, acc)
}

func dot2Axpy2(r0, r1, x, y []float64, x0, x1 float64) (float64, float64) {
	n := len(r0)
	return dot2Axpy2Generic(r0, r1[:n], x[:n], y[:n], x0, x1)
}

package fastblas

import (
	"gonum.org/v1/gonum/blas"

	"github.com/fastmva/fastmva/kernels/gemm"
)

// gemvStack is the vector length up to which Dgemv's scratch lives on the stack (Dlatrd, the
// caller that matters, passes panels at most its block width, 32, wide), and its row block.
const gemvStack = 64

// Dgemv computes y = α·A·x + β·y (NoTrans) or y = α·Aᵀ·x + β·y (Trans), A m×n row-major. It
// runs on the SIMD level-1 kernels: one dot product per row (NoTrans) or one axpy per row into a
// contiguous accumulator (Trans); narrow panels keep their vector in registers. Dlatrd calls it six times per column on panels up to 32 wide
// with strided vectors, where gonum's loops spend most of their time in per-row overhead and
// tails. Where the kernels are not SIMD, gonum's own loop serves.
func (f Float64) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int,
	beta float64, y []float64, incY int) {
	// Empty, α = 0 and the checks of bad arguments stay with gonum.
	if !validTrans(tA) || m <= 0 || n <= 0 || incX <= 0 || incY <= 0 || alpha == 0 || !gemm.FastLevel1() {
		f.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	lx, ly := n, m
	if tA != blas.NoTrans {
		lx, ly = m, n
	}
	need("a", m, n, lda, len(a))
	if len(x) < (lx-1)*incX+1 || len(y) < (ly-1)*incY+1 {
		panic("blas: insufficient length of x or y")
	}
	var xbuf, ybuf [gemvStack]float64
	if tA == blas.NoTrans {
		xs := x[:n]
		if incX != 1 {
			xs = xbuf[:]
			if n > gemvStack {
				xs = make([]float64, n)
			}
			xs = xs[:n]
			for j := range xs {
				xs[j] = x[j*incX]
			}
		}
		// Rows in blocks of gemvStack: their dot products land in ybuf, then in y.
		for i0 := 0; i0 < m; i0 += gemvStack {
			out := ybuf[:min(gemvStack, m-i0)]
			gemm.DotRows(a[i0*lda:], lda, xs, out)
			update(y[i0*incY:], incY, alpha, beta, out)
		}
		return
	}
	acc := ybuf[:]
	if n > gemvStack {
		acc = make([]float64, n)
	}
	acc = acc[:n]
	clear(acc)
	gemm.AxpyRows(a, lda, m, x, incX, acc)
	update(y, incY, alpha, beta, acc)
}

// update sets y[i·incY] = β·y[i·incY] + α·v[i]; β = 0 does not read y.
func update(y []float64, incY int, alpha, beta float64, v []float64) {
	if len(v) == 0 {
		return
	}
	y = y[:(len(v)-1)*incY+1]
	switch beta {
	case 0:
		for i, s := range v {
			y[i*incY] = alpha * s
		}
	case 1:
		for i, s := range v {
			y[i*incY] += alpha * s
		}
	default:
		for i, s := range v {
			y[i*incY] = beta*y[i*incY] + alpha*s
		}
	}
}

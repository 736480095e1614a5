// Package fastblas is a gonum blas.Float64 / blas.Float32 implementation whose level-3 products
// (gemm, syrk, syr2k, and trmm above a size) run on fastmva's packed kernels (kernels/gemm), as
// does Dsymv; every other routine is gonum's native one. Installed with Use, it makes gonum's
// LAPACK (Dsytrd, Dgeqrf, Dormqr, …) run its blocked updates on those kernels.
//
// Dtrsm stays gonum's: in the blocked LAPACK routines fastmva uses it acts on nb×nb triangles
// (nb ≤ 64), O(n·nb²) work beside the O(n²·nb) of the GEMMs. Dtrmm does too, but Dlarfb calls it
// three times per block on n×nb panels, and gonum's scalar loops made it a tenth of Dormqr.
package fastblas

import (
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/fastmva/fastmva/kernels/gemm"
)

// smallWork is the multiply-add count under which a call stays with gonum: packing costs more
// than it saves on products this small.
const smallWork = 16 * 16 * 16

// Float64 implements blas.Float64. Threads bounds the goroutines of each call (≤ 0: GOMAXPROCS);
// results do not depend on it.
type Float64 struct {
	gonum.Implementation
	Threads int
}

// Float32 implements blas.Float32 the same way.
type Float32 struct {
	gonum.Implementation
	Threads int
}

var (
	_ blas.Float64 = Float64{}
	_ blas.Float32 = Float32{}
)

var useOnce sync.Once

// Use installs Float64 and Float32 (all threads) as gonum's blas64/blas32 implementations. It
// is process-wide — gonum has one global implementation — so it is called once, by the packages
// that run gonum's LAPACK (decomp); other gonum users in the process gain the same speed.
func Use() {
	useOnce.Do(func() {
		blas64.Use(Float64{})
		blas32.Use(Float32{})
	})
}

// Dgemm computes C = α·op(A)·op(B) + β·C.
func (f Float64) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, c []float64, ldc int) {
	if checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	if m*n*k < smallWork {
		f.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm.Gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f.Threads)
}

// Sgemm is Dgemm for float32.
func (f Float32) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if checkGemm(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	if m*n*k < smallWork {
		f.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm.Gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f.Threads)
}

// Dsyrk computes C = α·A·Aᵀ + β·C (NoTrans, A n×k) or α·Aᵀ·A + β·C on the triangle ul.
func (f Float64) Dsyrk(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int,
	beta float64, c []float64, ldc int) {
	if checkSyrk(ul, tA, n, k, lda, lda, ldc, len(a), len(a), len(c)) {
		return
	}
	if n*n*k < 2*smallWork {
		f.Implementation.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	gemm.Syrk(tri(ul), tA != blas.NoTrans, n, k, alpha, a, lda, beta, c, ldc, f.Threads)
}

// Ssyrk is Dsyrk for float32.
func (f Float32) Ssyrk(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float32, a []float32, lda int,
	beta float32, c []float32, ldc int) {
	if checkSyrk(ul, tA, n, k, lda, lda, ldc, len(a), len(a), len(c)) {
		return
	}
	if n*n*k < 2*smallWork {
		f.Implementation.Ssyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	gemm.Syrk(tri(ul), tA != blas.NoTrans, n, k, alpha, a, lda, beta, c, ldc, f.Threads)
}

// Dsyr2k computes C = α·(A·Bᵀ + B·Aᵀ) + β·C (NoTrans) or α·(Aᵀ·B + Bᵀ·A) + β·C on the
// triangle ul, as two triangular products (β applied by the first).
func (f Float64) Dsyr2k(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, c []float64, ldc int) {
	if checkSyrk(ul, tA, n, k, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	if n*n*k < 2*smallWork {
		f.Implementation.Dsyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	t := tA != blas.NoTrans
	gemm.GemmTri(tri(ul), t, !t, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f.Threads)
	gemm.GemmTri(tri(ul), t, !t, n, k, alpha, b, ldb, a, lda, 1, c, ldc, f.Threads)
}

// Ssyr2k is Dsyr2k for float32.
func (f Float32) Ssyr2k(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	if checkSyrk(ul, tA, n, k, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	if n*n*k < 2*smallWork {
		f.Implementation.Ssyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	t := tA != blas.NoTrans
	gemm.GemmTri(tri(ul), t, !t, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f.Threads)
	gemm.GemmTri(tri(ul), t, !t, n, k, alpha, b, ldb, a, lda, 1, c, ldc, f.Threads)
}

func tri(ul blas.Uplo) gemm.Triangle {
	if ul == blas.Upper {
		return gemm.Upper
	}
	return gemm.Lower
}

// Dsymv computes y = α·A·x + β·y for symmetric A (triangle ul). For n ≥ 64 it runs on
// gemm.Symv (one pass over the stored triangle, SIMD, parallel), gathering strided x and
// scattering strided y (Dlatrd passes matrix columns): the symmetric products are half the
// work of the tridiagonal reduction, and gonum's scalar loop made them its bottleneck.
func (f Float64) Dsymv(ul blas.Uplo, n int, alpha float64, a []float64, lda int, x []float64, incX int,
	beta float64, y []float64, incY int) {
	if ul != blas.Upper && ul != blas.Lower {
		panic("blas: illegal triangle")
	}
	if n < 64 || incX <= 0 || incY <= 0 || alpha == 0 {
		f.Implementation.Dsymv(ul, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	need("a", n, n, lda, len(a))
	if len(x) < (n-1)*incX+1 || len(y) < (n-1)*incY+1 {
		panic("blas: insufficient length of x or y")
	}
	// One buffer for the gathered x and the product (Symv hands them to its goroutines, so
	// they cannot live on this stack), recycled: Dsytrd calls this once per column.
	pb := dsymvBufs.Get().(*[]float64)
	if cap(*pb) < 2*n {
		*pb = make([]float64, 2*n)
	}
	buf := (*pb)[:2*n]
	defer func() { *pb = buf; dsymvBufs.Put(pb) }()
	xs, t := x[:n], buf[n:2*n]
	if incX != 1 {
		xs = buf[:n]
		for i := range xs {
			xs[i] = x[i*incX]
		}
	}
	gemm.Symv(ul == blas.Upper, n, alpha, a, lda, xs, t, f.Threads)
	for i, v := range t {
		yi := &y[i*incY]
		switch beta {
		case 0:
			*yi = v
		case 1:
			*yi += v
		default:
			*yi = beta**yi + v
		}
	}
}

var dsymvBufs = sync.Pool{New: func() any { return new([]float64) }}

// trmmWork is the multiply-add count of the full square product above which Dtrmm runs on the
// GEMM kernels. Dlarfb (under Dormqr, Dgeqrf, …) calls Dtrmm on nb×nb triangles against n×nb
// panels; gonum's scalar loops there cost as much as the blocked GEMMs themselves.
const trmmWork = 16 * 64 * 64

// Dtrmm computes B = α·op(A)·B (Left) or α·B·op(A) (Right) for triangular A. Above trmmWork it
// copies the triangle into a dense square (explicit zeros, and ones on a unit diagonal) and B
// into a scratch matrix, and runs one GEMM: twice the flops of the triangle, on kernels many
// times faster than gonum's loop.
func (f Float64) Dtrmm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float64,
	a []float64, lda int, b []float64, ldb int) {
	k := m
	if s == blas.Right {
		k = n
	}
	if (s != blas.Left && s != blas.Right) || (ul != blas.Upper && ul != blas.Lower) || !validTrans(tA) ||
		(d != blas.Unit && d != blas.NonUnit) || m < 0 || n < 0 || alpha == 0 || k*m*n < trmmWork || k < 8 {
		f.Implementation.Dtrmm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	need("a", k, k, lda, len(a))
	need("b", m, n, ldb, len(b))
	buf := make([]float64, k*k+m*n)
	t, tmp := buf[:k*k], buf[k*k:]
	for i := 0; i < k; i++ {
		lo, hi := 0, i+1
		if ul == blas.Upper {
			lo, hi = i, k
		}
		copy(t[i*k+lo:i*k+hi], a[i*lda+lo:i*lda+hi])
		if d == blas.Unit {
			t[i*k+i] = 1
		}
	}
	for i := 0; i < m; i++ {
		copy(tmp[i*n:(i+1)*n], b[i*ldb:i*ldb+n])
	}
	if s == blas.Left {
		gemm.Gemm(tA != blas.NoTrans, false, m, n, m, alpha, t, k, tmp, n, 0, b, ldb, f.Threads)
	} else {
		gemm.Gemm(false, tA != blas.NoTrans, m, n, n, alpha, tmp, n, t, k, 0, b, ldb, f.Threads)
	}
}

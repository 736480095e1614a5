package decomp

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"

	"github.com/fastmva/fastmva/internal/fastblas"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// EigSym computes the eigenvalues of the symmetric n×n matrix a (row-major, stride lda; only
// its upper triangle is read) into w, ascending. If vecs is not nil, column j of vecs (n×n,
// stride ldv) receives the unit eigenvector of w[j]. a is overwritten. threads ≤ 0 means
// GOMAXPROCS; the result does not depend on it.
func EigSym(n int, a []float64, lda int, w []float64, vecs []float64, ldv int, threads int) error {
	switch {
	case n < 0:
		return fault.Invalid("EigSym: negative order %d", n)
	case n == 0:
		return nil
	case lda < n || len(a) < (n-1)*lda+n:
		return fault.Invalid("EigSym: a (%d elements, stride %d) does not hold %d×%d", len(a), lda, n, n)
	case len(w) < n:
		return fault.Invalid("EigSym: w has %d elements, need %d", len(w), n)
	case vecs != nil && (ldv < n || len(vecs) < (n-1)*ldv+n):
		return fault.Invalid("EigSym: vecs (%d elements, stride %d) does not hold %d×%d", len(vecs), ldv, n, n)
	}
	fastblas.Use()
	var impl gonum.Implementation
	d, e, tau := make([]float64, n), make([]float64, max(n-1, 1)), make([]float64, max(n-1, 1))
	work := make([]float64, 1)
	impl.Dsytrd(blas.Upper, n, a, lda, d, e, tau, work, -1)
	work = make([]float64, int(work[0]))
	impl.Dsytrd(blas.Upper, n, a, lda, d, e, tau, work, len(work))
	if vecs == nil {
		if !impl.Dsterf(n, d, e) {
			return fault.Internal("EigSym: tridiagonal QR iteration did not converge")
		}
		copy(w, d)
		return nil
	}
	lam, z := tridiagEigen(d, e[:n-1], threads)
	copy(w, lam)
	// Q from the Householder reflectors (blocked, on the GEMM kernels), then vecs = Q·Z.
	impl.Dorgtr(blas.Upper, n, a, lda, tau, work, -1)
	if int(work[0]) > len(work) {
		work = make([]float64, int(work[0]))
	}
	impl.Dorgtr(blas.Upper, n, a, lda, tau, work, len(work))
	gemm.Gemm(false, false, n, n, n, 1, a, lda, z, n, 0, vecs, ldv, threads)
	return nil
}

package decomp

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"

	"github.com/fastmva/fastmva/internal/fastblas"
	"github.com/fastmva/fastmva/internal/fault"
)

// backNB is the reflector block width of the back-transform (applyQ).
var backNB = 96

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
	// The lower triangle gets the upper one, and the reduction runs on it: Dsytrd(Lower) keeps
	// its reflectors in QR form (Q = H(1)···H(n−1)), so the back-transform vecs = Q·Z is one
	// blocked Dormqr (2n³ flops on the GEMM kernels) instead of forming Q (Dorgtr, 4n³/3) and
	// multiplying (2n³).
	for i := 1; i < n; i++ {
		for j := 0; j < i; j++ {
			a[i*lda+j] = a[j*lda+i]
		}
	}
	d, e, tau := make([]float64, n), make([]float64, max(n-1, 1)), make([]float64, max(n-1, 1))
	work := make([]float64, 1)
	impl.Dsytrd(blas.Lower, n, a, lda, d, e, tau, work, -1)
	work = make([]float64, int(work[0]))
	impl.Dsytrd(blas.Lower, n, a, lda, d, e, tau, work, len(work))
	if vecs == nil {
		if !impl.Dsterf(n, d, e) {
			return fault.Internal("EigSym: tridiagonal QR iteration did not converge")
		}
		copy(w, d)
		return nil
	}
	tridiagEigen(d, e[:n-1], w, vecs, ldv, threads)
	if n > 1 {
		// Row 0 of Q is e₀; rows 1… are the QR reflectors stored below the subdiagonal.
		applyQ(n-1, n, n-1, a[lda:], lda, tau, vecs[ldv:], ldv, backNB, threads)
	}
	if n >= scratchDrainOrder {
		drainScratch() // nothing of a large solve is kept for the next
	}
	return nil
}

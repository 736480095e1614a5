package decomp

import (
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"

	"github.com/fastmva/fastmva/internal/fastblas"
	"github.com/fastmva/fastmva/internal/fault"
)

// SVDSmall computes the thin SVD A = U·diag(s)·Vᵀ of the m×n matrix a (row-major, stride lda;
// overwritten), s descending, for the small dense factor of a QR-first SVD (the n×n R). u
// (m×min(m,n), stride ldu) and vt (min(m,n)×n, stride ldvt) may be nil to skip them.
//
// It is gonum's Dgesvd (bidiagonalisation, bidiagonal QR) running on fastblas: backward stable,
// so singular values carry an absolute error of O(eps·s_max) — rank-deficient inputs are fine —
// but its bidiagonal QR still applies scalar rotations to the vectors; a divide and conquer on
// the Golub–Kahan tridiagonal (reusing dc.go) is the planned replacement.
func SVDSmall(m, n int, a []float64, lda int, s []float64, u []float64, ldu int, vt []float64, ldvt int) error {
	k := min(m, n)
	switch {
	case m < 0 || n < 0:
		return fault.Invalid("SVDSmall: negative shape %d×%d", m, n)
	case k == 0:
		return nil
	case lda < n || len(a) < (m-1)*lda+n:
		return fault.Invalid("SVDSmall: a (%d elements, stride %d) does not hold %d×%d", len(a), lda, m, n)
	case len(s) < k:
		return fault.Invalid("SVDSmall: s has %d elements, need %d", len(s), k)
	case u != nil && (ldu < k || len(u) < (m-1)*ldu+k):
		return fault.Invalid("SVDSmall: u does not hold %d×%d with stride %d", m, k, ldu)
	case vt != nil && (ldvt < n || len(vt) < (k-1)*ldvt+n):
		return fault.Invalid("SVDSmall: vt does not hold %d×%d with stride %d", k, n, ldvt)
	}
	fastblas.Use()
	var impl gonum.Implementation
	jobU, jobVT := lapack.SVDNone, lapack.SVDNone
	if u != nil {
		jobU = lapack.SVDStore
	} else {
		ldu = 1
	}
	if vt != nil {
		jobVT = lapack.SVDStore
	} else {
		ldvt = 1
	}
	work := make([]float64, 1)
	impl.Dgesvd(jobU, jobVT, m, n, a, lda, s, u, ldu, vt, ldvt, work, -1)
	work = make([]float64, int(work[0]))
	if !impl.Dgesvd(jobU, jobVT, m, n, a, lda, s, u, ldu, vt, ldvt, work, len(work)) {
		return fault.Internal("SVDSmall: bidiagonal QR iteration did not converge")
	}
	return nil
}

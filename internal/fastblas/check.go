package fastblas

import "gonum.org/v1/gonum/blas"

// The argument checks of the reference BLAS, panicking as gonum does (its LAPACK relies on
// BLAS catching bad arguments). Each returns true when there is nothing to do.

func validTrans(t blas.Transpose) bool {
	return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
}

// need panics unless a row-major rows×cols matrix with stride ld fits in n elements.
func need(name string, rows, cols, ld, n int) {
	if ld < max(1, cols) {
		panic("blas: bad leading dimension of " + name)
	}
	if rows > 0 && cols > 0 && n < ld*(rows-1)+cols {
		panic("blas: insufficient length of " + name)
	}
}

func checkGemm(tA, tB blas.Transpose, m, n, k, lda, ldb, ldc, na, nb, nc int) bool {
	if !validTrans(tA) || !validTrans(tB) {
		panic("blas: illegal transpose")
	}
	if m < 0 || n < 0 || k < 0 {
		panic("blas: negative dimension")
	}
	ar, ac := m, k
	if tA != blas.NoTrans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB != blas.NoTrans {
		br, bc = n, k
	}
	need("a", ar, ac, lda, na)
	need("b", br, bc, ldb, nb)
	need("c", m, n, ldc, nc)
	return m == 0 || n == 0
}

func checkSyrk(ul blas.Uplo, tA blas.Transpose, n, k, lda, ldb, ldc, na, nb, nc int) bool {
	if ul != blas.Upper && ul != blas.Lower {
		panic("blas: illegal triangle")
	}
	if !validTrans(tA) {
		panic("blas: illegal transpose")
	}
	if n < 0 || k < 0 {
		panic("blas: negative dimension")
	}
	r, c := n, k
	if tA != blas.NoTrans {
		r, c = k, n
	}
	need("a", r, c, lda, na)
	need("b", r, c, ldb, nb)
	need("c", n, n, ldc, nc)
	return n == 0
}

package gemm

// Reference is the plain loop that defines Gemm/Syrk/GemmTri (tri = Full for Gemm; for Syrk pass
// b = a, ldb = lda and transB = !transA): on the elements of triangle tri, C ← β·C (zero when
// β = 0), then, unless α = 0, C[i,j] += (α·op(A)[i,p])·op(B)[p,j] for p = 0, 1, …, k−1.
// The fast paths differ from it only in how the k sum is grouped (kc blocks) and in FMA
// rounding; tests bound that difference.
func Reference[T Float](tri Triangle, transA, transB bool, m, n, k int, alpha T, a []T, lda int,
	b []T, ldb int, beta T, c []T, ldc int) {
	at := func(i, p int) T {
		if transA {
			return a[p*lda+i]
		}
		return a[i*lda+p]
	}
	bt := func(p, j int) T {
		if transB {
			return b[j*ldb+p]
		}
		return b[p*ldb+j]
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			if !tri.in(i, j) {
				continue
			}
			cij := &c[i*ldc+j]
			switch beta {
			case 0:
				*cij = 0
			case 1:
			default:
				*cij *= beta
			}
			if alpha == 0 {
				continue
			}
			for p := 0; p < k; p++ {
				*cij += (alpha * at(i, p)) * bt(p, j)
			}
		}
	}
}

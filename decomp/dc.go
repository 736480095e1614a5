package decomp

import (
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
)

// dcLeaf is the size at or below which a tridiagonal block is solved by QR iteration (Dsteqr):
// there the rotations act on a small, cache-resident matrix. With the merges on SIMD kernels,
// 16 beat 32 by about 5% of the tridiagonal stage at n = 256 and 3% at 512 (8 was no better).
const dcLeaf = 16

// dcParallel is the size above which the two halves of a split are solved concurrently.
const dcParallel = 256

var eps = math.Nextafter(1, 2) - 1

// tridiagEigen writes the eigenvalues (ascending) of the symmetric tridiagonal matrix with
// diagonal d and off-diagonal e into w, and its eigenvectors into z (row-major n×n, stride ldz,
// column j for eigenvalue j). d and e are not modified. When ldz == n the top merge writes its
// vectors straight into z and the columns are sorted there with one row of scratch, so no other
// n×n matrix outlives the merge (at d = 4096 a second one is 128 MiB of peak memory); a wider
// stride takes a scratch matrix and a strided copy.
func tridiagEigen(d, e []float64, w, z []float64, ldz int, threads int) {
	n := len(d)
	scale := 0.0
	for _, v := range d {
		scale = max(scale, math.Abs(v))
	}
	for _, v := range e[:max(n-1, 0)] {
		scale = max(scale, math.Abs(v))
	}
	if scale == 0 || math.IsInf(scale, 0) || math.IsNaN(scale) {
		scale = 1
	}
	// Work on T/scale: the secular equation then never overflows.
	ds, es := make([]float64, n), make([]float64, max(n-1, 0))
	for i := range ds {
		ds[i] = d[i] / scale
	}
	for i := range es {
		es[i] = e[i] / scale
	}
	var dst []float64
	if ldz == n {
		dst = z[:n*n]
	}
	lam, q := dc(ds, es, threads, dst)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(lam[a], lam[b]) })
	for c, o := range order {
		w[c] = lam[o] * scale
	}
	var tmp []float64
	if dst != nil {
		tmp = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		row, src := z[i*ldz:i*ldz+n], q[i*n:(i+1)*n]
		if dst != nil {
			copy(tmp, src) // row and src are the same row of z
			src = tmp
		}
		for c, o := range order {
			row[c] = src[o]
		}
	}
	if dst == nil {
		putScratch(q)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// dc solves one tridiagonal block; the eigenpairs come back in no particular order. The vectors
// go into out (n·n elements, the caller's: never recycled) when it is not nil, else into a
// scratch matrix.
func dc(d, e []float64, threads int, out []float64) ([]float64, []float64) {
	n := len(d)
	if n <= dcLeaf {
		lam := append([]float64(nil), d...)
		off := append([]float64(nil), e...)
		q := out
		if q == nil {
			q = make([]float64, n*n)
		} else {
			clear(q[:n*n])
		}
		work := make([]float64, max(1, 2*n-2))
		if !(gonum.Implementation{}).Dsteqr(lapack.EVTridiag, n, lam, off, q, max(n, 1), work) {
			panic("decomp: QR iteration on a tridiagonal leaf did not converge")
		}
		return lam, q
	}
	// T = diag(T1, T2) + |ρ|·u·uᵀ with u = e_{m−1} + sign(ρ)·e_m.
	m := n / 2
	rho := e[m-1]
	sign := 1.0
	if rho < 0 {
		sign = -1
	}
	d1 := append([]float64(nil), d[:m]...)
	d2 := append([]float64(nil), d[m:]...)
	d1[m-1] -= math.Abs(rho)
	d2[0] -= math.Abs(rho)
	var lam1, q1, lam2, q2 []float64
	if n >= dcParallel && threads != 1 {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); lam1, q1 = dc(d1, e[:m-1], threads, nil) }()
		lam2, q2 = dc(d2, e[m:], threads, nil)
		wg.Wait()
	} else {
		lam1, q1 = dc(d1, e[:m-1], threads, nil)
		lam2, q2 = dc(d2, e[m:], threads, nil)
	}
	return merge(lam1, q1, lam2, q2, math.Abs(rho), sign, threads, out)
}

package decomp

import (
	"math"
	"runtime"
	"slices"

	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// gcMergeOrder is the order from which a merge first collects the garbage of the levels below
// (a forced collection costs milliseconds; these merges take seconds).
const gcMergeOrder = 1024

// merge combines the eigen-decompositions Q1·Λ1·Q1ᵀ (m×m) and Q2·Λ2·Q2ᵀ of the two halves into
// that of diag(T1, T2) + ρ·u·uᵀ, u = e_{m−1} + sign·e_m, ρ ≥ 0: with Q = diag(Q1, Q2) it is
// Q·(Λ + ρ·z·zᵀ)·Qᵀ, z = Qᵀu, whose eigenvectors come from the secular equation. The vectors
// are written into out (n·n elements) when it is not nil.
func merge(lam1, q1, lam2, q2 []float64, rho, sign float64, threads int, out []float64) ([]float64, []float64) {
	m, m2 := len(lam1), len(lam2)
	n := m + m2
	if n >= gcMergeOrder {
		// The levels below left about 3·n² doubles of dead matrices (their Q, products and
		// secular vectors); collect them before this merge allocates its own n×n ones, so
		// the peak is the live data rather than the collector's 2× headroom over it.
		runtime.GC()
	}
	d := append(append(make([]float64, 0, n), lam1...), lam2...)
	z := make([]float64, n)
	copy(z, q1[(m-1)*m:m*m])
	for i, v := range q2[:m2] {
		z[m+i] = sign * v
	}
	// ‖z‖² = 2 (two unit rows): normalise z and fold the 2 into ρ.
	rho *= 2
	for i := range z {
		z[i] *= math.Sqrt2 / 2
	}
	q := make([]float64, n*n)
	for i := 0; i < m; i++ {
		copy(q[i*n:i*n+m], q1[i*m:(i+1)*m])
	}
	for i := 0; i < m2; i++ {
		copy(q[(m+i)*n+m:(m+i+1)*n], q2[i*m2:(i+1)*m2])
	}

	kind := make([]colKind, n)
	for c := m; c < n; c++ {
		kind[c] = colBottom
	}
	nd, defl, deflLam := deflate(d, z, q, n, rho, kind)
	k := len(nd)
	lam := make([]float64, n)
	if out == nil {
		out = make([]float64, n*n)
	}
	if k > 0 {
		ds, zs := make([]float64, k), make([]float64, k)
		for i, c := range nd {
			ds[i], zs[i] = d[c], z[c]
		}
		roots := solveSecular(ds, zs, rho, threads)
		zh := secularZHat(ds, zs, rho, roots)
		// The new vectors: (columns nd of Q)·V, written into columns 0..k−1 of out. Q is
		// diag(Q1, Q2) except for columns a deflation rotation mixed across the halves, so the
		// top rows take only the Q1 and mixed columns, the bottom rows only the mixed and Q2
		// ones (as LAPACK's dlaed3): two GEMMs of about half the flops of the full product.
		// V is formed a block of vecCols columns at a time, its rows in the order top, mixed,
		// bottom, so each product reads a contiguous band of the block and V never exists
		// whole (k×k would be as large as Q at the top merge).
		var top, mixed, bot []int
		for i, c := range nd {
			switch kind[c] {
			case colTop:
				top = append(top, i)
			case colBottom:
				bot = append(bot, i)
			default:
				mixed = append(mixed, i)
			}
		}
		sel := append(append(append(make([]int, 0, k), top...), mixed...), bot...)
		pos := make([]int, k) // row of V's block where secular row i goes
		for r, i := range sel {
			pos[i] = r
		}
		nt, nm := len(top), len(mixed)
		vb := make([]float64, k*min(vecCols, k))
		for j0 := 0; j0 < k; j0 += vecCols {
			cb := min(vecCols, k-j0)
			secularColumns(ds, zh, roots, j0, j0+cb, pos, vb[:k*cb], threads)
			blockProduct(q, n, 0, m, nd, sel[:nt+nm], vb[:(nt+nm)*cb], j0, cb, out, threads)
			blockProduct(q, n, m, n, nd, sel[nt:], vb[nt*cb:k*cb], j0, cb, out, threads)
		}
		for j, r := range roots {
			lam[j] = ds[r.origin] + r.tau
		}
	}
	for t, c := range defl {
		lam[k+t] = deflLam[t]
		for i := 0; i < n; i++ {
			out[i*n+k+t] = q[i*n+c]
		}
	}
	return lam, out
}

// colKind says which rows of a column of diag(Q1, Q2) can be nonzero.
type colKind uint8

const (
	colTop    colKind = iota // rows of Q1 only
	colBottom                // rows of Q2 only
	colMixed                 // both: rotated with a column of the other half
)

// productRows is the number of rows of Q gathered per GEMM in blockProduct: the gathered copy
// stays a few MiB instead of half of Q.
const productRows = 256

// blockProduct writes rows [r0, r1) of columns [j0, j0+cb) of out (n×n) as
// Σ_j q[r, nd[sel[j]]]·vs[j, :], vs being len(sel)×cb: the product restricted to the columns sel
// of Q that have nonzeros in those rows. The terms are summed in the order of sel.
func blockProduct(q []float64, n, r0, r1 int, nd, sel []int, vs []float64, j0, cb int, out []float64, threads int) {
	kk := len(sel)
	w := make([]float64, min(productRows, r1-r0)*kk)
	for lo := r0; lo < r1; lo += productRows {
		rows := min(productRows, r1-lo)
		for r := 0; r < rows; r++ {
			src, dst := q[(lo+r)*n:(lo+r+1)*n], w[r*kk:(r+1)*kk]
			for j, i := range sel {
				dst[j] = src[nd[i]]
			}
		}
		gemm.Gemm(false, false, rows, cb, kk, 1, w, max(kk, 1), vs, cb, 0, out[lo*n+j0:], n, threads)
	}
}

// vecCols is the number of secular vectors formed and multiplied at a time: enough columns for
// an efficient GEMM, few enough that the block is small beside Q (the rows of Q are gathered
// once per block: about 1/vecCols of the product's work).
const vecCols = 1024

// deflate finds the eigenpairs of Λ + ρ·z·zᵀ that need no secular equation: components with
// ρ·|z_j| ≤ tol (the pair (d_j, e_j) is already one), and pairs of poles so close that a plane
// rotation of their two columns of q zeroes one z entry. It returns the columns left to the
// secular equation in increasing order of d (d and z updated in place), and the deflated
// columns with their eigenvalues.
func deflate(d, z, q []float64, n int, rho float64, kind []colKind) (nd, defl []int, deflLam []float64) {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(d[a], d[b]) })
	dmax := 0.0
	for _, v := range d {
		dmax = max(dmax, math.Abs(v))
	}
	tol := 8 * eps * max(dmax, rho)
	prev := -1
	for _, j := range idx {
		if rho*math.Abs(z[j]) <= tol {
			defl, deflLam = append(defl, j), append(deflLam, d[j])
			continue
		}
		if prev >= 0 {
			s, c := z[prev], z[j]
			tau := math.Hypot(c, s)
			c, s = c/tau, s/tau
			if math.Abs((d[j]-d[prev])*c*s) <= tol {
				// Rotate columns prev and j so z[prev] becomes 0; prev is then an eigenpair.
				z[j], z[prev] = tau, 0
				if kind[j] != kind[prev] {
					kind[j], kind[prev] = colMixed, colMixed
				}
				for i := 0; i < n; i++ {
					qp, qj := q[i*n+prev], q[i*n+j]
					q[i*n+prev] = c*qp - s*qj
					q[i*n+j] = s*qp + c*qj
				}
				dp, dj := d[prev], d[j]
				d[prev] = c*c*dp + s*s*dj
				d[j] = s*s*dp + c*c*dj
				defl, deflLam = append(defl, prev), append(deflLam, d[prev])
				prev = j
				continue
			}
			nd = append(nd, prev)
		}
		prev = j
	}
	if prev >= 0 {
		nd = append(nd, prev)
	}
	return nd, defl, deflLam
}

// The secular vectors: column j of V is the unit eigenvector of diag(d) + ρ·ẑ·ẑᵀ for root j,
// where ẑ is recomputed from the roots (Gu and Eisenstat): these are exact eigenvectors of a
// nearby problem, hence orthogonal to working accuracy however close the roots are.

// secularZHat returns ẑ.
func secularZHat(d, z []float64, rho float64, roots []root) []float64 {
	k := len(d)
	zh := make([]float64, k)
	for i := 0; i < k; i++ {
		p := roots[i].delta(d, i)
		for l := 0; l < k; l++ {
			if l != i {
				p *= roots[l].delta(d, i) / (d[i] - d[l])
			}
		}
		zh[i] = math.Copysign(math.Sqrt(math.Max(-p/rho, 0)), z[i])
	}
	return zh
}

// secularColumns writes columns [j0, j1) of V into vb (k×(j1−j0), row-major), row i of V
// going to row pos[i] of vb.
func secularColumns(d, zh []float64, roots []root, j0, j1 int, pos []int, vb []float64, threads int) {
	k, cb := len(d), j1-j0
	ch := parallel.Split(cb, 64, 64)
	_ = parallel.Run(ch, threads, func(_, lo, hi int) error {
		col := make([]float64, k)
		for j := j0 + lo; j < j0+hi; j++ {
			var ss float64
			for i := 0; i < k; i++ {
				col[i] = zh[i] / roots[j].delta(d, i)
				ss += col[i] * col[i]
			}
			inv := 1 / math.Sqrt(ss)
			for i := 0; i < k; i++ {
				vb[pos[i]*cb+j-j0] = col[i] * inv
			}
		}
		return nil
	})
}

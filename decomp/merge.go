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
// are written into out (n·n elements, the caller's: never recycled) when it is not nil, else
// into a scratch matrix.
func merge(lam1, q1, lam2, q2 []float64, rho, sign float64, threads int, out []float64) ([]float64, []float64) {
	m, m2 := len(lam1), len(lam2)
	n := m + m2
	if n >= gcMergeOrder {
		// The levels below left dead matrices (their Q, products and secular vectors), some
		// parked in the scratch pools: from scratchDrainOrder on, empty the pools too, then
		// collect before this merge allocates its own n×n ones, so the peak is the live data
		// rather than the collector's 2× headroom over it.
		if n >= scratchDrainOrder {
			drainScratch()
		}
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
	q := getScratch(n * n)
	for i := 0; i < m; i++ {
		copy(q[i*n:i*n+m], q1[i*m:(i+1)*m])
		clear(q[i*n+m : (i+1)*n])
	}
	for i := 0; i < m2; i++ {
		clear(q[(m+i)*n : (m+i)*n+m])
		copy(q[(m+i)*n+m:(m+i+1)*n], q2[i*m2:(i+1)*m2])
	}
	putScratch(q1)
	putScratch(q2)

	kind := make([]colKind, n)
	for c := m; c < n; c++ {
		kind[c] = colBottom
	}
	nd, defl, deflLam := deflate(d, z, q, n, rho, kind)
	k := len(nd)
	lam := make([]float64, n)
	// Every entry of out is written below: columns < k by the GEMMs (β = 0), the others by
	// the copies of the deflated columns.
	if out == nil {
		out = getScratch(n * n)
	}
	if k > 0 {
		ds, zs := make([]float64, k), make([]float64, k)
		for i, c := range nd {
			ds[i], zs[i] = d[c], z[c]
		}
		roots := solveSecular(ds, zs, rho, threads)
		zh := secularZHat(ds, zs, rho, roots, threads)
		// The new vectors: (columns nd of Q)·V, written into columns 0..k−1 of out. Q is
		// diag(Q1, Q2) except for columns a deflation rotation mixed across the halves, so the
		// top rows take only the Q1 and mixed columns, the bottom rows only the mixed and Q2
		// ones (as LAPACK's dlaed3): two GEMMs of about half the flops of the full product.
		// V is formed vecCols columns at a time, each column's entries in the order top,
		// mixed, bottom, so each product reads a contiguous band of the block and V never
		// exists whole (k×k would be as large as Q at the top merge).
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
		// The poles and ẑ in the order of sel: the kernels then write each secular vector
		// in that order, contiguous.
		dsel, zsel := make([]float64, k), make([]float64, k)
		for r, i := range sel {
			dsel[r], zsel[r] = ds[i], zh[i]
		}
		nt, nm := len(top), len(mixed)
		vbt := getScratch(min(vecCols, k) * k)
		for j0 := 0; j0 < k; j0 += vecCols {
			cb := min(vecCols, k-j0)
			secularRows(dsel, zsel, ds, roots[j0:j0+cb], vbt[:cb*k], threads)
			blockProduct(q, n, 0, m, nd, sel[:nt+nm], vbt, k, j0, cb, out, threads)
			blockProduct(q, n, m, n, nd, sel[nt:], vbt[nt:], k, j0, cb, out, threads)
		}
		putScratch(vbt)
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
	putScratch(q)
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

// vecCols is the number of secular vectors formed and multiplied at a time: enough columns for
// an efficient GEMM, few enough that the block is small beside Q (the rows of Q are gathered
// once per block: about 1/vecCols of the product's work).
const vecCols = 1024

// blockProduct writes rows [r0, r1) of columns [j0, j0+cb) of out (n×n) as
// Σ_j q[r, nd[sel[j]]]·vt[c, j] for column j0+c, vt being cb×len(sel) with stride ldv (row c:
// entries sel of secular vector j0+c): the product restricted to the columns sel of Q that
// have nonzeros in those rows. The terms are summed in the order of sel.
func blockProduct(q []float64, n, r0, r1 int, nd, sel []int, vt []float64, ldv, j0, cb int, out []float64, threads int) {
	kk := len(sel)
	if kk == 0 {
		for r := r0; r < r1; r++ {
			clear(out[r*n+j0 : r*n+j0+cb])
		}
		return
	}
	w := getScratch(min(productRows, r1-r0) * kk)
	for lo := r0; lo < r1; lo += productRows {
		rows := min(productRows, r1-lo)
		for r := 0; r < rows; r++ {
			src, dst := q[(lo+r)*n:(lo+r+1)*n], w[r*kk:(r+1)*kk]
			for j, i := range sel {
				dst[j] = src[nd[i]]
			}
		}
		gemm.Gemm(false, true, rows, cb, kk, 1, w, kk, vt, ldv, 0, out[lo*n+j0:], n, threads)
	}
	putScratch(w)
}

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

// The secular vectors: vector j is the unit eigenvector of diag(d) + ρ·ẑ·ẑᵀ for root j, where
// ẑ is recomputed from the roots (Gu and Eisenstat): these are exact eigenvectors of a nearby
// problem, hence orthogonal to working accuracy however close the roots are.

// secularZHat returns ẑ: ẑᵢ² = −Πₗ δₗ(i) / (ρ·Π_{l≠i} (dᵢ − dₗ)), δₗ(i) = dᵢ − λₗ, built one
// root l at a time over all i (a SIMD division per entry), in chunks of i; the factors of each
// ẑᵢ are multiplied in the order of l whatever the chunking.
func secularZHat(d, z []float64, rho float64, roots []root, threads int) []float64 {
	k := len(d)
	zh := make([]float64, k)
	_ = parallel.Run(parallel.Split(k, 64, 64), threads, func(_, lo, hi int) error {
		p := zh[lo:hi]
		for i := range p {
			p[i] = 1
		}
		for l, r := range roots {
			o, tau, c := d[r.origin], r.tau, d[l]
			if a := min(l, hi); a > lo {
				gemm.PoleRatios(d[lo:a], o, tau, c, p[:a-lo])
			}
			if l >= lo && l < hi {
				p[l-lo] *= r.delta(d, l)
			}
			if b := max(l+1, lo); b < hi {
				gemm.PoleRatios(d[b:hi], o, tau, c, p[b-lo:])
			}
		}
		for i := lo; i < hi; i++ {
			zh[i] = math.Copysign(math.Sqrt(math.Max(-zh[i]/rho, 0)), z[i])
		}
		return nil
	})
	return zh
}

// secularRows writes the unit secular vectors of roots into the rows of vt (len(roots)×k), entry
// r of a row for the pole dp[r] (the poles, and ẑ in zp, in the order the products want; d is
// the solver's order, in which the roots name their origin). One PoleQuotients per vector.
func secularRows(dp, zp, d []float64, roots []root, vt []float64, threads int) {
	k := len(dp)
	_ = parallel.Run(parallel.Split(len(roots), 64, 64), threads, func(_, lo, hi int) error {
		for j := lo; j < hi; j++ {
			row := vt[j*k : (j+1)*k]
			ss := gemm.PoleQuotients(dp, zp, d[roots[j].origin], roots[j].tau, row)
			inv := 1 / math.Sqrt(ss)
			for i := range row {
				row[i] *= inv
			}
		}
		return nil
	})
}

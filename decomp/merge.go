package decomp

import (
	"math"
	"slices"

	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// merge combines the eigen-decompositions Q1·Λ1·Q1ᵀ (m×m) and Q2·Λ2·Q2ᵀ of the two halves into
// that of diag(T1, T2) + ρ·u·uᵀ, u = e_{m−1} + sign·e_m, ρ ≥ 0: with Q = diag(Q1, Q2) it is
// Q·(Λ + ρ·z·zᵀ)·Qᵀ, z = Qᵀu, whose eigenvectors come from the secular equation.
func merge(lam1, q1, lam2, q2 []float64, rho, sign float64, threads int) ([]float64, []float64) {
	m, m2 := len(lam1), len(lam2)
	n := m + m2
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
	// Every entry of out is written below: columns < k by the two GEMMs (β = 0), the others
	// by the copies of the deflated columns.
	out := getScratch(n * n)
	if k > 0 {
		ds, zs := make([]float64, k), make([]float64, k)
		for i, c := range nd {
			ds[i], zs[i] = d[c], z[c]
		}
		roots := solveSecular(ds, zs, rho, threads)
		vt := secularVectors(ds, zs, rho, roots, threads)
		// The new vectors: (columns nd of Q)·V, written into columns 0..k−1 of out. Q is
		// diag(Q1, Q2) except for columns a deflation rotation mixed across the halves, so the
		// top rows take only the Q1 and mixed columns, the bottom rows only the mixed and Q2
		// ones (as LAPACK's dlaed3): two GEMMs of about half the flops of the full product.
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
		blockProduct(q, n, 0, m, nd, append(top, mixed...), vt, k, out, threads)
		blockProduct(q, n, m, n, nd, append(mixed, bot...), vt, k, out, threads)
		for j, r := range roots {
			lam[j] = ds[r.origin] + r.tau
		}
		putScratch(vt)
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

// blockProduct writes rows [r0, r1) of columns 0..len(nd)−1 of out (n×n) as
// Σ_{i ∈ sel} q[r, nd[i]]·v[i, :], v = vtᵀ being k×k: the product restricted to the columns sel
// of Q that have nonzeros in those rows. The terms are summed in the order of sel.
func blockProduct(q []float64, n, r0, r1 int, nd, sel []int, vt []float64, k int, out []float64, threads int) {
	rows, kk := r1-r0, len(sel)
	w := getScratch(rows * kk)
	for r := 0; r < rows; r++ {
		src, dst := q[(r0+r)*n:(r0+r+1)*n], w[r*kk:(r+1)*kk]
		for j, i := range sel {
			dst[j] = src[nd[i]]
		}
	}
	// vsᵀ = columns sel of vt, gathered row by row: vs = v[sel, :].
	vst := getScratch(k * kk)
	for c := 0; c < k; c++ {
		src, dst := vt[c*k:(c+1)*k], vst[c*kk:(c+1)*kk]
		for j, i := range sel {
			dst[j] = src[i]
		}
	}
	gemm.Gemm(false, true, rows, k, kk, 1, w, max(kk, 1), vst, max(kk, 1), 0, out[r0*n:], n, threads)
	putScratch(w)
	putScratch(vst)
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

// secularVectors returns the k×k row-major matrix whose row j is the unit eigenvector of
// diag(d) + ρ·ẑ·ẑᵀ for root j, where ẑ is recomputed from the roots (Gu and Eisenstat): these
// are exact eigenvectors of a nearby problem, hence orthogonal to working accuracy however
// close the roots are. ẑᵢ² = −Πₗ δₗ(i) / (ρ·Π_{l≠i} (dᵢ − dₗ)), δₗ(i) = dᵢ − λₗ, is built one
// root l at a time over all i (a SIMD division per entry), in chunks of i; the factors of
// each ẑᵢ are multiplied in the order of l whatever the chunking.
func secularVectors(d, z []float64, rho float64, roots []root, threads int) []float64 {
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
	vt := getScratch(k * k) // every row written by PoleQuotients
	_ = parallel.Run(parallel.Split(k, 64, 64), threads, func(_, lo, hi int) error {
		for j := lo; j < hi; j++ {
			row := vt[j*k : (j+1)*k]
			ss := gemm.PoleQuotients(d, zh, d[roots[j].origin], roots[j].tau, row)
			inv := 1 / math.Sqrt(ss)
			for i := range row {
				row[i] *= inv
			}
		}
		return nil
	})
	return vt
}

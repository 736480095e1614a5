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
	q := make([]float64, n*n)
	for i := 0; i < m; i++ {
		copy(q[i*n:i*n+m], q1[i*m:(i+1)*m])
	}
	for i := 0; i < m2; i++ {
		copy(q[(m+i)*n+m:(m+i+1)*n], q2[i*m2:(i+1)*m2])
	}

	nd, defl, deflLam := deflate(d, z, q, n, rho)
	k := len(nd)
	lam := make([]float64, n)
	out := make([]float64, n*n)
	if k > 0 {
		ds, zs := make([]float64, k), make([]float64, k)
		for i, c := range nd {
			ds[i], zs[i] = d[c], z[c]
		}
		roots := solveSecular(ds, zs, rho, threads)
		v := secularVectors(ds, zs, rho, roots, threads)
		// The new vectors: (columns nd of Q)·V, written into columns 0..k−1 of out.
		w := make([]float64, n*k)
		for i := 0; i < n; i++ {
			row, dst := q[i*n:(i+1)*n], w[i*k:(i+1)*k]
			for j, c := range nd {
				dst[j] = row[c]
			}
		}
		gemm.Gemm(false, false, n, k, k, 1, w, k, v, k, 0, out, n, threads)
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

// deflate finds the eigenpairs of Λ + ρ·z·zᵀ that need no secular equation: components with
// ρ·|z_j| ≤ tol (the pair (d_j, e_j) is already one), and pairs of poles so close that a plane
// rotation of their two columns of q zeroes one z entry. It returns the columns left to the
// secular equation in increasing order of d (d and z updated in place), and the deflated
// columns with their eigenvalues.
func deflate(d, z, q []float64, n int, rho float64) (nd, defl []int, deflLam []float64) {
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

// secularVectors returns the k×k row-major matrix whose column j is the unit eigenvector of
// diag(d) + ρ·ẑ·ẑᵀ for root j, where ẑ is recomputed from the roots (Gu and Eisenstat): these
// are exact eigenvectors of a nearby problem, hence orthogonal to working accuracy however
// close the roots are.
func secularVectors(d, z []float64, rho float64, roots []root, threads int) []float64 {
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
	v := make([]float64, k*k)
	ch := parallel.Split(k, 64, 64)
	_ = parallel.Run(ch, threads, func(_, lo, hi int) error {
		col := make([]float64, k)
		for j := lo; j < hi; j++ {
			var ss float64
			for i := 0; i < k; i++ {
				col[i] = zh[i] / roots[j].delta(d, i)
				ss += col[i] * col[i]
			}
			inv := 1 / math.Sqrt(ss)
			for i := 0; i < k; i++ {
				v[i*k+j] = col[i] * inv
			}
		}
		return nil
	})
	return v
}

package decomp

import (
	"math"

	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// root is one solution λ = d[origin] + tau of the secular equation. Keeping the offset from the
// nearer pole (not λ itself) is what makes the differences d_i − λ accurate.
type root struct {
	origin int
	tau    float64
}

// delta returns d[i] − λ, computed as (d[i] − d[origin]) − tau.
func (r root) delta(d []float64, i int) float64 { return (d[i] - d[r.origin]) - r.tau }

// solveSecular finds the k roots of f(λ) = 1 + ρ·Σ z_i²/(d_i − λ) for strictly increasing d,
// non-zero z and ρ > 0: root j lies in (d_j, d_{j+1}), the last in (d_{k−1}, d_{k−1} + ρ‖z‖²).
// Roots are independent, so they are found in parallel chunks.
func solveSecular(d, z []float64, rho float64, threads int) []root {
	k := len(d)
	roots := make([]root, k)
	var zz float64
	for _, v := range z {
		zz += v * v
	}
	ch := parallel.Split(k, 32, 64)
	_ = parallel.Run(ch, threads, func(_, lo, hi int) error {
		for j := lo; j < hi; j++ {
			roots[j] = secularRoot(d, z, rho, zz, j)
		}
		return nil
	})
	return roots
}

// secularRoot finds root j by a safeguarded iteration: at each step ψ (poles i ≤ j) and φ
// (poles i > j) are each replaced by a constant plus one pole term matching value and slope
// (the "middle way" model); the model's root is the next iterate unless it leaves the bracket,
// when the bracket is bisected instead. The sums over the poles run on gemm.PoleSums (one SIMD
// division per term).
func secularRoot(d, z []float64, rho, zz float64, j int) root {
	k := len(d)
	last := j == k-1
	var o int
	var a, b float64 // bracket for tau
	if last {
		o, a, b = j, 0, rho*zz
	} else {
		gap := d[j+1] - d[j]
		s, _ := gemm.PoleSums(d, z, d[j], gap/2)
		if f := 1 + rho*s; f >= 0 {
			o, a, b = j, 0, gap/2
		} else {
			o, a, b = j+1, -gap/2, 0
		}
	}
	tau := (a + b) / 2
	for it := 0; it < 200; it++ {
		psi, dpsi := gemm.PoleSums(d[:j+1], z[:j+1], d[o], tau)
		phi, dphi := gemm.PoleSums(d[j+1:], z[j+1:], d[o], tau)
		f := 1 + rho*(psi+phi)
		if math.Abs(f) <= 4*eps*float64(k+4)*(1+rho*(math.Abs(psi)+math.Abs(phi))) {
			break
		}
		if f < 0 {
			a = tau
		} else {
			b = tau
		}
		next := modelRoot(d, o, j, last, tau, psi, dpsi, phi, dphi, rho)
		if !(next > a && next < b) {
			next = a + (b-a)/2
		}
		if next == tau || b-a <= 2*eps*math.Max(math.Abs(a), math.Abs(b)) {
			tau = next
			break
		}
		tau = next
	}
	return root{origin: o, tau: tau}
}

// modelRoot solves c + P/(D1 − t) + Q/(D2 − t) = 0 for t in (D1, D2), where D1, D2 are the poles
// j and j+1 relative to the origin and the constants match f and f′ at the current tau.
func modelRoot(d []float64, o, j int, last bool, tau, psi, dpsi, phi, dphi, rho float64) float64 {
	D1 := d[j] - d[o]
	del1 := D1 - tau
	P := rho * del1 * del1 * dpsi
	c := 1 + rho*(psi-del1*dpsi)
	if last {
		if c <= 0 {
			return math.NaN()
		}
		return D1 + P/c
	}
	D2 := d[j+1] - d[o]
	del2 := D2 - tau
	Q := rho * del2 * del2 * dphi
	c += rho * (phi - del2*dphi)
	qb := -(c*(D1+D2) + P + Q)
	qc := c*D1*D2 + P*D2 + Q*D1
	if c == 0 {
		return -qc / qb
	}
	disc := qb*qb - 4*c*qc
	if disc < 0 {
		disc = 0
	}
	qq := -0.5 * (qb + math.Copysign(math.Sqrt(disc), qb))
	r1, r2 := qq/c, qc/qq
	if r1 > D1 && r1 < D2 {
		return r1
	}
	return r2
}

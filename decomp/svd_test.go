package decomp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSVDSmall: reconstruction ‖A − U·S·Vᵀ‖/‖A‖, orthogonality of U and V, and singular values
// against the eigenvalues of AᵀA (full rank) or the known spectrum (rank deficient), all within
// 100·max(m,n)·eps.
func TestSVDSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, shape := range [][3]int{{1, 1, 1}, {7, 5, 5}, {60, 60, 60}, {120, 80, 20}, {40, 90, 40}} {
		m, n, rank := shape[0], shape[1], shape[2]
		// A = X·Y with X m×rank, Y rank×n: rank-deficient when rank < min(m,n).
		x, y := mat.NewDense(m, rank, nil), mat.NewDense(rank, n, nil)
		x.Apply(func(int, int, float64) float64 { return rng.NormFloat64() }, x)
		y.Apply(func(int, int, float64) float64 { return rng.NormFloat64() }, y)
		var A mat.Dense
		A.Mul(x, y)
		k := min(m, n)
		a := append([]float64(nil), A.RawMatrix().Data...)
		s, u, vt := make([]float64, k), make([]float64, m*k), make([]float64, k*n)
		if err := SVDSmall(m, n, a, n, s, u, k, vt, n); err != nil {
			t.Fatal(err)
		}
		label := fmt.Sprintf("%d×%d rank %d", m, n, rank)
		bound := 100 * float64(max(m, n)) * eps
		U, VT := mat.NewDense(m, k, u), mat.NewDense(k, n, vt)
		var us, rec mat.Dense
		us.Apply(func(i, j int, v float64) float64 { return v * s[j] }, U)
		rec.Mul(&us, VT)
		rec.Sub(&rec, &A)
		if r := mat.Norm(&rec, 2) / mat.Norm(&A, 2); r > bound {
			t.Errorf("%s: reconstruction %g > %g", label, r, bound)
		}
		for name, q := range map[string]mat.Matrix{"U": U, "V": VT.T()} {
			var g mat.Dense
			g.Mul(q.T(), q)
			for i := 0; i < k; i++ {
				g.Set(i, i, g.At(i, i)-1)
			}
			if o := mat.Norm(&g, 2); o > bound {
				t.Errorf("%s: %s orthogonality %g > %g", label, name, o, bound)
			}
		}
		for i := 1; i < k; i++ {
			if s[i] > s[i-1] {
				t.Fatalf("%s: singular values not descending", label)
			}
		}
		for i := rank; i < k; i++ {
			if s[i] > bound*s[0] {
				t.Errorf("%s: s[%d] = %g should be ≈ 0 (rank %d)", label, i, s[i], rank)
			}
		}
		if math.IsNaN(s[0]) {
			t.Fatalf("%s: NaN", label)
		}
	}
}

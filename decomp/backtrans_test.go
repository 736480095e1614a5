package decomp

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"
)

// TestApplyQMatchesDormqr: applyQ against gonum's Dormqr(Left, NoTrans) on the reflectors of a
// Dgeqrf, for block widths that do and do not divide the reflector count.
func TestApplyQMatchesDormqr(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var impl gonum.Implementation
	for _, sz := range [][3]int{{1, 3, 1}, {7, 5, 7}, {40, 33, 39}, {130, 70, 100}} {
		m, nc, k := sz[0], sz[1], sz[2]
		for _, nb := range []int{1, 8, 32, 96} {
			a := make([]float64, m*k)
			for i := range a {
				a[i] = rng.NormFloat64()
			}
			tau := make([]float64, k)
			work := make([]float64, 4*max(m, nc, k)*64)
			impl.Dgeqrf(m, k, a, k, tau, work, len(work))
			c := make([]float64, m*nc)
			for i := range c {
				c[i] = rng.NormFloat64()
			}
			want := append([]float64(nil), c...)
			impl.Dormqr(blas.Left, blas.NoTrans, m, nc, k, a, k, tau, want, nc, work, len(work))
			got := append([]float64(nil), c...)
			applyQ(m, nc, k, a, k, tau, got, nc, nb, 2)
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-12*float64(m) {
					t.Fatalf("%v nb=%d: element %d: %v vs Dormqr %v", sz, nb, i, got[i], want[i])
				}
			}
			one := append([]float64(nil), c...)
			applyQ(m, nc, k, a, k, tau, one, nc, nb, 1)
			for i := range got {
				if got[i] != one[i] {
					t.Fatalf("%v nb=%d: threads 1 and 2 differ at %d", sz, nb, i)
				}
			}
		}
	}
}

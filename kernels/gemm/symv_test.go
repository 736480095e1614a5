package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSymv: against a plain loop over the full symmetric matrix, within 2·γ_{n+1}·|A||x|; the
// triangle not named is filled with NaN so any read of it shows; 1 and 2 threads agree bitwise.
func TestSymv(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 15, 16, 17, 127, 128, 129, 300} {
		for _, upper := range []bool{true, false} {
			lda := n + 1
			full := make([]float64, n*n)
			a := make([]float64, n*lda)
			for i := range a {
				a[i] = math.NaN()
			}
			for i := 0; i < n; i++ {
				for j := 0; j <= i; j++ {
					v := rng.NormFloat64()
					full[i*n+j], full[j*n+i] = v, v
					if upper {
						a[j*lda+i] = v
					} else {
						a[i*lda+j] = v
					}
				}
			}
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			y1, y2 := make([]float64, n), make([]float64, n)
			Symv(upper, n, 0.5, a, lda, x, y1, 1)
			Symv(upper, n, 0.5, a, lda, x, y2, 2)
			for i := 0; i < n; i++ {
				var want, mag float64
				for j := 0; j < n; j++ {
					want += full[i*n+j] * x[j]
					mag += math.Abs(full[i*n+j] * x[j])
				}
				want *= 0.5
				u := float64(n+1) * 0x1p-53
				if d := math.Abs(y1[i] - want); d > 2*u/(1-u)*0.5*mag {
					t.Fatalf("n=%d upper=%v: y[%d] = %v, want %v", n, upper, i, y1[i], want)
				}
				if math.Float64bits(y1[i]) != math.Float64bits(y2[i]) {
					t.Fatalf("n=%d: 1 and 2 threads differ at %d", n, i)
				}
			}
		}
	}
}

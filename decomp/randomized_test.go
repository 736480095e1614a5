package decomp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
)

// TestRandomizedFloat32AndWide: the randomized top-k of float32 data, tall and wide (the
// products then read X as Bᵀ), agrees with the float64 exact values of the same (rounded)
// matrix within 1e-6·s_max (the float32 bound is 1e-4·s_max; the spectrum's decay lets the
// iteration converge to the rounding level of the float32 products), and does not depend on the
// thread count.
func TestRandomizedFloat32AndWide(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const k = 10
	for _, sh := range [][2]int{{1500, 200}, {200, 1500}} {
		m, n := sh[0], sh[1]
		spec := make([]float64, min(m, n))
		for i := range spec {
			spec[i] = math.Pow(0.8, float64(i))
		}
		a, _ := withSpectrum(rng, m, n, spec)
		a32 := make([]float32, len(a))
		for i, v := range a {
			a32[i] = float32(v)
			a[i] = float64(a32[i])
		}
		want, _, _ := svdOf(t, m, n, a, Params{Solver: SolverExact})
		run := func(threads int) []float64 {
			s := make([]float64, k)
			o := Output[float32]{Loadings: make([]float32, m*k), LdL: k, Factors: make([]float32, n*k), LdF: k, S: s}
			p := Params{Components: k, Solver: SolverRandomized, PowerIters: -1, Seed: 5, Threads: threads}
			if _, err := SVD(dense.Matrix[float32]{Data: a32, Rows: m, Cols: n, Stride: n}, p, o); err != nil {
				t.Fatal(err)
			}
			return s
		}
		s1, s3 := run(1), run(3)
		worst := 0.0
		for i := range s1 {
			if s1[i] != s3[i] {
				t.Fatalf("%d×%d: thread count changed s[%d]: %v vs %v", m, n, i, s1[i], s3[i])
			}
			worst = max(worst, math.Abs(s1[i]-want[i])/want[0])
		}
		t.Logf("%d×%d float32 randomized: max error %.2g·s_max", m, n, worst)
		if worst > 1e-6 {
			t.Errorf("%d×%d float32 randomized: off by %g·s_max", m, n, worst)
		}
	}
}

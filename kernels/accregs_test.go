package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The register sums (float32 rows in lanes, d < 16, k ≤ 4 on AVX-512) sort each block's rows
// by center and pad the shorter lists with −0.0 rows; the sums must still be the reference
// accumulation bit for bit. Shapes: several 128-row blocks and a partial one, every k they
// serve and just past it, every sum width (d < 4 in ymm, d < 8, d < 16) and the d they leave
// to the padded sums, contiguous and strided rows, both weightings.
func TestLloydF32RegisterSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	pair := lloydPair[float32]{LloydF32, NearestF32}
	for _, n := range []int{127, 128, 129, 160, 255, 256, 300, 1000} {
		for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16} {
			for k := 1; k <= 5; k++ {
				ldx := d + (n+k)%2*(d/8)*3 // strided rows where the rows-in-lanes pass takes them (d ≥ 8)
				lloydMatchesNearestCase(t, pair, rng, n, d, ldx, k, (n+d)%2 == 0, (n+d+k)%2 == 0)
			}
		}
	}
}

// One center takes every row, so every other center's list is all padding: −0.0 rows added to
// sums that start at −0.0, +0.0, negative, tiny and huge values and must come back unchanged,
// bit for bit, while the busy center's sums are the reference's.
func TestLloydF32RegisterSumsPadding(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	starts := []float64{math.Copysign(0, -1), 0, -2.5, 5e-324, 1e300, math.Inf(1)}
	for _, d := range []int{3, 5, 10} {
		for k := 2; k <= 4; k++ {
			const n = 300
			_, x := matrix[float32](rng, n, d, d, false)
			c := make([]float32, k*d) // center 0 at the origin, the others far away
			for j := 1; j < k; j++ {
				for f := 0; f < d; f++ {
					c[j*d+f] = 1e6
				}
			}
			cnorm := make([]float32, k)
			sqNormsGeneric(c, d, k, d, cnorm)
			w := weights[float32](rng, n, d%2 == 0)
			sums, wsum := make([]float64, k*d), make([]float64, k)
			for i := range sums {
				sums[i] = starts[i%len(starts)]
			}
			for j := range wsum {
				wsum[j] = starts[(j+1)%len(starts)]
			}
			want, wantW := slices.Clone(sums), slices.Clone(wsum)
			labels := make([]int32, n)
			LloydF32(x, d, n, d, c, k, cnorm, w, labels, sums, wsum)
			if slices.ContainsFunc(labels, func(l int32) bool { return l != 0 }) {
				t.Fatalf("d=%d k=%d: a row left center 0", d, k)
			}
			accumulateGeneric(x, d, n, d, labels, w, want, wantW)
			for i := range sums {
				if math.Float64bits(sums[i]) != math.Float64bits(want[i]) {
					t.Fatalf("d=%d k=%d: sums[%d] = %v, the reference's %v", d, k, i, sums[i], want[i])
				}
			}
			for j := range wsum {
				if math.Float64bits(wsum[j]) != math.Float64bits(wantW[j]) {
					t.Fatalf("d=%d k=%d: wsum[%d] = %v, the reference's %v", d, k, j, wsum[j], wantW[j])
				}
			}
		}
	}
}

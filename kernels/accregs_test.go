package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The register sums (float32 rows in lanes on AVX-512: weighted k ≤ 4, d < 16; unit weights
// k ≤ 4, d < 40, or k ≤ 8, d < 8) sort each block's rows by center and either pad the shorter
// lists with −0.0 rows (weighted) or, for unit weights, run the steps in stages of the centers
// still busy, four centers at a time; the sums must still be the reference accumulation bit for
// bit. Shapes: several 128-row blocks and a partial one, every k they serve and the k they leave
// to the padded sums (up to 8), every sum width (d < 4 in ymm, then one to five zmm, the weight
// alone in the last vector at d = 8, 16, 24, 32) and the d they leave to the padded sums (40),
// contiguous and strided rows, both weightings.
func TestLloydF32RegisterSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	pair := lloydPair[float32]{LloydF32, NearestF32}
	for _, n := range []int{127, 128, 129, 160, 255, 256, 300, 1000} {
		for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 36, 39, 40} {
			for k := 1; k <= 8; k++ {
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
	for _, d := range []int{3, 5, 9, 10, 16, 24, 31, 32, 39} {
		for k := 2; k <= 8; k++ {
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
			sameBits(t, fmt.Sprintf("d=%d k=%d", d, k), sums, want, wsum, wantW)
		}
	}
}

// sameBits fails unless got and want (the sums, then the weight sums) are equal bit for bit.
func sameBits(t *testing.T, what string, sums, want, wsum, wantW []float64) {
	t.Helper()
	for i := range sums {
		if math.Float64bits(sums[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s: sums[%d] = %v, the reference's %v", what, i, sums[i], want[i])
		}
	}
	for j := range wsum {
		if math.Float64bits(wsum[j]) != math.Float64bits(wantW[j]) {
			t.Fatalf("%s: wsum[%d] = %v, the reference's %v", what, j, wsum[j], wantW[j])
		}
	}
}

// Rows holding −0.0 and infinities (so sums of −0.0, of ±Inf and NaN from Inf − Inf), sums
// starting at −0.0: the register sums convert rows and add them as the reference does, bit
// for bit, and the labels are Nearest's. Every k of the register sums and past them, the sum
// widths, tails of n past the 128-row blocks and the 32-row tiles, both weightings.
func TestLloydF32RegisterSumsSpecial(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 6))
	special := []float32{float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1))}
	for _, d := range []int{1, 3, 5, 7, 8, 10, 15, 16, 20, 24, 32, 37} {
		for k := 1; k <= 8; k++ {
			for _, n := range []int{33, 200, 301} {
				_, x := matrix[float32](rng, n, d, d, true)
				for i := range x {
					switch r := rng.IntN(40); {
					case r < 6:
						x[i] = float32(math.Copysign(0, -1))
					case r == 6 && i%5 == 0:
						x[i] = special[rng.IntN(len(special))]
					}
				}
				_, c := matrix[float32](rng, k, d, d, true)
				cnorm := make([]float32, k)
				sqNormsGeneric(c, d, k, d, cnorm)
				w := weights[float32](rng, n, (n+k)%2 == 0)
				sums, wsum := make([]float64, k*d), make([]float64, k)
				for i := range sums {
					sums[i] = math.Copysign(0, -1)
				}
				want, wantW := slices.Clone(sums), slices.Clone(wsum)
				labels, ref := make([]int32, n), make([]int32, n)
				LloydF32(x, d, n, d, c, k, cnorm, w, labels, sums, wsum)
				NearestF32(x, d, n, d, c, k, cnorm, ref, make([]float32, n))
				what := fmt.Sprintf("n=%d d=%d k=%d unit=%v", n, d, k, w == nil)
				// Rows with an infinity can have NaN values (Inf·0), on which the fused pass and
				// Nearest are known to pick differently (before the register sums too); their
				// labels are not compared, their sums are.
				for i := range labels {
					if labels[i] != ref[i] && !slices.ContainsFunc(x[i*d:i*d+d], func(v float32) bool { return math.IsInf(float64(v), 0) }) {
						t.Fatalf("%s: row %d: label %d, Nearest's %d", what, i, labels[i], ref[i])
					}
				}
				accumulateGeneric(x, d, n, d, labels, w, want, wantW)
				sameBits(t, what, sums, want, wsum, wantW)
			}
		}
	}
}

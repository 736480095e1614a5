package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Narrow contiguous float64 rows (d ≤ 4) take rows in lanes: labels 8 rows at a time, then the
// rows added block by block (narrow64_amd64.go). Row counts across the blocks and the 8-row
// groups (the rest go through the centers-in-lanes kernel after them), every k, both
// weightings: labels NearestF64's, sums the reference accumulation's, bit for bit.
func TestLloydF64NarrowBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(64, 3))
	p := lloydPair[float64]{LloydF64, NearestF64}
	for _, n := range []int{7, 8, 9, 255, 256, 257, 263, 519, 1000} {
		for d := 1; d <= 5; d++ {
			for k := 1; k <= 8; k++ {
				lloydMatchesNearestCase(t, p, rng, n, d, d, k, k%2 == 0, (n+k)%2 == 0)
			}
		}
	}
}

// With −0.0, ±Inf and NaN in the rows and the centers the narrow path must still do exactly what
// the reference does: the first strict minimum (a NaN value never wins, a row of NaN values
// keeps center 0) and the same sums, signed zeros and NaNs included.
// (The AVX2 kernels make no such claim for NaN values: skipped there.)
func TestLloydF64NarrowSpecials(t *testing.T) {
	if Active() == AVX2 {
		t.Skip("the AVX2 kernels' minimum differs from the reference's on NaN values")
	}
	rng := rand.New(rand.NewPCG(64, 4))
	special := []float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), math.NaN(), 1, -2, 0.5}
	pick := func() float64 {
		if rng.IntN(4) == 0 {
			return special[rng.IntN(len(special))]
		}
		return float64(rng.IntN(5) - 2)
	}
	for trial := 0; trial < 200; trial++ {
		n, d, k := 8+rng.IntN(300), 1+rng.IntN(4), 1+rng.IntN(8)
		x := make([]float64, n*d)
		for i := range x {
			x[i] = pick()
		}
		c := make([]float64, k*d)
		for i := range c {
			c[i] = float64(rng.IntN(5) - 2)
			if trial%3 == 0 && rng.IntN(8) == 0 {
				c[i] = pick()
			}
		}
		cnorm := make([]float64, k)
		sqNormsGeneric(c, d, k, d, cnorm)
		w := weights[float64](rng, n, trial%2 == 0)
		labels, sums, wsum := make([]int32, n), make([]float64, k*d), make([]float64, k)
		for j := range sums {
			sums[j] = math.Copysign(0, -1) // −0 stays −0 only where nothing is added
		}
		want, wantL, wantW := slices.Clone(sums), make([]int32, n), slices.Clone(wsum)
		LloydF64(x, d, n, d, c, k, cnorm, w, labels, sums, wsum)
		lloydGeneric(x, d, n, d, c, k, cnorm, w, wantL, want, wantW, nil)
		if !slices.Equal(labels, wantL) {
			for i := range labels {
				if labels[i] != wantL[i] {
					t.Logf("row %d %v: got %d want %d; c %v cn %v", i, x[i*d:i*d+d], labels[i], wantL[i], c, cnorm)
					break
				}
			}
			t.Fatalf("trial %d n=%d d=%d k=%d: labels differ from the reference's", trial, n, d, k)
		}
		if !sameBits(sums, want) || !sameBits(wsum, wantW) {
			t.Fatalf("trial %d n=%d d=%d k=%d: sums differ from the reference's", trial, n, d, k)
		}
	}
}

// sameBits says whether a and b hold the same float64 bits (NaN payloads and zero signs too).
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(u, v float64) bool { return math.Float64bits(u) == math.Float64bits(v) })
}

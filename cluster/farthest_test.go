package cluster

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The scan must pick exactly what the first m rows of the stable sort are, ties included.
func TestFarthestRowsIsStableSortPrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 7, 100, 1000} {
		dist := make([]float64, n)
		for i := range dist {
			dist[i] = float64(rng.IntN(5)) // many exact ties
			if rng.IntN(3) == 0 {
				dist[i] = rng.Float64() * 5
			}
		}
		want := stableDescending(dist)
		for m := 0; m <= min(n, farthestScanMax+3); m++ {
			require.Equal(t, want[:m:m], append([]int{}, farthestRows(dist, m)...)[:m:m], "n=%d m=%d", n, m)
			require.Len(t, farthestRows(dist, m), m)
		}
	}
}

// The ranking distance (ops.sqDist: relocation, the triangle bounds) is the squared distance, to
// rounding, for every tail length.
func TestRankingDistance(t *testing.T) {
	sqDist := opsFor[float32]().sqDist
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 19; n++ {
		a, b := make([]float32, n), make([]float32, n+2)
		var want float64
		for i := range a {
			a[i], b[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			d := float64(a[i]) - float64(b[i])
			want += d * d
		}
		require.InDelta(t, want, sqDist(a, b), 1e-12*(1+want), "n=%d", n)
	}
}

package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// X's values are checked block by block inside the passes (blockFinite): the error must still
// name X's first NaN or ±Inf in row order, whatever the thread count and the path (fused
// nearest kernel, GEMM tile, euclidean), come before Y's, and leave finite rows whose squared
// norm overflows alone.
func TestDistancesNonFiniteX(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct{ n, m, d int }{{5000, 64, 32}, {3000, 20, 130}, {300, 3, 7}} {
		y := randMatrix(rng, c.m, c.d, c.d, 0)
		for _, bad := range [][][2]int{
			{{0, 0}},
			{{c.n - 1, c.d - 1}},
			{{c.n / 2, 3}, {c.n - 10, 0}},
			{{c.n - 70, 1}, {c.n / 3, 2}, {c.n/3 + 1, 0}}, // the earliest is not the first planted
		} {
			for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				x := randMatrix(rng, c.n, c.d, c.d, 0)
				for _, p := range bad {
					x.Data[p[0]*c.d+p[1]] = v
				}
				want := dense.CheckFinite(x, "X")
				require.Error(t, want)
				for _, threads := range []int{1, 2, 3} {
					checkDistanceErrors(t, x, y, threads, want.Error())
					checkDistanceErrors(t, toF32(x), toF32(y), threads, want.Error())
				}
				// X's error comes before Y's, as when X was checked first.
				y2 := randMatrix(rng, c.m, c.d, c.d, 0)
				y2.Data[c.d+1] = math.NaN()
				checkDistanceErrors(t, x, y2, 2, want.Error())
			}
		}
		// Y alone is bad: Y's error.
		x := randMatrix(rng, c.n, c.d, c.d, 0)
		y2 := randMatrix(rng, c.m, c.d, c.d, 0)
		y2.Data[c.m*c.d-1] = math.Inf(1)
		checkDistanceErrors(t, x, y2, 2, dense.CheckFinite(y2, "Y").Error())
	}
}

func checkDistanceErrors[T dense.Float](t *testing.T, x, y dense.Matrix[T], threads int, want string) {
	t.Helper()
	out := make([]T, x.Rows*y.Rows)
	arg, dist := make([]int64, x.Rows), make([]float64, x.Rows)
	err := EuclideanDistances(x, y, false, false, threads, out)
	require.EqualError(t, err, want)
	err = ArgminMin(x, y, threads, arg, dist)
	require.EqualError(t, err, want)
}

// Finite values whose squared norms overflow to +Inf are not an error (scikit-learn accepts
// them): the second look at the block finds nothing.
func TestDistancesOverflowingNormIsFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct{ n, m, d int }{{500, 64, 32}, {300, 20, 130}} {
		x := randMatrix(rng, c.n, c.d, c.d, 0)
		y := randMatrix(rng, c.m, c.d, c.d, 0)
		x.Data[7*c.d+2] = 1e200
		out := make([]float64, c.n*c.m)
		require.NoError(t, EuclideanDistances(x, y, false, false, 2, out))
		arg, dist := make([]int64, c.n), make([]float64, c.n)
		require.NoError(t, ArgminMin(x, y, 2, arg, dist))
		require.True(t, math.IsInf(dist[7], 1))
	}
}

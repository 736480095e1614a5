package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

func randMatrix(rng *rand.Rand, n, d, stride int, offset float64) dense.Matrix[float64] {
	x := make([]float64, (n-1)*stride+d)
	for i := range x {
		x[i] = rng.NormFloat64() + offset
	}
	return dense.Matrix[float64]{Data: x, Rows: n, Cols: d, Stride: stride}
}

// The expansion ‖x‖² − 2x·y + ‖y‖² in float64 is within a few ε·(‖x‖² + ‖y‖²) of the exact
// squared distance; the direct Σ(x−y)² here is the reference.
func TestDistancesMatchDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ n, m, d, stride int }{{1, 1, 1, 1}, {70, 9, 5, 7}, {300, 600, 33, 33}, {130, 3, 200, 210}} {
		x := randMatrix(rng, c.n, c.d, c.stride, 3)
		y := randMatrix(rng, c.m, c.d, c.d, 3)
		for _, f32 := range []bool{false, true} {
			out := make([]float64, c.n*c.m)
			arg := make([]int64, c.n)
			dist := make([]float64, c.n)
			if f32 {
				x32, y32 := toF32(x), toF32(y)
				o32 := make([]float32, c.n*c.m)
				require.NoError(t, EuclideanDistances(x32, y32, true, false, 0, o32))
				for i, v := range o32 {
					out[i] = float64(v)
				}
				require.NoError(t, ArgminMin(x32, y32, 0, arg, dist))
				x, y = toF64(x32), toF64(y32)
			} else {
				require.NoError(t, EuclideanDistances(x, y, true, false, 0, out))
				require.NoError(t, ArgminMin(x, y, 0, arg, dist))
			}
			for i := 0; i < c.n; i++ {
				best, bestJ := math.Inf(1), -1
				for j := 0; j < c.m; j++ {
					want := sqDistRef(x.Row(i), y.Row(j))
					tol := 8 * float64(c.d+2) * 0x1p-53 * (sqDistRef(x.Row(i), nil) + sqDistRef(y.Row(j), nil))
					if f32 {
						tol += 2 * 0x1p-24 * want // one rounding to float32
					}
					require.InDelta(t, want, out[i*c.m+j], tol, "f32=%v row %d col %d", f32, i, j)
					if want < best {
						best, bestJ = want, j
					}
				}
				if arg[i] != int64(bestJ) {
					// Only a near-tie may go the other way.
					require.InDelta(t, best, sqDistRef(x.Row(i), y.Row(int(arg[i]))), 1e-9*(1+best))
				}
				require.InDelta(t, math.Sqrt(best), dist[i], 1e-6*(1+math.Sqrt(best)))
			}
		}
	}
}

func TestDistancesSameHasZeroDiagonal(t *testing.T) {
	x := randMatrix(rand.New(rand.NewPCG(1, 1)), 50, 7, 7, 100)
	out := make([]float64, 50*50)
	require.NoError(t, EuclideanDistances(x, x, false, true, 0, out))
	for i := 0; i < 50; i++ {
		require.Zero(t, out[i*50+i])
		require.Equal(t, out[i*50+(i+1)%50], out[((i+1)%50)*50+i])
	}
}

func TestDistancesBadShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := randMatrix(rng, 4, 3, 3, 0), randMatrix(rng, 4, 2, 2, 0)
	err := EuclideanDistances(x, y, false, false, 0, make([]float64, 16))
	require.ErrorContains(t, err, "Incompatible dimension")
}

// sqDistRef is Σ(a−b)² (b nil: ‖a‖²), plainly.
func sqDistRef(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		if b != nil {
			v -= b[i]
		}
		s += v * v
	}
	return s
}

func toF64(x dense.Matrix[float32]) dense.Matrix[float64] {
	out := make([]float64, len(x.Data))
	for i, v := range x.Data {
		out[i] = float64(v)
	}
	return dense.Matrix[float64]{Data: out, Rows: x.Rows, Cols: x.Cols, Stride: x.Stride}
}

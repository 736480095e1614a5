package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// ArgminMin on the GEMM tile (long rows, many rows of y, more than one block of them) gives the
// fused nearest kernel's labels bit for bit, float32 input widened as on the other path, and
// the direct distances to those rows; a row of y repeated in a later block never wins its ties.
func TestArgminMinTileEqualsNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, d = 300, 150
	for _, m := range []int{16, 40, distColBlock + 70} {
		require.True(t, useArgminTile(d, m))
		x := randMatrix(rng, n, d, d+3, 0)
		y := randMatrix(rng, m, d, d, 0)
		copy(y.Data[(m-1)*d:m*d], y.Data[5*d:6*d]) // row m−1 = row 5: ties go to 5
		for i := 0; i < 20; i++ {                  // some rows of x sit on row 5
			copy(x.Data[i*x.Stride:i*x.Stride+d], y.Data[5*d:6*d])
		}
		for _, f32 := range []bool{false, true} {
			arg, dist := make([]int64, n), make([]float64, n)
			xs, ys := x, y
			if f32 {
				x32, y32 := toF32(x), toF32(y)
				require.NoError(t, ArgminMin(x32, y32, 2, arg, dist))
				xs, ys = toF64(x32), toF64(y32)
			} else {
				require.NoError(t, ArgminMin(x, y, 2, arg, dist))
			}
			cnorm := make([]float64, m)
			kernels.SqNormsF64(ys.Data, d, m, d, cnorm)
			lab, part := make([]int32, n), make([]float64, n)
			kernels.NearestF64(xs.Data, xs.Stride, n, d, ys.Data, m, cnorm, lab, part)
			for i := 0; i < n; i++ {
				require.Equal(t, int64(lab[i]), arg[i], "m=%d f32=%v row %d", m, f32, i)
				require.Equal(t, math.Sqrt(kernels.SqDistF64(xs.Row(i), ys.Row(int(lab[i])))), dist[i], "m=%d f32=%v row %d", m, f32, i)
			}
			require.Equal(t, int64(5), arg[0])
		}
	}
}

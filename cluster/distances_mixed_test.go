package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// ArgminMin with the mixed labels gives NearestF64's labels on the widened rows bit for bit
// and the direct distances to them, for float32 and float64 input, strided rows, any thread
// count: on plain data, with exact ties (rows of x equal to a row of y that is repeated later:
// the lowest index must win, which only the float64 values can decide: the two candidates' exact
// products, resolveFew, must have labelled some), with rows far from the
// origin (float64 rows shifted by the mean keep narrow margins; float32 rows, read in place and
// not shifted, are mostly unsure, and in chunks of several blocks the later blocks skip the
// products), and with rows of y too long for float32 (the mixed labels declined, the other paths
// taken).
func TestArgminMinMixedEqualsNearest(t *testing.T) {
	if !kernels.MarginProductsFast(64) {
		t.Skipf("backend %s has no assembly for the mixed labels (they are used only with it)", kernels.Active())
	}
	rng := rand.New(rand.NewPCG(41, 42))
	// 60000 rows make chunks of several blocks, so that float32 offset rows (not shifted, most
	// unsure) make the later blocks of a chunk skip the products.
	for _, s := range []struct{ n, m, d, stride int }{{2000, 64, 32, 32}, {1500, 33, 17, 20}, {1500, 56, 17, 20}, {900, 48, 150, 150}, {600, 64, 1024, 1027}, {60000, 40, 9, 9}} {
		for _, data := range []string{"plain", "ties", "offset", "huge"} {
			t.Run(fmt.Sprintf("n=%d/m=%d/d=%d/%s", s.n, s.m, s.d, data), func(t *testing.T) {
				if !useMixedArgmin(s.d, s.m) {
					t.Skipf("backend %s has no mixed labels for %d rows of y (AVX2: multiples of 8 only)", kernels.Active(), s.m)
				}
				x := randMatrix(rng, s.n, s.d, s.stride, 0)
				y := randMatrix(rng, s.m, s.d, s.d, 0)
				switch data {
				case "ties":
					copy(y.Data[(s.m-1)*s.d:], y.Row(3))
					for i := 0; i < s.n; i += 7 {
						copy(x.Data[i*s.stride:i*s.stride+s.d], y.Row(3))
					}
				case "offset":
					for i := range x.Data {
						x.Data[i] += 3e3
					}
					for i := range y.Data {
						y.Data[i] += 3e3
					}
				case "huge":
					y.Data[s.d+1] = 2e15
				}
				resolved := argminResolved.Load()
				for _, threads := range []int{1, 2, 3} {
					argminAgainstNearest(t, x, y, threads)
					argminAgainstNearest(t, toF32(x), toF32(y), threads)
				}
				if data == "ties" {
					// Two equal rows of y leave two candidates: resolveFew labels the row.
					require.Greater(t, argminResolved.Load(), resolved, "no tied row was labelled from its candidates")
				}
			})
		}
	}
}

func argminAgainstNearest[T dense.Float](t *testing.T, x, y dense.Matrix[T], threads int) {
	n, m, d := x.Rows, y.Rows, x.Cols
	arg, dist := make([]int64, n), make([]float64, n)
	require.NoError(t, ArgminMin(x, y, threads, arg, dist))
	c, cnorm := widenAll(y)
	xs := make([]float64, n*d)
	for i := 0; i < n; i++ {
		for j, v := range x.Row(i) {
			xs[i*d+j] = float64(v)
		}
	}
	lab, part := make([]int32, n), make([]float64, n)
	kernels.NearestF64(xs, d, n, d, c, m, cnorm, lab, part)
	for i := 0; i < n; i++ {
		require.Equal(t, int64(lab[i]), arg[i], "%T threads=%d row %d", x.Data, threads, i)
		want := math.Sqrt(kernels.SqDistF64(xs[i*d:(i+1)*d], c[int(lab[i])*d:][:d]))
		require.Equal(t, want, dist[i], "%T threads=%d row %d", x.Data, threads, i)
	}
}

package cluster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// The mixed labels must change the speed only: Lloyd on the GEMM tile with them gives the
// float64 tile's labels, centers, inertia and iteration count bit for bit, for any thread
// count, on data that makes them label most rows (uniform), that puts every third row exactly
// halfway between two centers (true ties, which the products cannot decide: the two centers'
// exact products do), that puts every row halfway (all unsure: the pass gives up the mixed
// labels after mixedJudgeRows rows of a call), that offsets every row
// far from the origin (without the shift by the centers' mean nearly every row would be
// unsure), and that holds rows too long for float32 (margin +Inf; the centers too, so later
// passes decline the mixed labels). Each case must also have taken the path it is there for:
// the test counts the rows labelled, unsure, and left to the float64 tile (the others of the
// unsure were labelled from their few candidates' exact products).
func TestMixedLabelsEqualFloat64Tile(t *testing.T) {
	if !kernels.MarginProductsFast(64) {
		t.Skipf("backend %s has no assembly for the mixed labels (they are used only with it)", kernels.Active())
	}
	shapes := []struct{ n, d, stride, k int }{{4000, 32, 32, 64}, {3000, 40, 43, 33}, {3000, 40, 43, 56}, {2500, 17, 17, 48}, {1200, 300, 301, 64}, {600, 1024, 1024, 64}}
	for _, s := range shapes {
		for _, data := range []string{"uniform", "midpoints", "allties", "offset", "huge"} {
			t.Run(fmt.Sprintf("n=%d/d=%d/k=%d/%s", s.n, s.d, s.k, data), func(t *testing.T) {
				if !kernels.MarginProductsFast(s.k) {
					t.Skipf("backend %s has no mixed labels for k = %d (AVX2: multiples of 8 only)", kernels.Active(), s.k)
				}
				mixedVsFloat64(t, s.n, s.d, s.stride, s.k, data)
			})
		}
	}
}

func mixedVsFloat64(t *testing.T, n, d, stride, k int, data string) {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(k)))
	x := dense.Matrix[float64]{Data: make([]float64, (n-1)*stride+d), Rows: n, Cols: d, Stride: stride}
	row := func(i int) []float64 { return x.Data[i*stride : i*stride+d] }
	for i := 0; i < n; i++ {
		for f := range row(i) {
			row(i)[f] = rng.Float64()
		}
	}
	init := rowsAsInit(x, k, 5)
	switch data {
	case "midpoints", "allties": // every third row (every row) halfway between two init centers: exact in float64
		step := 3
		if data == "allties" {
			step = 1
		}
		for i := 0; i < n; i += step {
			a, b := init[rng.IntN(k)*d:][:d], init[rng.IntN(k)*d:][:d]
			for f := range row(i) {
				row(i)[f] = (a[f] + b[f]) / 2
			}
		}
	case "offset":
		for i := range x.Data {
			x.Data[i] += 1e4
		}
		init = rowsAsInit(x, k, 5)
	case "huge": // a few rows with ‖x‖² ≥ 2⁶⁰
		for i := 0; i < n; i += 97 {
			row(i)[0] = 3e9
		}
	}
	run := func(mixed bool, threads int) (*KMeansResult[float64], *mixedAssign) {
		l := newLloyd(x, nil, k, threads)
		usePath(l, true)
		if !mixed {
			l.gemm.mixed = nil
		}
		c := append([]float64(nil), init...)
		res, err := l.fit(c, 15, 0, func(int) bool { return true })
		require.NoError(t, err)
		return res, l.gemm.mixed
	}
	want, _ := run(false, 2)
	for _, threads := range []int{1, 2, 3} {
		got, m := run(true, threads)
		require.NotNil(t, m, "the mixed labels were not set up")
		require.Equal(t, want.Labels, got.Labels, "threads=%d", threads)
		require.Equal(t, want.Centers, got.Centers, "threads=%d", threads)
		require.Equal(t, want.Inertia, got.Inertia, "threads=%d", threads)
		require.Equal(t, want.NIter, got.NIter, "threads=%d", threads)
		rows, again, tile := m.rows.Load(), m.again.Load(), m.tile.Load()
		t.Logf("threads=%d: %d rows through the float32 products, %d unsure, %d of them through the float64 tile, %d iterations", threads, rows, again, tile, got.NIter)
		require.Positive(t, rows, "no row went through the float32 products")
		switch data {
		case "uniform", "offset":
			// The margin grows with d: at d = 1024 the offset rows leave 1.4–3% unsure.
			percent := int64(1)
			if d > 512 {
				percent = 4
			}
			require.Less(t, again*100, rows*percent, "more than %d%% of the rows unsure", percent)
		case "midpoints":
			require.Positive(t, again, "no row was unsure")
			// A tie of two centers leaves two candidates: resolveFew labels the row.
			require.Less(t, tile, again, "no unsure row was labelled from its candidates")
		case "allties":
			require.Less(t, rows, int64(want.NIter*n), "the pass did not give up on the unsure rows")
		case "huge":
			require.Positive(t, again, "no row was unsure")
			// Their margin is +Inf: the float64 tile labels them.
			require.Positive(t, tile, "no row went through the float64 tile")
		}
	}
}

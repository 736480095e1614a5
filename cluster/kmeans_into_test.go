package cluster

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// TestFitKMeansIntoEqualsFitKMeans: a fit into the caller's labels gives FitKMeans's result bit
// for bit, with the labels in the caller's slice, whatever that slice held before (NumPy's
// np.empty, a C caller's buffer: out-of-range values must not be read as labels), for every
// algorithm, one and three restarts, and shapes that take the fused kernel, the streaming pass
// (d > 64, k ≤ 8) and the GEMM tile (k > 8).
func TestFitKMeansIntoEqualsFitKMeans(t *testing.T) {
	for _, tc := range []struct{ n, d, k int }{{3000, 5, 4}, {2000, 80, 5}, {2500, 24, 20}} {
		x64, _ := blobs(tc.n, tc.d, tc.k+1, uint64(tc.d)) // one blob more than k: restarts differ
		x32 := toF32(x64)
		for _, algo := range []Algorithm{AlgoLloyd, AlgoHamerly, AlgoElkan, AlgoYinyang} {
			for _, nInit := range []int{1, 3} {
				what := fmt.Sprintf("n=%d d=%d k=%d algo=%d n_init=%d", tc.n, tc.d, tc.k, algo, nInit)
				p := DefaultKMeansParams()
				p.K, p.NInit, p.Seed, p.Algorithm, p.Threads = tc.k, nInit, 11, algo, 2
				requireIntoEqualsFit(t, x64, p, what+" f64")
				requireIntoEqualsFit(t, x32, p, what+" f32")
			}
		}
	}
}

// requireIntoEqualsFit fits x with FitKMeans and with FitKMeansInto on a slice of garbage, and
// requires the same result, the labels in that slice, and labels that are the nearest centers
// of the result's centers (with three restarts: the kept restart's, not the last one's).
func requireIntoEqualsFit[T dense.Float](t *testing.T, x dense.Matrix[T], p KMeansParams, what string) {
	want, err := FitKMeans(x, nil, nil, p)
	require.NoError(t, err, what)
	dst := make([]int32, x.Rows)
	for i := range dst {
		dst[i] = []int32{-7, math.MaxInt32, int32(p.K)}[i%3]
	}
	got, err := FitKMeansInto(x, nil, nil, p, dst)
	require.NoError(t, err, what)
	sameFit(t, want, got, what)
	require.Same(t, &dst[0], &got.Labels[0], what)
	require.Equal(t, nearestLabels(x, got.Centers, p.K), got.Labels, what)
}

// nearestLabels is each row's nearest center by exact squared distance, written out plainly.
func nearestLabels[T dense.Float](x dense.Matrix[T], centers []T, k int) []int32 {
	d := x.Cols
	out := make([]int32, x.Rows)
	for i := range out {
		best := math.Inf(1)
		for j := 0; j < k; j++ {
			var s float64
			for f, v := range x.Row(i) {
				diff := float64(v) - float64(centers[j*d+f])
				s += diff * diff
			}
			if s < best {
				best, out[i] = s, int32(j)
			}
		}
	}
	return out
}

func TestFitKMeansIntoNamesAShortLabelsSlice(t *testing.T) {
	x, _ := blobs(100, 3, 2, 1)
	p := DefaultKMeansParams()
	p.K = 2
	_, err := FitKMeansInto(x, nil, nil, p, make([]int32, 99))
	require.ErrorContains(t, err, "labels has 99 elements for 100 rows")
}

package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// noisyRows is n×d normal rows with row stride ld (the gap holds NaN), and unit-range weights.
func noisyRows[T dense.Float](n, d, ld int, seed uint64) (dense.Matrix[T], []T) {
	rng := rand.New(rand.NewPCG(seed, 7))
	data := make([]T, (n-1)*ld+d)
	for i := range data {
		data[i] = T(math.NaN())
	}
	w := make([]T, n)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			data[i*ld+j] = T(rng.NormFloat64() * float64(1+j%5))
		}
		w[i] = T(0.5 + rng.Float64())
	}
	return dense.Matrix[T]{Data: data, Rows: n, Cols: d, Stride: ld}, w
}

// The inertia is Σ w·‖x − center(label)‖² to float64 rounding, with and without weights, on
// padded rows, and the same bits for any thread count.
func TestWeightedInertia(t *testing.T) {
	for _, s := range []struct{ n, d, ld, k int }{{1, 1, 1, 1}, {300, 3, 4, 5}, {5000, 33, 35, 7}, {2000, 256, 256, 3}} {
		name := fmt.Sprintf("n=%d d=%d ld=%d k=%d", s.n, s.d, s.ld, s.k)
		checkInertia[float64](t, s.n, s.d, s.ld, s.k, name)
		checkInertia[float32](t, s.n, s.d, s.ld, s.k, name)
	}
}

func checkInertia[T dense.Float](t *testing.T, n, d, ld, k int, name string) {
	x, w := noisyRows[T](n, d, ld, uint64(n+d))
	rng := rand.New(rand.NewPCG(uint64(k), 8))
	centers := make([]T, k*d)
	for i := range centers {
		centers[i] = T(rng.NormFloat64())
	}
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(rng.IntN(k))
	}
	for _, weights := range [][]T{nil, w} {
		var want float64
		for i, lab := range labels {
			var s float64
			for j, v := range x.Row(i) {
				t := float64(v) - float64(centers[int(lab)*d+j])
				s += t * t
			}
			if weights != nil {
				s *= float64(weights[i])
			}
			want += s
		}
		c := rowChunks(n)
		got, err := weightedInertia(x, weights, centers, labels, opsFor[T](), c, 1)
		require.NoError(t, err)
		require.InDelta(t, want, got, 1e-12*want, "%T %s", x.Data, name)
		got2, err := weightedInertia(x, weights, centers, labels, opsFor[T](), c, 2)
		require.NoError(t, err)
		require.Equal(t, math.Float64bits(got), math.Float64bits(got2), "%T %s", x.Data, name)
	}
}

// Empty clusters take the rows farthest from their own centers, farthest first, whatever the
// thread count: the rows moved and the sums they carry are checked against distances computed
// here, row by row.
func TestRelocateEmptyTakesFarthestRows(t *testing.T) {
	testRelocate[float64](t)
	testRelocate[float32](t)
}

func testRelocate[T dense.Float](t *testing.T) {
	const n, d, ld, k = 3000, 19, 21, 6
	x, _ := noisyRows[T](n, d, ld, 5)
	centers := make([]T, k*d)
	for j := 0; j < 3; j++ { // centers 3..5 stay at the origin and get no rows
		copy(centers[j*d:j*d+d], x.Row(j))
	}
	for _, threads := range []int{1, 2, 3} {
		l := newLloyd(x, nil, k, threads)
		for i := range l.labels {
			l.labels[i] = int32(i % 3)
		}
		dist := make([]float64, n)
		sums := make([]float64, k*d)
		wsum := make([]float64, k)
		for i, lab := range l.labels {
			for j, v := range x.Row(i) {
				t := float64(v) - float64(centers[int(lab)*d+j])
				dist[i] += t * t
				sums[int(lab)*d+j] += float64(v)
			}
			wsum[lab]++
		}
		order := stableDescending(dist)
		wantSums, wantW := slices.Clone(sums), slices.Clone(wsum)
		for e, j := range []int{3, 4, 5} {
			far := order[e]
			old := int(l.labels[far])
			for f, v := range x.Row(far) {
				wantSums[old*d+f] -= float64(v)
				wantSums[j*d+f] = float64(v)
			}
			wantW[old]--
			wantW[j] = 1
		}
		l.relocateEmpty(centers, sums, wsum)
		require.Equal(t, wantW, wsum, "%T threads=%d", x.Data, threads)
		require.Equal(t, wantSums, sums, "%T threads=%d", x.Data, threads)
	}
}

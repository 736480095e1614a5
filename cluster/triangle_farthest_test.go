package cluster

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// farthestByScan is relocateEmpty's plain way: every row's distance, then farthestRows.
func farthestByScan(l *lloyd[float64], centers []float64, m int) []int {
	x, d := l.x, l.x.Cols
	dist := make([]float64, x.Rows)
	l.ops.sqDistRows(x.Data, x.Stride, x.Rows, d, centers, l.labels, dist)
	return farthestRows(dist, m)
}

// The farthest rows found from Hamerly's bounds are those of the full scan, in its order; and
// where the bounds cannot tell (many rows with bounds far above their distances, still valid),
// it must say so rather than answer from the wrong rows.
func TestTriangleFarthestEqualsScan(t *testing.T) {
	const k = 8
	x, _ := blobs(6000, 6, k, 31)
	l := newLloyd(x, nil, k, 1)
	tri, err := newTriangle(l, AlgoHamerly)
	require.NoError(t, err)
	l.tri = tri
	withoutWarmUp(tri.restart)
	centers := rowsAsInit(x, k, 3)
	require.NoError(t, tri.assign(centers)) // every bound from the rows' values
	for i := range centers {
		centers[i] += 0.05 * float64(i%5)
	}
	require.NoError(t, tri.assign(centers)) // bounds loosened by the moves, some tightened
	answered := 0
	for _, m := range []int{1, 2, 5, 8} {
		got, ok := tri.farthest(centers, m)
		if ok {
			answered++
			require.Equal(t, farthestByScan(l, centers, m), got, "m=%d", m)
		}
	}
	require.Positive(t, answered, "the bounds never answered")
	// Raise the bounds of the rows nearest their centers far above everyone's distance: still
	// upper bounds, but the rows they put first are the wrong ones.
	dist := make([]float64, x.Rows)
	l.ops.sqDistRows(x.Data, x.Stride, x.Rows, x.Cols, centers, l.labels, dist)
	near := stableDescending(dist)[x.Rows/2:]
	for _, i := range near[:1000] {
		tri.upper[i] *= 1000
	}
	for _, m := range []int{1, 5} {
		if got, ok := tri.farthest(centers, m); ok {
			require.Equal(t, farthestByScan(l, centers, m), got, "m=%d, raised bounds", m)
		}
	}
}

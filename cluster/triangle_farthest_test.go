package cluster

import (
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
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
	l, tri := hamerlyOn(t, x, k, 1)
	withoutWarmUp(tri.restart)
	centers := rowsAsInit(x, k, 3)
	require.NoError(t, tri.assign(centers)) // every bound from the rows' values
	for i := range centers {
		centers[i] += 0.05 * float64(i%5)
	}
	require.NoError(t, tri.assign(centers)) // bounds loosened by the moves, some tightened
	requireFarthestAnswers(t, l, tri, centers, []int{1, 2, 5, 8})
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

// After a warm-up pass (Lloyd's own, on the GEMM tile) the farthest rows come from bounds made
// of the pass's minima (warmUpper): the same rows as the full scan, in its order. One blob sits
// far from the origin, so that its rows' norms (which the bounds also hold) are no guide to
// their distances.
func TestTriangleFarthestAfterWarmPassEqualsScan(t *testing.T) {
	const k = 16
	x, _ := blobs(6000, 64, k, 32) // row i is in blob i mod k
	for i := 0; i < x.Rows; i += k {
		for f := range x.Row(i) {
			x.Data[i*x.Stride+f] += 1000
		}
	}
	require.True(t, useGemmTile(x.Cols, k), "the shape must take the GEMM tile")
	l, tri := hamerlyOn(t, x, k, 2)
	tri.restart() // with the warm-up: the first pass is Lloyd's own
	l.unlabelled = true
	centers := rowsAsInit(x, k, 5)
	copy(centers, x.Row(0)) // a center in the far blob: its rows are near their center
	require.NoError(t, tri.assign(centers))
	require.True(t, tri.lloydPass && tri.warmMinima, "the pass was not a warm-up pass with minima")
	requireFarthestAnswers(t, l, tri, centers, []int{1, 2, 5, 16})
}

// Where the mixed labels serve Lloyd's pass (float64 rows, 32 < k ≤ 64), a warm-up pass takes
// them instead of the float64 tile's minima: it leaves no minima, so farthest declines (the
// caller then scans X), and the pass's labels are the float64 tile's.
func TestTriangleWarmPassTakesMixedLabels(t *testing.T) {
	const n, d, k = 3000, 32, 64
	if !kernels.MarginProductsFast(k) {
		t.Skipf("backend %s has no assembly for the mixed labels (they are used only with it)", kernels.Active())
	}
	x, _ := blobs(n, d, k, 33)
	require.True(t, useGemmTile(d, k) && useMixed(d, k), "the shape must take the mixed labels")
	l, tri := hamerlyOn(t, x, k, 2)
	tri.restart()
	l.unlabelled = true
	centers := rowsAsInit(x, k, 7)
	require.NoError(t, tri.assign(centers))
	require.True(t, tri.lloydPass, "the pass was not a warm-up pass")
	require.False(t, tri.warmMinima, "the warm-up pass left minima: the float64 tile ran")
	require.Positive(t, l.gemm.mixed.rows.Load(), "no row went through the float32 products")
	_, ok := tri.farthest(centers, 1)
	require.False(t, ok, "farthest answered without bounds")
	plain := newLloyd(x, nil, k, 2)
	usePath(plain, true)
	plain.gemm.mixed = nil
	plain.unlabelled = true
	require.NoError(t, plain.assign(centers))
	require.Equal(t, plain.labels, l.labels, "labels differ from the float64 tile's")
}

// hamerlyOn is a Hamerly fit's state on x (k centers, threads), its triangle set up.
func hamerlyOn(t *testing.T, x dense.Matrix[float64], k, threads int) (*lloyd[float64], *triangle[float64]) {
	l := newLloyd(x, nil, k, threads)
	tri, err := newTriangle(l, AlgoHamerly, nil)
	require.NoError(t, err)
	l.tri = tri
	return l, tri
}

// requireFarthestAnswers requires the bounds to answer farthest for some of the ms, each answer
// the full scan's.
func requireFarthestAnswers(t *testing.T, l *lloyd[float64], tri *triangle[float64], centers []float64, ms []int) {
	t.Helper()
	answered := 0
	for _, m := range ms {
		if got, ok := tri.farthest(centers, m); ok {
			answered++
			require.Equal(t, farthestByScan(l, centers, m), got, "m=%d", m)
		}
	}
	require.Positive(t, answered, "the bounds never answered")
}

package cluster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// The GEMM tile must change the speed only: from the same init, Lloyd on the GEMM tile gives the
// fused kernel's labels, centers, inertia and iteration count bit for bit, with and without
// weights, on a row stride wider than d, for any thread count. Uniform data keeps many rows
// near the boundary between two centers, where any difference in the values compared would
// show as a different label; two equal centers in the init make every row a tie at first (the
// lowest index must win, and the other center empties and is relocated). At d = 200 the sums
// are added group by group, each group's rows center by center (addGroup): several whole groups
// of several blocks and a partial last one, 64-column pieces of the sums and a tail of 8. On
// AVX-512, float32 rows with 32 < k ≤ 64 and d ≤ tile64MaxWidth (d = 17, 64 and 200 here) take
// kernels' 64-center tile, its rows read in place on a stride past d, k = 40 with padded centers.
func TestGemmTileEqualsFusedKernel(t *testing.T) {
	for _, s := range []struct{ n, d, stride, k int }{{3001, 40, 40, 20}, {2000, 17, 19, 64}, {1500, 256, 256, 16}, {700, 33, 33, 9}, {2600, 200, 203, 64}, {1201, 64, 67, 40}} {
		for _, weighted := range []bool{false, true} {
			name := fmt.Sprintf("n=%d/d=%d/k=%d/w=%v", s.n, s.d, s.k, weighted)
			t.Run("f64/"+name, func(t *testing.T) { gemmVsFused[float64](t, s.n, s.d, s.stride, s.k, weighted) })
			t.Run("f32/"+name, func(t *testing.T) { gemmVsFused[float32](t, s.n, s.d, s.stride, s.k, weighted) })
		}
	}
}

func gemmVsFused[T dense.Float](t *testing.T, n, d, stride, k int, weighted bool) {
	if d == 200 {
		g := newGemmAssign[T](d, k)
		require.Greater(t, g.group, g.block, "a group of several blocks")
		require.Greater(t, n, 3*g.group, "several groups")
		require.NotZero(t, n%g.group, "a partial last group")
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(d)))
	data := make([]T, (n-1)*stride+d)
	for i := range data {
		data[i] = T(rng.Float64())
	}
	x := dense.Matrix[T]{Data: data, Rows: n, Cols: d, Stride: stride}
	var w []T
	if weighted {
		w = make([]T, n)
		for i := range w {
			w[i] = T(0.5 + rng.Float64())
		}
	}
	init := rowsAsInit(x, k, 3)
	copy(init[(k-1)*d:], init[:d])
	run := func(tile bool, threads int) *KMeansResult[T] {
		l := newLloyd(x, w, k, threads)
		usePath(l, tile)
		c := make([]T, len(init))
		copy(c, init)
		res, err := l.fit(c, 12, 0, func(int) bool { return true })
		require.NoError(t, err)
		return res
	}
	fused := run(false, 2)
	for _, threads := range []int{1, 2, 3} {
		tile := run(true, threads)
		require.Equal(t, fused.Labels, tile.Labels, "threads=%d", threads)
		require.Equal(t, fused.Centers, tile.Centers, "threads=%d", threads)
		require.Equal(t, fused.Inertia, tile.Inertia, "threads=%d", threads)
		require.Equal(t, fused.NIter, tile.NIter, "threads=%d", threads)
	}
}

// usePath points l at the GEMM tile or at the fused kernel, whatever useGemmTile says.
func usePath[T dense.Float](l *lloyd[T], tile bool) {
	l.ops, l.gemm = opsFor[T](), nil
	if tile {
		l.gemm = newGemmAssign[T](l.x.Cols, l.k)
		l.ops.nearest, l.ops.lloyd = l.gemm.nearest, l.gemm.lloyd
	}
}

// The shapes that take the 64-center tile where it runs (AVX-512): float32 rows, 32 < k ≤ 64,
// d ≤ tile64MaxWidth, in Lloyd's GEMM-tile pass and in Hamerly's full rows; never float64 rows.
func TestTile64Shapes(t *testing.T) {
	if !kernels.Tile64Fast() {
		t.Skip("the 64-center tile is AVX-512 assembly only")
	}
	require.NotNil(t, newGemmAssign[float32](32, 64).tile)
	require.NotNil(t, newGemmAssign[float32](tile64MaxWidth, 33).tile)
	require.Nil(t, newGemmAssign[float32](tile64MaxWidth+1, 64).tile)
	require.Nil(t, newGemmAssign[float32](32, 32).tile)
	require.Nil(t, newGemmAssign[float32](32, 65).tile)
	require.Nil(t, newGemmAssign[float64](32, 64).tile)
	x, _ := blobs(500, 32, 64, 1)
	for _, algo := range []Algorithm{AlgoHamerly, AlgoElkan} {
		tri, err := newTriangle(newLloyd(toF32(x), nil, 64, 1), algo, nil)
		require.NoError(t, err)
		require.Equal(t, algo == AlgoHamerly, tri.tile != nil, "algorithm %d", algo)
	}
}

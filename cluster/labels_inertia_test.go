package cluster

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/stretchr/testify/require"
)

// labelsAndInertia labels a chunk span by span and takes each span's inertia at once; its
// labels and inertia must be those of a labels pass over whole chunks followed by a separate
// inertia pass, bit for bit, on every assignment path (few-center tile, wide streaming pass,
// packed tile, GEMM tile), weighted or not, on 1 and 2 threads. The shapes have several spans
// per chunk and a partial last span.
func TestLabelsAndInertiaEqualsTwoPasses(t *testing.T) {
	for _, s := range []struct{ n, d, k int }{{20000, 256, 3}, {20000, 256, 16}, {2100, 300, 64}, {1500, 1024, 8}} {
		for _, weighted := range []bool{false, true} {
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("n=%d/d=%d/k=%d/w=%v/threads=%d", s.n, s.d, s.k, weighted, threads)
				t.Run("f64/"+name, func(t *testing.T) { labelsInertiaVsTwoPasses[float64](t, s.n, s.d, s.k, weighted, threads) })
				t.Run("f32/"+name, func(t *testing.T) { labelsInertiaVsTwoPasses[float32](t, s.n, s.d, s.k, weighted, threads) })
			}
		}
	}
}

func labelsInertiaVsTwoPasses[T dense.Float](t *testing.T, n, d, k int, weighted bool, threads int) {
	x := benchRows[T](n, d)
	centers := rowsAsInit(x, k, 3)
	var w []T
	if weighted {
		rng := rand.New(rand.NewPCG(uint64(n), uint64(d)))
		w = make([]T, n)
		for i := range w {
			w[i] = T(0.5 + rng.Float64())
		}
	}
	fused := newAssigner(x, w, k, threads, nil)
	require.Greater(t, n/fused.chunks.Count, inertiaSpan(d, elemBytes[T]()), "the shape must have several spans per chunk")
	got, err := fused.labelsAndInertia(centers, true)
	require.NoError(t, err)

	two := newAssigner(x, w, k, threads, nil)
	two.prepareCenters(centers)
	require.NoError(t, parallel.Run(two.chunks, threads, func(ci, lo, hi int) error {
		two.nearestRows(centers, ci, lo, hi, make([]T, hi-lo))
		return nil
	}))
	want, err := two.inertia(centers)
	require.NoError(t, err)

	require.Equal(t, two.labels, fused.labels)
	require.Equal(t, want, got, "inertia")
}

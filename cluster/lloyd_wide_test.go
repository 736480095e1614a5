package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// At k ≤ 8 and d > 64 the fit's passes (the fused streaming pass with sums) and its labels-only
// passes (the last assignment after a fit stopped by tol or max_iter, Predict) run different
// kernels on AVX-512; rows after the last whole tile and predictions of fewer rows than a tile
// run the old tile. All must agree bit for bit: a fit's labels_ are Predict(X)'s (and, for
// float64 rows, ArgminMin's), and Predict of a single row gives that row's label. The labels must also be scikit-learn's, the nearest center
// by Euclidean distance (the lowest index on ties), wherever the exact distances of the two
// nearest centers differ by more than the expansion's error bound.
func TestWideFitLabelsEqualPredict(t *testing.T) {
	for _, s := range []struct{ n, d, stride, k int }{{1007, 256, 256, 3}, {1007, 256, 259, 8}, {333, 1024, 1024, 3}, {333, 1024, 1025, 8}} {
		for _, maxIter := range []int{2, 50} { // stopped early (the last assignment runs) or converged
			name := fmt.Sprintf("n=%d/d=%d/ld=%d/k=%d/iter=%d", s.n, s.d, s.stride, s.k, maxIter)
			t.Run("f64/"+name, func(t *testing.T) { wideFitVsPredict[float64](t, s.n, s.d, s.stride, s.k, maxIter) })
			t.Run("f32/"+name, func(t *testing.T) { wideFitVsPredict[float32](t, s.n, s.d, s.stride, s.k, maxIter) })
		}
	}
}

func wideFitVsPredict[T dense.Float](t *testing.T, n, d, stride, k, maxIter int) {
	rng := rand.New(rand.NewPCG(uint64(n*k), uint64(d)))
	// Overlapping blobs: k centers in [0, 1)^d, rows a center plus uniform noise of six times its
	// spread, so rows lie between clusters and the labels keep moving for a few iterations.
	blob := make([]float64, k*d)
	for i := range blob {
		blob[i] = rng.Float64()
	}
	data := make([]T, (n-1)*stride+d)
	for i := 0; i < n; i++ {
		j := rng.IntN(k)
		for f := 0; f < d; f++ {
			data[i*stride+f] = T(blob[j*d+f] + 6*rng.Float64())
		}
	}
	x := dense.Matrix[T]{Data: data, Rows: n, Cols: d, Stride: stride}
	init := make([]T, 0, k*d)
	for _, i := range rng.Perm(n)[:k] {
		init = append(init, x.Row(i)...)
	}
	res, err := newLloyd(x, nil, k, 2).fit(init, maxIter, 0, func(int) bool { return true })
	require.NoError(t, err)
	centers := dense.Matrix[T]{Data: res.Centers, Rows: k, Cols: d, Stride: d}

	labels := make([]int32, n)
	inertia, err := Predict(x, centers, nil, 2, labels)
	require.NoError(t, err)
	require.Equal(t, res.Labels, labels, "Predict(X) differs from the fit's labels")
	require.Equal(t, res.Inertia, inertia)
	// pairwise_distances_argmin_min takes the labels-only pass too (on the rows widened to
	// float64, so for float64 rows it must give Predict's labels).
	if _, ok := any(T(0)).(float64); ok {
		arg, dist := make([]int64, n), make([]float64, n)
		require.NoError(t, ArgminMin(x, centers, 2, arg, dist))
		for i, a := range arg {
			require.Equal(t, int64(labels[i]), a, "ArgminMin, row %d", i)
		}
	}
	one := make([]int32, 1)
	for _, i := range []int{0, 1, n/2 + 3, n - 1} {
		row := dense.Matrix[T]{Data: x.Row(i), Rows: 1, Cols: d, Stride: d}
		_, err := Predict(row, centers, nil, 1, one)
		require.NoError(t, err)
		require.Equal(t, labels[i], one[0], "Predict of row %d alone", i)
	}

	// scikit-learn's labels: the nearest center by the exact distance, on the rows where the
	// two nearest are told apart beyond the bound on the error of ‖c‖² − 2x·c (each of its
	// d-term dot products in T within (d+2)·u·Σ|x||c|, and one rounding more).
	u := math.Pow(2, -53)
	if _, ok := any(T(0)).(float32); ok {
		u = math.Pow(2, -24)
	}
	checked := 0
	for i := 0; i < n; i++ {
		row := x.Row(i)
		best, second, arg := math.Inf(1), math.Inf(1), -1
		var bound float64
		for j := 0; j < k; j++ {
			c := res.Centers[j*d : j*d+d]
			var dist, absDot, cn float64
			for f, v := range row {
				diff := float64(v) - float64(c[f])
				dist += diff * diff
				absDot += math.Abs(float64(v) * float64(c[f]))
				cn += float64(c[f]) * float64(c[f])
			}
			bound = max(bound, float64(d+4)*u*(2*absDot+cn))
			if dist < best {
				best, second, arg = dist, best, j
			} else if dist < second {
				second = dist
			}
		}
		if second-best > 2*bound {
			checked++
			require.Equal(t, int32(arg), labels[i], "row %d: not the nearest center (gap %g, bound %g)", i, second-best, bound)
		}
	}
	require.Greater(t, checked, n*3/4, "too few rows told apart to check the labels")
}

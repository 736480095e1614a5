package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// Predict and Transform check X for NaN and ±Inf after their pass (predict.go): a bad value must
// still be named, with its row and column, whichever labelling path its shape takes (narrow rows,
// few centers in lanes, the streaming pass for wide rows, the GEMM tile for many centers),
// wherever it lies (first and last row, the rows past the last whole tile, a row alone), with
// unit, zero and negative weights, with the inertia and without; on clean X, Predict and
// PredictLabels give the same labels and Transform each pair's sqDist.
func TestPredictNamesNonFiniteAfterThePass(t *testing.T) {
	shapes := []struct{ n, d, k int }{{1000, 3, 3}, {1000, 10, 8}, {999, 32, 3}, {1003, 256, 3}, {1003, 256, 8}, {700, 32, 64}, {1, 5, 2}}
	for _, s := range shapes {
		name := fmt.Sprintf("n=%d/d=%d/k=%d", s.n, s.d, s.k)
		t.Run("f64/"+name, func(t *testing.T) { predictNonFinite[float64](t, s.n, s.d, s.k) })
		t.Run("f32/"+name, func(t *testing.T) { predictNonFinite[float32](t, s.n, s.d, s.k) })
	}
}

func predictNonFinite[T dense.Float](t *testing.T, n, d, k int) {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(d*k)))
	data := make([]T, n*d)
	for i := range data {
		data[i] = T(rng.NormFloat64())
	}
	cdata := make([]T, k*d)
	for i := range cdata {
		cdata[i] = T(rng.NormFloat64())
	}
	x := dense.Matrix[T]{Data: data, Rows: n, Cols: d, Stride: d}
	centers := dense.Matrix[T]{Data: cdata, Rows: k, Cols: d, Stride: d}
	weights := map[string][]T{"unit": nil, "zero": make([]T, n), "signed": make([]T, n)}
	for i := range weights["signed"] {
		weights["signed"][i] = T(rng.Float64()*4 - 2)
	}
	labels := make([]int32, n)

	clean, err := Predict(x, centers, nil, 2, labels)
	require.NoError(t, err)
	want := append([]int32(nil), labels...)
	require.False(t, math.IsNaN(clean) || math.IsInf(clean, 0))
	require.NoError(t, PredictLabels(x, centers, nil, 2, labels))
	require.Equal(t, want, labels, "PredictLabels and Predict")
	// Transform: every pair's √Σ(x−c)², a sqDist of its own, bit for bit.
	dist := make([]T, n*k)
	require.NoError(t, Transform(x, centers, 2, dist))
	o := opsFor[T]()
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			require.Equal(t, T(math.Sqrt(o.sqDist(x.Row(i), centers.Row(j)))), dist[i*k+j], "row %d, center %d", i, j)
		}
	}
	// All three: with the inertia, without (which tells from the pass's minima), the distances.
	both := map[string]func(w []T) error{
		"Predict":       func(w []T) error { _, err := Predict(x, centers, w, 2, labels); return err },
		"PredictLabels": func(w []T) error { return PredictLabels(x, centers, w, 2, labels) },
		"Transform":     func([]T) error { return Transform(x, centers, 2, dist) },
	}

	rows := []int{0, n / 2, n - 1}
	for _, r := range rows {
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for wname, w := range weights {
				for fname, call := range both {
					f := (r * 7) % d
					data[r*d+f] = T(bad)
					err := call(w)
					data[r*d+f] = T(rng.NormFloat64())
					require.Error(t, err, "%s: %v at row %d, column %d, %s weights", fname, bad, r, f, wname)
					require.Contains(t, err.Error(), fmt.Sprintf("X contains %v at row %d, column %d", bad, r, f), "%s, %s weights", fname, wname)
				}
			}
		}
	}
	// Finite again (the bad values were replaced by new draws): no error, and only the rows
	// that held them may have moved.
	again, err := Predict(x, centers, nil, 1, labels)
	require.NoError(t, err)
	require.False(t, math.IsNaN(again) || math.IsInf(again, 0))
	for i := range labels {
		if i != 0 && i != n/2 && i != n-1 {
			require.Equal(t, want[i], labels[i], "row %d", i)
		}
	}
}

// labelsInRange is what keeps a label no center has (which only a NaN or ±Inf row could get
// from a SIMD argmin) away from sqDistRows.
func TestLabelsInRange(t *testing.T) {
	require.True(t, labelsInRange([]int32{0, 2, 1}, 3))
	require.True(t, labelsInRange(nil, 3))
	require.False(t, labelsInRange([]int32{0, 3, 1}, 3))
	require.False(t, labelsInRange([]int32{0, -1}, 3))
	require.False(t, labelsInRange([]int32{math.MinInt32}, 3))
}

package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// SumRows over the rows of each label, in row order, gives every label's sums bit for bit as
// kernels.Accumulate* does adding all the rows one by one: for every tail of the 64-column
// chunks, a row stride wider than d, with and without weights, and starting from sums that are
// not zero (a later block's rows added to an earlier block's sums).
func TestSumRowsEqualsAccumulate(t *testing.T) {
	for _, d := range []int{1, 3, 4, 7, 8, 12, 16, 24, 28, 32, 40, 63, 64, 65, 120, 128, 200, 256, 300} { // every tail of 32, 16, 8, 4 and the rest
		for _, weighted := range []bool{false, true} {
			name := fmt.Sprintf("d=%d/w=%v", d, weighted)
			t.Run("f64/"+name, func(t *testing.T) { sumRowsCase[float64](t, d, weighted, kernels.AccumulateF64) })
			t.Run("f32/"+name, func(t *testing.T) { sumRowsCase[float32](t, d, weighted, kernels.AccumulateF32) })
		}
	}
}

func sumRowsCase[T Float](t *testing.T, d int, weighted bool, accumulate func(x []T, ldx, n, d int, labels []int32, w []T, sums, wsum []float64)) {
	const n, k = 97, 5
	ldx := d + 3
	rng := rand.New(rand.NewPCG(uint64(d), 41))
	x := make([]T, n*ldx)
	for i := range x {
		x[i] = T(rng.NormFloat64() * 1e3)
	}
	var w []T
	if weighted {
		w = make([]T, n)
		for i := range w {
			w[i] = T(0.1 + rng.Float64())
		}
	}
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(rng.IntN(k))
	}
	start := make([]float64, k*d)
	for i := range start {
		start[i] = rng.NormFloat64()
	}
	want := append([]float64(nil), start...)
	accumulate(x, ldx, n, d, labels, w, want, make([]float64, k))
	got := append([]float64(nil), start...)
	for c := 0; c < k; c++ {
		var rows []int32
		for i, l := range labels {
			if int(l) == c {
				rows = append(rows, int32(i))
			}
		}
		SumRows(x, ldx, rows, w, got[c*d:(c+1)*d])
	}
	require.Equal(t, want, got)
}

func TestSumRowsChecksItsRows(t *testing.T) {
	x := make([]float64, 3*10)
	sum := make([]float64, 10)
	require.NotPanics(t, func() { SumRows(x, 10, []int32{2, 0}, nil, sum) })
	require.Panics(t, func() { SumRows(x, 10, []int32{3}, nil, sum) })
	require.Panics(t, func() { SumRows(x, 10, []int32{-1}, nil, sum) })
	require.Panics(t, func() { SumRows(x, 10, []int32{2}, []float64{1, 1}, sum) })
}

package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/kernels"
	"github.com/stretchr/testify/require"
)

// Hamerly's loosening through looseTables and kernels.LoosenBounds against the textbook
// loosening written out row by row: the same bounds bit
// for bit and the same verdicts, on bounds near the edge of proving (so both verdicts occur),
// with the row whose center moved farthest, zero lower bounds and batch offsets.
func TestHamerlyLooseRowsMatchesRowByRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const n, k = 300, 7
	labels := make([]int32, n)
	upper, lower, xn := make([]float64, n), make([]float64, n), make([]float64, n)
	move, half := make([]float64, k), make([]float64, k)
	for j := range move {
		move[j], half[j] = rng.Float64()*0.2, 0.2+0.6*rng.Float64()
	}
	for i := range labels {
		labels[i] = int32(rng.IntN(k))
		upper[i] = 0.5 + rng.Float64()
		lower[i] = upper[i] + rng.Float64()*0.8 - 0.1
		if i%17 == 0 {
			lower[i] = 0
		}
		xn[i] = 10 * rng.Float64()
	}
	b := struct {
		move1, move2 float64
		arg1         int
		cmax, slack  float64
	}{move1: 0.2, move2: 0.15, arg1: 3, cmax: 12, slack: 1e-7}
	wantUp, wantLow := make([]float64, n), make([]float64, n)
	want := make([]bool, n)
	for i := range labels {
		a := int(labels[i])
		wantUp[i] = (upper[i] + move[a]) * roundUp
		m := b.move1
		if a == b.arg1 {
			m = b.move2
		}
		wantLow[i] = math.Max(0, (lower[i]-m)*roundDown)
		s := xn[i] + b.cmax
		delta := b.slack * s * s
		lo := math.Max(wantLow[i], 2*half[a]-wantUp[i])
		want[i] = lo > wantUp[i] && (lo-wantUp[i])*(lo+wantUp[i]) > 2*delta
	}
	other, twoHalf := make([]float64, k), make([]float64, k)
	looseTables(move, half, b.move1, b.move2, b.arg1, other, twoHalf)
	fails, settledCount := 0, 0
	for lo := 0; lo < n; lo += fullBatch {
		hi := min(lo+fullBatch, n)
		settled := kernels.LoosenBounds(labels[lo:hi], upper[lo:hi], lower[lo:hi], xn[lo:hi], move, other, twoHalf, b.cmax, b.slack)
		for p := range hi - lo {
			got := settled>>p&1 == 1
			require.Equal(t, want[lo+p], got, "row %d", lo+p)
			if got {
				settledCount++
			} else {
				fails++
			}
		}
	}
	require.Equal(t, n-settledCount, fails)
	require.Greater(t, settledCount, n/10, "too few settled rows to test both verdicts")
	require.Greater(t, fails, n/10, "too few failed rows to test both verdicts")
	for i := range labels {
		require.Equal(t, math.Float64bits(wantUp[i]), math.Float64bits(upper[i]), "upper %d", i)
		require.Equal(t, math.Float64bits(wantLow[i]), math.Float64bits(lower[i]), "lower %d", i)
	}
}

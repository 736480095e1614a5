package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// twoPassMeanVariance is np.var(x, axis=0).mean() as numpy computes it: the column means, then
// the squared deviations from them, in float64.
func twoPassMeanVariance[T dense.Float](x dense.Matrix[T]) float64 {
	mean := make([]float64, x.Cols)
	for i := 0; i < x.Rows; i++ {
		for j, v := range x.Row(i) {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(x.Rows)
	}
	var total float64
	for j := range mean {
		var s float64
		for i := 0; i < x.Rows; i++ {
			t := float64(x.Row(i)[j]) - mean[j]
			s += t * t
		}
		total += s / float64(x.Rows)
	}
	return total / float64(x.Cols)
}

// shiftedRows is n×d normal values of scale 1..d around an offset, with row stride ld ≥ d (the
// gap holds NaN: reading it would show). A large offset is where one-pass sums of squares lose
// every digit; the block means used by meanVariance must not.
func shiftedRows[T dense.Float](n, d, ld int, offset float64, seed uint64) dense.Matrix[T] {
	rng := rand.New(rand.NewPCG(seed, 3))
	data := make([]T, (n-1)*ld+d)
	for i := range data {
		data[i] = T(math.NaN())
	}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			data[i*ld+j] = T(offset + float64(j+1)*rng.NormFloat64())
		}
	}
	return dense.Matrix[T]{Data: data, Rows: n, Cols: d, Stride: ld}
}

// The one-read mean variance is the two-pass value to within 1e-10 relatively (the tolerance
// accepted for a stopping threshold), for both types, row counts around the blocks and chunks,
// padded strides and offsets far above the spread; and the same bits for any thread count.
func TestMeanVarianceMatchesTwoPasses(t *testing.T) {
	for _, s := range []struct{ n, d, ld int }{{1, 1, 1}, {3, 2, 5}, {127, 7, 7}, {129, 16, 19}, {1000, 33, 33}, {70001, 5, 6}, {4000, 256, 256}} {
		for _, offset := range []float64{0, 1e3, -1e5} {
			name := fmt.Sprintf("n=%d d=%d ld=%d offset=%g", s.n, s.d, s.ld, offset)
			checkMeanVariance(t, shiftedRows[float64](s.n, s.d, s.ld, offset, uint64(s.n)), "f64 "+name)
			checkMeanVariance(t, shiftedRows[float32](s.n, s.d, s.ld, offset, uint64(s.n)), "f32 "+name)
		}
	}
}

// Sorted rows, whose block means move far more than their rows spread, are where the blocks'
// shifts are worst: the moves must still cost only rounding.
func TestMeanVarianceOfSortedRows(t *testing.T) {
	for _, n := range []int{1000, 70001} {
		x := shiftedRows[float64](n, 4, 4, 0, 12)
		for i := 0; i < n; i++ {
			for j := 0; j < 4; j++ {
				x.Data[i*4+j] += 1e3 * float64(i) * float64(j)
			}
		}
		checkMeanVariance(t, x, fmt.Sprintf("f64 sorted n=%d", n))
		checkMeanVariance(t, toF32(x), fmt.Sprintf("f32 sorted n=%d", n))
	}
}

func checkMeanVariance[T dense.Float](t *testing.T, x dense.Matrix[T], name string) {
	want := twoPassMeanVariance(x)
	got, err := meanVariance(x, 1, nil)
	require.NoError(t, err)
	require.InDelta(t, want, got, 1e-10*want+1e-300, name)
	got3, err := meanVariance(x, 3, nil)
	require.NoError(t, err)
	require.Equal(t, math.Float64bits(got), math.Float64bits(got3), name)
}

// validateKMeans finds a NaN or ±Inf wherever it is through the variance's pass and names its
// row and column; finite values whose squares overflow float64 are not mistaken for one.
func TestValidateFindsNonFiniteThroughVariance(t *testing.T) {
	p := DefaultKMeansParams()
	p.K = 2
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, at := range [][2]int{{0, 0}, {500, 3}, {999, 4}, {128, 1}} {
			x := shiftedRows[float64](1000, 5, 5, 0, 9)
			x.Data[at[0]*5+at[1]] = bad
			_, err := validateKMeans(x, nil, nil, p, nil)
			require.ErrorContains(t, err, fmt.Sprintf("X contains %v at row %d, column %d", bad, at[0], at[1]))
			x32 := toF32(x)
			_, err = validateKMeans(x32, nil, nil, p, nil)
			require.ErrorContains(t, err, fmt.Sprintf("X contains %v at row %d, column %d", bad, at[0], at[1]))
		}
	}
	x := shiftedRows[float64](300, 3, 3, 0, 10)
	x.Data[3*10], x.Data[3*11] = math.Inf(1), math.Inf(-1) // one column, both signs
	_, err := validateKMeans(x, nil, nil, p, nil)
	require.ErrorContains(t, err, "X contains +Inf at row 10, column 0")

	huge := shiftedRows[float64](300, 3, 3, 0, 11)
	for i := range huge.Data {
		huge.Data[i] = math.Copysign(1e200, huge.Data[i]) // squared deviations of 1e400
	}
	v, err := validateKMeans(huge, nil, nil, p, nil)
	require.NoError(t, err)
	require.True(t, math.IsInf(v, 1) || math.IsNaN(v), "variance %v", v)
}

// The row norms meanVariance takes with the variance are newTriangle's own, bit for bit, and
// leave the variance as it was.
func TestMeanVarianceNormsAreTheTrianglesOwn(t *testing.T) {
	x, _ := blobs(3001, 37, 5, 9)
	for _, threads := range []int{1, 2, 3} {
		norms := make([]float64, x.Rows)
		v, err := meanVariance(x, threads, norms)
		require.NoError(t, err)
		v0, err := meanVariance(x, threads, nil)
		require.NoError(t, err)
		require.Equal(t, v0, v)
		tri, err := newTriangle(newLloyd(x, nil, 5, threads), AlgoHamerly, nil)
		require.NoError(t, err)
		require.Equal(t, tri.xn2, norms, "threads=%d", threads)
	}
}

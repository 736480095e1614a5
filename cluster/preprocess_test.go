package cluster

import (
	"math"
	"slices"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/stretchr/testify/require"
)

func matrix[T dense.Float](rows, cols int, v ...float64) dense.Matrix[T] {
	data := make([]T, len(v))
	for i, x := range v {
		data[i] = T(x)
	}
	return dense.Matrix[T]{Data: data, Rows: rows, Cols: cols, Stride: cols}
}

func floats[T dense.Float](m dense.Matrix[T]) []float64 {
	var out []float64
	for i := 0; i < m.Rows; i++ {
		for _, v := range m.Row(i) {
			out = append(out, float64(v))
		}
	}
	return out
}

// Column 0: 1, 2, 3, 6 (mean 3, population variance (4+1+0+9)/4 = 3.5); column 1 constant;
// row 3 of the "norm" case is all zero.
const (
	r35 = 1.8708286933869707 // √3.5
)

func TestStandardScalerByHand(t *testing.T) {
	x := matrix[float64](4, 2, 1, 5, 2, 5, 3, 5, 6, 5)
	require.NoError(t, Preprocess(x, PreprocessStandard, 1))
	want := []float64{-2 / r35, 0, -1 / r35, 0, 0, 0, 3 / r35, 0} // constant feature: scale 1, so 0
	require.InDeltaSlice(t, want, floats(x), 1e-15)
}

func TestMinMaxScalerByHand(t *testing.T) {
	x := matrix[float64](4, 3, 1, 5, -2, 2, 5, 0, 3, 5, 2, 6, 5, 6)
	require.NoError(t, Preprocess(x, PreprocessMinMax, 1))
	// Column 0 onto [0, 1] by (x − 1)/5; column 1 constant → 0 (range treated as 1); column 2 by (x + 2)/8.
	want := []float64{0, 0, 0, 0.2, 0, 0.25, 0.4, 0, 0.5, 1, 0, 1}
	require.InDeltaSlice(t, want, floats(x), 1e-15)
}

func TestNormalizerByHand(t *testing.T) {
	x := matrix[float32](3, 2, 3, 4, 0, 0, -5, 12)
	require.NoError(t, Preprocess(x, PreprocessNorm, 1))
	want := []float64{0.6, 0.8, 0, 0, -5.0 / 13, 12.0 / 13} // the zero row stays zero
	require.InDeltaSlice(t, want, floats(x), 1e-7)
}

func TestPreprocessingIsThreadIndependent(t *testing.T) {
	// Wide (column blocks) and narrow (row chunks) reductions both.
	for _, d := range []int{3, 300} {
		x, _ := blobs(2000, d, 4, 8)
		for _, kind := range []Preprocessing{PreprocessStandard, PreprocessMinMax, PreprocessNorm} {
			a := dense.Matrix[float64]{Data: slices.Clone(x.Data), Rows: x.Rows, Cols: d, Stride: d}
			b := dense.Matrix[float64]{Data: slices.Clone(x.Data), Rows: x.Rows, Cols: d, Stride: d}
			require.NoError(t, Preprocess(a, kind, 1))
			require.NoError(t, Preprocess(b, kind, 4))
			require.Equal(t, a.Data, b.Data, "kind %d d=%d", kind, d)
		}
	}
}

func TestStandardScalerOnWideData(t *testing.T) {
	// The column-block path: every column must come out with mean 0 and variance 1.
	x, _ := blobs(400, 200, 3, 2)
	require.NoError(t, Preprocess(x, PreprocessStandard, 2))
	for j := 0; j < x.Cols; j++ {
		var s, s2 float64
		for i := 0; i < x.Rows; i++ {
			v := x.Row(i)[j]
			s += v
			s2 += v * v
		}
		require.InDelta(t, 0, s/400, 1e-12, "column %d", j)
		require.InDelta(t, 1, s2/400, 1e-12, "column %d", j)
	}
}

func TestPrepareMasksAndViews(t *testing.T) {
	x := matrix[float64](4, 3, 1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400)
	// No mask, no preprocessing: a view, nothing copied.
	p, err := Prepare(Source[float64]{X: x}, PrepareOptions[float64]{})
	require.NoError(t, err)
	require.False(t, p.Owned)
	require.Same(t, &x.Data[0], &p.Data.Data[0])

	src := Source[float64]{X: x, NavMask: []bool{false, true, false, false}, SigMask: []bool{false, true, false}}
	p, err = Prepare(src, PrepareOptions[float64]{})
	require.NoError(t, err)
	require.Equal(t, []int{0, 2, 3}, p.Kept)
	require.Equal(t, []float64{1, 100, 3, 300, 4, 400}, floats(p.Data))
	require.Equal(t, 4, p.NTotal)
	require.Equal(t, 1.0, x.Row(0)[0], "the caller's data is never modified")

	// A NaN in a masked pixel is fine, in a kept one it is named.
	x.Row(1)[0] = math.NaN()
	_, err = Prepare(src, PrepareOptions[float64]{Kind: PreprocessStandard})
	require.NoError(t, err)
	src.NavMask[1] = false
	_, err = Prepare(src, PrepareOptions[float64]{})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "NaN")
}

func TestPrepareRejectsBadMasks(t *testing.T) {
	x := matrix[float64](2, 2, 1, 2, 3, 4)
	_, err := Prepare(Source[float64]{X: x, NavMask: []bool{true}}, PrepareOptions[float64]{})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "navigation_mask has 1 values")
	_, err = Prepare(Source[float64]{X: x, SigMask: []bool{true, true}}, PrepareOptions[float64]{})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "signal_mask masks out all 2")
	_, err = Prepare(Source[float64]{X: x}, PrepareOptions[float64]{Kind: 9})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "preprocessing=9")
}

func TestUserPreprocessorMayChangeWidth(t *testing.T) {
	x := matrix[float64](3, 2, 1, 2, 3, 4, 5, 6)
	var seen []float64
	user := func(in dense.Matrix[float64]) (dense.Matrix[float64], error) {
		seen = floats(in)
		out := make([]float64, in.Rows*3)
		for i := 0; i < in.Rows; i++ {
			r := in.Row(i)
			out[i*3], out[i*3+1], out[i*3+2] = r[0]+r[1], r[0]*r[1], 1
		}
		return dense.Matrix[float64]{Data: out, Rows: in.Rows, Cols: 3, Stride: 3}, nil
	}
	src := Source[float64]{X: x, NavMask: []bool{false, true, false}}
	p, err := Prepare(src, PrepareOptions[float64]{User: user, Kind: PreprocessNorm})
	require.NoError(t, err)
	require.Equal(t, []float64{1, 2, 5, 6}, seen, "the user step sees the masked, unscaled source")
	require.Equal(t, []float64{3, 2, 1, 11, 30, 1}, floats(p.Data))

	bad := func(in dense.Matrix[float64]) (dense.Matrix[float64], error) {
		return dense.Matrix[float64]{Data: make([]float64, 1), Rows: 1, Cols: 1, Stride: 1}, nil
	}
	_, err = Prepare(src, PrepareOptions[float64]{User: bad})
	require.ErrorIs(t, err, fault.ErrCallback)
	require.Contains(t, err.Error(), "returned 1 rows for 2 samples")
}

package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/stretchr/testify/require"
)

// unevenBlobs returns sizes[c] rows around well-separated centers, rows of blob c interleaved
// in a shuffled order, and the blob of each row.
func unevenBlobs(sizes []int, d int, seed uint64) (dense.Matrix[float64], []int) {
	rng := rand.New(rand.NewPCG(seed, 2))
	var blob []int
	for c, s := range sizes {
		for range s {
			blob = append(blob, c)
		}
	}
	rng.Shuffle(len(blob), func(i, j int) { blob[i], blob[j] = blob[j], blob[i] })
	x := make([]float64, len(blob)*d)
	for i, c := range blob {
		for j := 0; j < d; j++ {
			x[i*d+j] = float64(10*c*(j%2*2-1)) + rng.NormFloat64()
		}
	}
	return dense.Matrix[float64]{Data: x, Rows: len(blob), Cols: d, Stride: d}, blob
}

func analysisParams(k int) AnalysisParams[float64] {
	p := AnalysisParams[float64]{KMeans: DefaultKMeansParams()}
	p.KMeans.K, p.KMeans.Seed = k, 3
	return p
}

func TestClusterAnalysisAgainstDirectComputation(t *testing.T) {
	x, blob := unevenBlobs([]int{50, 120, 80}, 3, 1)
	n, k := x.Rows, 3
	// The centers' source: 5 columns of another dtype, one row per pixel.
	cs := make([]float32, n*5)
	for i := range cs {
		cs[i] = float32(i%7) + float32(i/5)
	}
	centers := dense.Matrix[float32]{Data: cs, Rows: n, Cols: 5, Stride: 5}
	nav := make([]bool, n)
	nav[4], nav[17] = true, true

	out := AnalysisOutput{
		Labels: make([]int32, n), Sizes: make([]int64, k), Distances: make([]float64, k*n),
		SumSignals: make([]float64, k*5), MeanSignals: make([]float64, k*5),
		CentroidSignals: make([]float64, k*5), CentroidPixels: make([]int64, k), Centroids: make([]float64, k*3),
	}
	p := analysisParams(k)
	p.Prepare.Kind = PreprocessStandard
	res, err := ClusterAnalysis(Source[float64]{X: x, NavMask: nav}, centers, p, out)
	require.NoError(t, err)
	require.Equal(t, 3, res.Features)

	// Rows by decreasing size: blob 1 (120 − the masked), blob 2, blob 0.
	require.Equal(t, []int64{120 - countMasked(nav, blob, 1), 80 - countMasked(nav, blob, 2), 50 - countMasked(nav, blob, 0)}, out.Sizes)
	rowOfBlob := map[int]int32{1: 0, 2: 1, 0: 2}
	scaled := standardized(x, nav)
	for i := 0; i < n; i++ {
		if nav[i] {
			require.Equal(t, int32(-1), out.Labels[i])
			for r := 0; r < k; r++ {
				require.True(t, math.IsNaN(out.Distances[r*n+i]))
			}
			continue
		}
		require.Equal(t, rowOfBlob[blob[i]], out.Labels[i], "pixel %d", i)
	}
	for r := 0; r < k; r++ {
		// Mean of the scaled members, distance of every pixel to it, nearest pixel.
		mean := make([]float64, 3)
		var members float64
		sum := make([]float64, 5)
		for i := 0; i < n; i++ {
			if out.Labels[i] != int32(r) {
				continue
			}
			members++
			for j := range mean {
				mean[j] += scaled[i*3+j]
			}
			for j := range sum {
				sum[j] += float64(cs[i*5+j])
			}
		}
		for j := range mean {
			mean[j] /= members
		}
		require.InDeltaSlice(t, mean, out.Centroids[r*3:r*3+3], 1e-12)
		require.InDeltaSlice(t, sum, out.SumSignals[r*5:r*5+5], 1e-9)
		for j := range sum {
			require.InDelta(t, sum[j]/members, out.MeanSignals[r*5+j], 1e-9)
		}
		nearest, best := -1, math.Inf(1)
		for i := 0; i < n; i++ {
			if nav[i] {
				continue
			}
			var s float64
			for j := range mean {
				s += (scaled[i*3+j] - mean[j]) * (scaled[i*3+j] - mean[j])
			}
			require.InDelta(t, math.Sqrt(s), out.Distances[r*n+i], 1e-12)
			if math.Sqrt(s) < best {
				nearest, best = i, math.Sqrt(s)
			}
		}
		require.Equal(t, int64(nearest), out.CentroidPixels[r])
		for j := 0; j < 5; j++ {
			require.Equal(t, float64(cs[nearest*5+j]), out.CentroidSignals[r*5+j])
		}
	}
}

func countMasked(nav []bool, blob []int, c int) int64 {
	var m int64
	for i, b := range nav {
		if b && blob[i] == c {
			m++
		}
	}
	return m
}

// standardized scales the unmasked rows of x (StandardScaler written out plainly); masked
// rows are left as they are and must not be read.
func standardized(x dense.Matrix[float64], nav []bool) []float64 {
	d := x.Cols
	out := make([]float64, x.Rows*d)
	for j := 0; j < d; j++ {
		var s, s2, n float64
		for i := 0; i < x.Rows; i++ {
			if !nav[i] {
				s += x.Row(i)[j]
				n++
			}
		}
		m := s / n
		for i := 0; i < x.Rows; i++ {
			if !nav[i] {
				s2 += (x.Row(i)[j] - m) * (x.Row(i)[j] - m)
			}
		}
		sd := math.Sqrt(s2 / n)
		for i := 0; i < x.Rows; i++ {
			out[i*d+j] = (x.Row(i)[j] - m) / sd
		}
	}
	return out
}

func TestLabelOrders(t *testing.T) {
	counts := []int64{5, 9, 2, 7}
	// By size: cluster 1 (9) → row 0, 3 (7) → 1, 0 (5) → 2, 2 (2) → 3.
	require.Equal(t, []int{2, 0, 3, 1}, rowsOf(counts, OrderBySize))
	// HyperSpy: idx = argsort(counts)[::-1] = [1, 3, 0, 2]; cluster i goes to row idx[i].
	require.Equal(t, []int{1, 3, 0, 2}, rowsOf(counts, OrderHyperSpy))
	require.Equal(t, []int{0, 1, 2, 3}, rowsOf(counts, OrderNone))
	// Ties: by size keeps the label order; HyperSpy's reversal of a stable sort puts the higher label first.
	require.Equal(t, []int{0, 1}, rowsOf([]int64{4, 4}, OrderBySize))
	require.Equal(t, []int{1, 0}, rowsOf([]int64{4, 4}, OrderHyperSpy))
}

func TestClusterAnalysisIsThreadIndependent(t *testing.T) {
	x, _ := unevenBlobs([]int{300, 500, 200, 400}, 150, 4) // wide: column-block sums
	run := func(threads int) AnalysisOutput {
		n, k := x.Rows, 4
		out := AnalysisOutput{Labels: make([]int32, n), Distances: make([]float64, k*n), SumSignals: make([]float64, k*150),
			CentroidPixels: make([]int64, k)}
		p := analysisParams(k)
		p.KMeans.Threads = threads
		p.Prepare = PrepareOptions[float64]{Kind: PreprocessMinMax, Threads: threads}
		_, err := ClusterAnalysis(Source[float64]{X: x}, x, p, out)
		require.NoError(t, err)
		return out
	}
	a, b := run(1), run(3)
	require.Equal(t, a, b)
}

func TestClusterAnalysisNamesBadArguments(t *testing.T) {
	x, _ := unevenBlobs([]int{10, 10}, 2, 1)
	p := analysisParams(2)
	wrong := dense.Matrix[float64]{Data: x.Data[:10], Rows: 5, Cols: 2, Stride: 2}
	_, err := ClusterAnalysis(Source[float64]{X: x}, wrong, p, AnalysisOutput{})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "source_for_centers has 5 rows")

	_, err = ClusterAnalysis(Source[float64]{X: x}, x, p, AnalysisOutput{Distances: make([]float64, 3)})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "distances has room for 3 values, 40 are needed")

	_, err = ClusterAnalysis(Source[float64]{X: x}, x, p, AnalysisOutput{Centroids: make([]float64, 3)})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "centroids has room for 3 values")

	p.Order = 7
	_, err = ClusterAnalysis(Source[float64]{X: x}, x, p, AnalysisOutput{})
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "label_order=7")
}

func TestClusterAnalysisCallbacks(t *testing.T) {
	x, blob := unevenBlobs([]int{40, 60}, 3, 6)
	n := x.Rows
	// A user step that halves the width; the distances live in its 2-column space.
	halve := func(in dense.Matrix[float64]) (dense.Matrix[float64], error) {
		out := make([]float64, in.Rows*2)
		for i := 0; i < in.Rows; i++ {
			r := in.Row(i)
			out[2*i], out[2*i+1] = r[0]+r[1], r[2]
		}
		return dense.Matrix[float64]{Data: out, Rows: in.Rows, Cols: 2, Stride: 2}, nil
	}
	p := analysisParams(2)
	p.Prepare.User = halve
	out := AnalysisOutput{Labels: make([]int32, n), Centroids: make([]float64, 4)}
	res, err := ClusterAnalysis(Source[float64]{X: x}, x, p, out)
	require.NoError(t, err)
	require.Equal(t, 2, res.Features)
	for i := range blob {
		require.Equal(t, out.Labels[0] == out.Labels[i], blob[0] == blob[i], "pixel %d", i)
	}

	p.Prepare.User = func(dense.Matrix[float64]) (dense.Matrix[float64], error) {
		return dense.Matrix[float64]{}, fault.Callback("user step raised ValueError")
	}
	_, err = ClusterAnalysis(Source[float64]{X: x}, x, p, out)
	require.ErrorIs(t, err, fault.ErrCallback)
	require.Contains(t, err.Error(), "ValueError")

	p.Prepare.User = nil
	out.Centroids = nil
	p.KMeans.Tol = 0
	p.KMeans.Progress = func(done, _ int64) bool { return done < 1 }
	_, err = ClusterAnalysis(Source[float64]{X: x}, x, p, out)
	require.ErrorIs(t, err, fault.ErrCancelled)
}

func TestClusterAnalysisWithGivenLabels(t *testing.T) {
	x, blob := unevenBlobs([]int{30, 50}, 3, 8)
	n := x.Rows
	given := make([]int32, n)
	for i, b := range blob {
		given[i] = int32(b)
	}
	nav := make([]bool, n)
	nav[2] = true
	given[2] = 99 // masked: ignored
	p := analysisParams(2)
	p.GivenLabels = given
	p.Order = OrderNone
	out := AnalysisOutput{Labels: make([]int32, n), Sizes: make([]int64, 2)}
	res, err := ClusterAnalysis(Source[float64]{X: x, NavMask: nav}, x, p, out)
	require.NoError(t, err)
	require.Zero(t, res.NIter)
	require.Positive(t, res.Inertia)
	for i := range blob {
		if i == 2 {
			require.Equal(t, int32(-1), out.Labels[i])
		} else {
			require.Equal(t, given[i], out.Labels[i])
		}
	}
	given[5] = 2
	_, err = ClusterAnalysis(Source[float64]{X: x, NavMask: nav}, x, p, out)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "labels[5]=2")
}

package cluster

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/stretchr/testify/require"
)

// blobs returns n rows of d features around k well-separated centers, and the true centers.
func blobs(n, d, k int, seed uint64) (dense.Matrix[float64], []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centers := make([]float64, k*d)
	for i := range centers {
		centers[i] = rng.Float64()*200 - 100
	}
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		c := i % k
		for j := 0; j < d; j++ {
			x[i*d+j] = centers[c*d+j] + rng.NormFloat64()
		}
	}
	return dense.Matrix[float64]{Data: x, Rows: n, Cols: d, Stride: d}, centers
}

// naiveLloyd is the textbook algorithm, written independently of the chunked one: assign by
// ‖x−c‖², average, stop when labels repeat or the shift falls under tol.
func naiveLloyd(x dense.Matrix[float64], centers []float64, k, maxIter int, tol float64) []int32 {
	d := x.Cols
	labels := make([]int32, x.Rows)
	prev := make([]int32, x.Rows)
	for i := range prev {
		prev[i] = -1
	}
	c := slices.Clone(centers)
	for it := 0; it < maxIter; it++ {
		for i := 0; i < x.Rows; i++ {
			best := math.Inf(1)
			for j := 0; j < k; j++ {
				var s float64
				for f, v := range x.Row(i) {
					t := v - c[j*d+f]
					s += t * t
				}
				if s < best {
					best, labels[i] = s, int32(j)
				}
			}
		}
		sums := make([]float64, k*d)
		cnt := make([]float64, k)
		for i := 0; i < x.Rows; i++ {
			l := int(labels[i])
			cnt[l]++
			for f, v := range x.Row(i) {
				sums[l*d+f] += v
			}
		}
		var shift float64
		for j := 0; j < k; j++ {
			for f := 0; f < d; f++ {
				nv := sums[j*d+f] / cnt[j]
				shift += (nv - c[j*d+f]) * (nv - c[j*d+f])
				c[j*d+f] = nv
			}
		}
		if slices.Equal(labels, prev) || shift <= tol {
			break
		}
		copy(prev, labels)
	}
	return labels
}

func TestLloydMatchesNaiveFromGivenCenters(t *testing.T) {
	for _, tc := range []struct{ n, d, k int }{{600, 2, 3}, {2000, 17, 8}, {5000, 64, 16}} {
		x, truth := blobs(tc.n, tc.d, tc.k, uint64(tc.n))
		init := slices.Clone(truth)
		for i := range init {
			init[i] += 3 // start off the true centers
		}
		p := DefaultKMeansParams()
		p.K, p.Init = tc.k, InitGiven
		res, err := FitKMeans(x, nil, init, p)
		require.NoError(t, err)
		tol, _ := scaledTolerance(x, p.Tol, 1)
		require.Equal(t, naiveLloyd(x, init, tc.k, p.MaxIter, tol), res.Labels, "n=%d d=%d k=%d", tc.n, tc.d, tc.k)
	}
}

func TestResultsDoNotDependOnThreads(t *testing.T) {
	x, _ := blobs(20000, 12, 7, 3)
	fit := func(threads int) *KMeansResult[float64] {
		p := DefaultKMeansParams()
		p.K, p.NInit, p.Seed, p.Threads = 7, 3, 42, threads
		res, err := FitKMeans(x, nil, nil, p)
		require.NoError(t, err)
		return res
	}
	one, four := fit(1), fit(4)
	require.Equal(t, one.Labels, four.Labels)
	require.Equal(t, one.Centers, four.Centers) // bitwise: == on float64
	require.Equal(t, one.Inertia, four.Inertia)
}

func TestKMeansPlusPlusFindsSeparatedBlobs(t *testing.T) {
	x, _ := blobs(3000, 5, 4, 9)
	p := DefaultKMeansParams()
	p.K, p.Seed = 4, 1
	res, err := FitKMeans(x, nil, nil, p)
	require.NoError(t, err)
	// Rows i and i+4 come from the same blob; every blob must have its own label.
	seen := map[int32]bool{}
	for i := 0; i < x.Rows; i++ {
		require.Equal(t, res.Labels[i%4], res.Labels[i])
		seen[res.Labels[i]] = true
	}
	require.Len(t, seen, 4)
}

func TestEmptyClusterIsRelocated(t *testing.T) {
	x, _ := blobs(400, 3, 2, 5)
	// Third center far from everything: it gets no points in the first assignment.
	init := []float64{x.Row(0)[0], x.Row(0)[1], x.Row(0)[2], x.Row(1)[0], x.Row(1)[1], x.Row(1)[2], 1e6, 1e6, 1e6}
	p := DefaultKMeansParams()
	p.K, p.Init = 3, InitGiven
	res, err := FitKMeans(x, nil, init, p)
	require.NoError(t, err)
	counts := make([]int, 3)
	for _, l := range res.Labels {
		counts[l]++
	}
	for j, c := range counts {
		require.Positive(t, c, "cluster %d is empty", j)
	}
}

func TestBadInputIsNamed(t *testing.T) {
	x, _ := blobs(10, 2, 2, 1)
	p := DefaultKMeansParams()
	p.K = 11
	_, err := FitKMeans(x, nil, nil, p)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "n_clusters=11")

	x.Data[5] = math.NaN()
	p.K = 2
	_, err = FitKMeans(x, nil, nil, p)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "NaN")
}

func TestWorkerPanicBecomesError(t *testing.T) {
	x, _ := blobs(1000, 4, 2, 1)
	parallel.InjectWorkerPanic(true)
	defer parallel.InjectWorkerPanic(false)
	p := DefaultKMeansParams()
	p.K, p.Threads = 2, 2
	_, err := FitKMeans(x, nil, nil, p)
	require.True(t, errors.Is(err, fault.ErrInternal), "got %v", err)
	require.Contains(t, err.Error(), "panic")
}

func TestProgressCancels(t *testing.T) {
	x, _ := blobs(1000, 4, 3, 1)
	p := DefaultKMeansParams()
	p.K, p.Tol = 3, 0
	p.Progress = func(done, total int64) bool { return done < 1 }
	_, err := FitKMeans(x, nil, nil, p)
	require.ErrorIs(t, err, fault.ErrCancelled)
}

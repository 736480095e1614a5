package cluster

import (
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/stretchr/testify/require"
)

// distinctBlobLabels requires that each of the k blobs (rows i ≡ b mod k) got one label of its
// own: the model found the blobs.
func distinctBlobLabels(t *testing.T, x dense.Matrix[float64], centers []float64, k int) {
	labels := make([]int32, x.Rows)
	_, err := Predict(x, dense.Matrix[float64]{Data: centers, Rows: k, Cols: x.Cols, Stride: x.Cols}, nil, 0, labels)
	require.NoError(t, err)
	seen := map[int32]bool{}
	for i := range labels {
		require.Equal(t, labels[i%k], labels[i], "row %d", i)
		seen[labels[i]] = true
	}
	require.Len(t, seen, k)
}

func TestMiniBatchFitFindsBlobs(t *testing.T) {
	x, _ := blobs(20000, 6, 5, 3)
	p := DefaultMiniBatchParams()
	p.K, p.Seed, p.NInit = 5, 7, 3
	m, err := NewMiniBatch[float64](6, p, nil)
	require.NoError(t, err)
	res, err := m.Fit(x, nil)
	require.NoError(t, err)
	require.Positive(t, res.Steps)
	require.LessOrEqual(t, res.Steps, int64(p.MaxIter*20000/p.BatchSize))
	c, counts := m.Centers()
	distinctBlobLabels(t, x, c, 5)
	var total float64
	for _, v := range counts {
		total += v
	}
	require.Positive(t, total)
}

// Batches streamed through PartialFit, as acquisition software would send them.
func TestMiniBatchPartialFitStreams(t *testing.T) {
	x, _ := blobs(12000, 4, 3, 5)
	p := DefaultMiniBatchParams()
	p.K, p.Seed = 3, 1
	m, err := NewMiniBatch[float64](4, p, nil)
	require.NoError(t, err)
	for lo := 0; lo < x.Rows; lo += 600 {
		batch := dense.Matrix[float64]{Data: x.Data[lo*4 : (lo+600)*4], Rows: 600, Cols: 4, Stride: 4}
		require.NoError(t, m.PartialFit(batch, nil))
	}
	require.Equal(t, int64(20), m.Steps())
	c, _ := m.Centers()
	distinctBlobLabels(t, x, c, 3)
}

func TestMiniBatchDoesNotDependOnThreads(t *testing.T) {
	x, _ := blobs(5000, 8, 4, 2)
	fit := func(threads int) []float64 {
		p := DefaultMiniBatchParams()
		p.K, p.Seed, p.Threads, p.BatchSize = 4, 3, threads, 700
		m, err := NewMiniBatch[float64](8, p, nil)
		require.NoError(t, err)
		_, err = m.Fit(x, nil)
		require.NoError(t, err)
		c, _ := m.Centers()
		return c
	}
	require.Equal(t, fit(1), fit(3))
}

// A center that never wins a row is moved onto a row of the batch.
func TestMiniBatchReassignsStarvedCenter(t *testing.T) {
	x, _ := blobs(2000, 2, 2, 9)
	init := []float64{x.Row(0)[0], x.Row(0)[1], x.Row(1)[0], x.Row(1)[1], 1e6, 1e6}
	p := DefaultMiniBatchParams()
	p.K, p.Init = 3, InitGiven
	m, err := NewMiniBatch[float64](2, p, init)
	require.NoError(t, err)
	require.NoError(t, m.PartialFit(x, nil))
	c, counts := m.Centers()
	require.Less(t, c[4], 1e5, "the far center was not reassigned")
	require.Positive(t, counts[2])
}

func TestMiniBatchBadInput(t *testing.T) {
	p := DefaultMiniBatchParams()
	p.BatchSize = 0
	_, err := NewMiniBatch[float64](3, p, nil)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "batch_size")

	m, err := NewMiniBatch[float64](3, DefaultMiniBatchParams(), nil)
	require.NoError(t, err)
	x, _ := blobs(100, 2, 2, 1)
	err = m.PartialFit(x, nil)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "features")
	x3, _ := blobs(5, 3, 2, 1)
	err = m.PartialFit(x3, nil)
	require.ErrorContains(t, err, "n_clusters=8")
	x3, _ = blobs(50, 3, 2, 1)
	err = m.PartialFit(x3, make([]float64, 49))
	require.ErrorContains(t, err, "sample_weight")
}

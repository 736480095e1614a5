package parallel

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/fastmva/fastmva/internal/fault"
	"github.com/stretchr/testify/require"
)

func TestSplitCoversEveryRowOnce(t *testing.T) {
	for _, n := range []int{1, 2, 255, 256, 257, 10_000, 1_000_003} {
		c := Split(n, 256, 64)
		require.LessOrEqual(t, c.Count, 64)
		next := 0
		for i := 0; i < c.Count; i++ {
			lo, hi := c.Bounds(i)
			require.Equal(t, next, lo)
			require.Greater(t, hi, lo)
			next = hi
		}
		require.Equal(t, n, next)
	}
}

func TestRunVisitsEveryChunkOnAnyThreadCount(t *testing.T) {
	c := Split(100_000, 256, 64)
	for _, threads := range []int{1, 2, 7, 0} {
		var rows atomic.Int64
		require.NoError(t, Run(c, threads, func(_, lo, hi int) error { rows.Add(int64(hi - lo)); return nil }))
		require.EqualValues(t, 100_000, rows.Load())
	}
}

func TestRunReturnsLowestChunkError(t *testing.T) {
	c := Split(10_000, 256, 64)
	err := Run(c, 4, func(i, _, _ int) error {
		if i == 3 || i == 9 {
			return fault.Invalid("chunk %d", i)
		}
		return nil
	})
	require.EqualError(t, err, "chunk 3")
}

func TestPanicInWorkerIsRecovered(t *testing.T) {
	c := Split(10_000, 256, 64)
	err := Run(c, 2, func(i, _, _ int) error {
		if i == 5 {
			var m map[string]int
			m["boom"] = 1 // nil map write: a runtime panic
		}
		return nil
	})
	require.True(t, errors.Is(err, fault.ErrInternal), "got %v", err)
	require.Contains(t, err.Error(), "panic in worker (chunk 5)")
}

package cluster

import (
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// Chunks handed in in any order, from any number of goroutines, must add up to the serial sum
// in chunk order, bit for bit. Values of very different magnitudes make the order show: the
// same values added in another order round differently.
func TestChunkFoldAddsInChunkOrder(t *testing.T) {
	t.Run("streamed", func(t *testing.T) {
		saved := smallFoldElems
		smallFoldElems = 0
		defer func() { smallFoldElems = saved }()
		checkChunkFold(t)
	})
	t.Run("slots", checkChunkFold)
}

func checkChunkFold(t *testing.T) {
	const k, d, chunks = 3, 5, 40
	rng := rand.New(rand.NewPCG(7, 8))
	vals := make([][]float64, chunks)
	want := make([]float64, k*d+k)
	for ci := range vals {
		vals[ci] = make([]float64, k*d+k)
		for j := range vals[ci] {
			vals[ci][j] = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(12)))
			want[j] += vals[ci][j]
		}
	}
	reversed := make([]float64, k*d+k)
	for ci := chunks - 1; ci >= 0; ci-- {
		for j, v := range vals[ci] {
			reversed[j] += v
		}
	}
	require.NotEqual(t, want, reversed, "the test values must be order-sensitive")

	f := newChunkFold(k, d, chunks)
	require.Equal(t, smallFoldElems > 0, f.slots != nil, "the mode under test")
	var dirty atomic.Bool // buffers come back cleared: the chunks' sums start from zero
	for _, workers := range []int{1, 2, 5} {
		for round := 0; round < 20; round++ {
			f.start()
			order := rng.Perm(chunks)
			var wg sync.WaitGroup
			next := make(chan int, chunks)
			for _, ci := range order {
				next <- ci
			}
			close(next)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ci := range next {
						buf, sums, wsums := f.buffer(ci)
						for _, v := range buf {
							if v != 0 {
								dirty.Store(true)
							}
						}
						copy(sums, vals[ci][:k*d])
						copy(wsums, vals[ci][k*d:])
						f.done(ci, buf)
					}
				}()
			}
			wg.Wait()
			f.finish()
			require.True(t, f.complete())
			require.False(t, dirty.Load(), "a buffer was handed out with a chunk's sums still in it")
			require.Equal(t, want[:k*d], f.sums(), "workers=%d", workers)
			require.Equal(t, want[k*d:], f.weights(), "workers=%d", workers)
		}
	}
}

// A pass where a chunk failed after writing into its slot (a worker's panic) leaves no slot
// dirty for the next pass, whose sums must start from zero.
func TestChunkFoldSlotsClearedAfterFailedPass(t *testing.T) {
	const k, d, chunks = 2, 3, 6
	f := newChunkFold(k, d, chunks)
	require.NotNil(t, f.slots)
	f.start()
	for ci := 0; ci < chunks; ci++ {
		buf, _, _ := f.buffer(ci)
		for j := range buf {
			buf[j] = float64(ci + 1)
		}
		if ci != 2 { // chunk 2 fails before handing its sums in
			f.done(ci, buf)
		}
	}
	f.finish()
	require.False(t, f.complete())
	f.start()
	for ci := 0; ci < chunks; ci++ {
		buf, _, _ := f.buffer(ci)
		for j, v := range buf {
			require.Zero(t, v, "chunk %d value %d left from the failed pass", ci, j)
		}
		f.done(ci, buf)
	}
	f.finish()
	require.True(t, f.complete())
	for _, v := range f.total {
		require.Zero(t, v)
	}
}

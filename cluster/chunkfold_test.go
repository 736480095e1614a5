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
						buf, sums, wsums := f.buffer()
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
			require.True(t, f.complete())
			require.False(t, dirty.Load(), "a buffer was handed out with a chunk's sums still in it")
			require.Equal(t, want[:k*d], f.sums(), "workers=%d", workers)
			require.Equal(t, want[k*d:], f.weights(), "workers=%d", workers)
		}
	}
}

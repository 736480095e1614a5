package cluster

import (
	"sync"

	"github.com/fastmva/fastmva/kernels/gemm"
)

// chunkFold adds the chunks' center sums of one Lloyd assignment into a running total as the
// chunks finish, in chunk order, instead of keeping every chunk's k×d float64 sums until a
// reduction pass. The total is the one that pass gives, bit for bit: ((0 + s₀) + s₁) + … in
// chunk order, each chunk's sums formed from zero on its own; only the moment each addition
// is made changes. What it saves at k = 64, d = 256 is memory traffic: maxChunks·k·d float64
// (8 MB) cleared, written and read back every iteration, against 64–128 MB of data, where a
// few buffers, reused while they are still in the core's cache, now do.
//
// Chunks are handed out in increasing order (parallel.Run), so a finished chunk rarely waits
// for an earlier one: the goroutine that finishes chunk next folds it, and any later chunks
// already waiting, while the other workers go on computing theirs.
//
// The fold clears each buffer as it reads it, and a sync.Pool hands it back to the processor
// that folded it: the next chunk that processor computes writes lines its core already holds,
// where clearing on reuse, from a shared list, wrote into lines the other core had just read or
// written (CPU profiles of that code at 65536×256 k = 64 float32, 300 iterations on two threads
// against one: 3.4× the time clearing buffers, 1.27× adding the sums).
type chunkFold struct {
	kd, k int
	total []float64 // k·d sums, then k weights
	free  sync.Pool // []float64 buffers of kd+k zeros

	folding sync.Mutex // held by the goroutine adding chunks into total
	mu      sync.Mutex // guards what follows
	pending [][]float64
	next    int // the next chunk to add into total
}

func newChunkFold(k, d, chunks int) *chunkFold {
	return &chunkFold{kd: k * d, k: k, total: make([]float64, k*d+k), pending: make([][]float64, chunks)}
}

// start empties the total for a new assignment.
func (f *chunkFold) start() {
	clear(f.total)
	clear(f.pending)
	f.next = 0
}

// buffer returns a cleared buffer for one chunk's sums (k·d) and weights (k).
func (f *chunkFold) buffer() (buf, sums, wsums []float64) {
	if p, ok := f.free.Get().(*[]float64); ok {
		buf = *p
	} else {
		buf = make([]float64, f.kd+f.k)
	}
	return buf, buf[:f.kd], buf[f.kd:]
}

// done hands in chunk ci's buffer; it is added into the total once every earlier chunk is.
func (f *chunkFold) done(ci int, buf []float64) {
	f.mu.Lock()
	f.pending[ci] = buf
	f.mu.Unlock()
	// Whoever holds folding adds every chunk that is ready; if another goroutine holds it, it
	// looks again for ready chunks after letting go (below), so none is left behind.
	for f.ready() && f.folding.TryLock() {
		for {
			f.mu.Lock()
			b := f.takeNext()
			f.mu.Unlock()
			if b == nil {
				break
			}
			// total += b, by vectors (1·v is v: the same sums as a plain loop), then b cleared
			// while its lines are still in this core's cache. As a scalar loop this fold was 7%
			// of an iteration's CPU at 65 536×256 k = 64 float32.
			gemm.Axpy(1, b, f.total[:len(b)])
			clear(b)
			f.free.Put(&b)
		}
		f.folding.Unlock()
	}
}

// ready reports whether the next chunk to add has been handed in.
func (f *chunkFold) ready() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.next < len(f.pending) && f.pending[f.next] != nil
}

// takeNext removes and returns the next chunk's buffer if it has been handed in (f.mu held).
func (f *chunkFold) takeNext() []float64 {
	if f.next >= len(f.pending) || f.pending[f.next] == nil {
		return nil
	}
	b := f.pending[f.next]
	f.pending[f.next] = nil
	f.next++
	return b
}

// complete reports whether every chunk has been added (false after a worker's panic).
func (f *chunkFold) complete() bool { return f.next == len(f.pending) }

// sums and weights are the totals.
func (f *chunkFold) sums() []float64    { return f.total[:f.kd] }
func (f *chunkFold) weights() []float64 { return f.total[f.kd:] }

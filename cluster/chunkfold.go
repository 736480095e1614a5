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
//
// Small problems (every chunk's sums together at most smallFoldElems values: few centers, narrow
// rows) skip all that: each chunk writes a slot of its own, and finish adds the slots up in chunk
// order after the pass, the same additions. Handing a chunk in through the locks cost about
// 0.7 µs a chunk on two threads, an eighth of a 65 536×3 k = 3 iteration (64 chunks).
type chunkFold struct {
	kd, k int
	total []float64 // k·d sums, then k weights
	free  sync.Pool // []float64 buffers of kd+k zeros
	slots []float64 // small problems: chunk ci's buffer at ci·(kd+k), nil otherwise

	folding sync.Mutex // held by the goroutine adding chunks into total
	mu      sync.Mutex // guards what follows
	pending [][]float64
	next    int // the next chunk to add into total
}

// smallFoldElems is the most values of all chunks' sums together that take a slot per chunk
// (256 KB of float64, well inside a core's L2).
var smallFoldElems = 32768

func newChunkFold(k, d, chunks int) *chunkFold {
	f := &chunkFold{kd: k * d, k: k, total: make([]float64, k*d+k), pending: make([][]float64, chunks)}
	if chunks*(k*d+k) <= smallFoldElems {
		f.slots = make([]float64, chunks*(k*d+k))
	}
	return f
}

// start empties the total for a new assignment.
func (f *chunkFold) start() {
	clear(f.total)
	clear(f.pending)
	f.next = 0
}

// buffer returns a cleared buffer for chunk ci's sums (k·d) and weights (k).
func (f *chunkFold) buffer(ci int) (buf, sums, wsums []float64) {
	if f.slots != nil {
		m := f.kd + f.k
		buf = f.slots[ci*m : (ci+1)*m : (ci+1)*m]
	} else if p, ok := f.free.Get().(*[]float64); ok {
		buf = *p
	} else {
		buf = make([]float64, f.kd+f.k)
	}
	return buf, buf[:f.kd], buf[f.kd:]
}

// done hands in chunk ci's buffer; it is added into the total once every earlier chunk is (for a
// small problem, by finish).
func (f *chunkFold) done(ci int, buf []float64) {
	if f.slots != nil {
		f.pending[ci] = buf // this chunk's own element, read by finish after the pass
		return
	}
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
			f.add(b)
			f.free.Put(&b)
		}
		f.folding.Unlock()
	}
}

// finish adds up the slots of a small problem, after the pass: every chunk handed in, in chunk
// order, each slot cleared as it is read. (Nothing to do for the others: their chunks were
// added as they finished.)
func (f *chunkFold) finish() {
	if f.slots == nil {
		return
	}
	for ; f.next < len(f.pending) && f.pending[f.next] != nil; f.next++ {
		b := f.pending[f.next]
		f.pending[f.next] = nil
		f.add(b)
	}
	if f.next < len(f.pending) {
		// A chunk failed (a worker's panic): the pass is void, and the next one must find
		// every slot cleared, the failed chunk's and those after it too.
		clear(f.slots)
	}
}

// add adds a chunk's buffer into the total, by vectors (1·v is v: the same sums as a plain
// loop), then clears it while its lines are still in this core's cache. As a scalar loop this
// fold was 7% of an iteration's CPU at 65 536×256 k = 64 float32.
func (f *chunkFold) add(b []float64) {
	gemm.Axpy(1, b, f.total[:len(b)])
	clear(b)
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

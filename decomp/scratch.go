package decomp

import (
	"math"
	"math/bits"
	"sync"
)

// Scratch matrices of the divide and conquer and the back-transform. Each merge needs several
// n×n buffers that live only until its parent has read them; allocating them afresh makes the
// runtime clear megabytes per call and collect garbage every few calls, which at d ≈ 256 cost as
// much as the arithmetic. They are recycled through pools by size class instead. A buffer from
// getScratch holds stale values: every user writes all of it before reading (or clears it).

// scratchClass rounds n up to a size with three significant bits (waste ≤ 12.5%).
func scratchClass(n int) int {
	c := bits.Len(uint(n))
	if c <= 4 {
		return n
	}
	step := 1 << (c - 4)
	return (n + step - 1) / step * step
}

// scratchPoolMax is the largest buffer (in elements) kept for reuse: an n×n matrix up to
// n = 1024. Larger ones serve the few merges of order ≥ 2048, whose arithmetic dwarfs an
// allocation, and a pooled one would stay alive beside the next merge's (at d = 4096 the
// exact SVD must peak below numpy's).
const scratchPoolMax = 1 << 20

// scratchDrainOrder is the order from which a merge, and EigSym once done, empty the pools:
// buffers parked there by the levels below would otherwise stay live through the merge and,
// sync.Pool keeping them across one collection, past the solver into its caller's work.
const scratchDrainOrder = 2048

var scratchPools sync.Map // size class → *sync.Pool of *[]float64

// scratchPoison makes getScratch fill its buffers with NaN (tests: a read before write shows).
var scratchPoison bool

func getScratch(n int) []float64 {
	if n <= 0 {
		return nil
	}
	c := scratchClass(n)
	var b []float64
	if p, ok := scratchPools.Load(c); ok {
		if pb, ok := p.(*sync.Pool).Get().(*[]float64); ok {
			b = (*pb)[:n]
		}
	}
	if b == nil {
		b = make([]float64, n, c)
	}
	if scratchPoison {
		for i := range b {
			b[i] = math.NaN()
		}
	}
	return b
}

// putScratch returns a buffer from getScratch (or any slice whose capacity is a size class) for
// reuse; the caller must not touch it afterwards.
func putScratch(b []float64) {
	c := cap(b)
	if c == 0 || c > scratchPoolMax || scratchClass(c) != c {
		return
	}
	p, _ := scratchPools.LoadOrStore(c, new(sync.Pool))
	b = b[:c]
	p.(*sync.Pool).Put(&b)
}

// drainScratch empties the pools, so their buffers are garbage at the next collection.
func drainScratch() {
	scratchPools.Range(func(_, p any) bool {
		for p.(*sync.Pool).Get() != nil {
		}
		return true
	})
}

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
	if c == 0 || scratchClass(c) != c {
		return
	}
	p, _ := scratchPools.LoadOrStore(c, new(sync.Pool))
	b = b[:c]
	p.(*sync.Pool).Put(&b)
}

package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// BenchmarkSmallKStream sets the few-center fused pass against a plain read of the same rows
// (SqNormsF64), 10⁶×32 rows streamed from DRAM in the cluster's chunks (64 calls of 15 625 rows) on
// one and two threads, and the same work on one chunk that stays in cache (cost per row). The
// cases run interleaved, round after round, so that the shared machine's load falls on all of
// them alike; each reports its median and fastest pass as ns a row and GB/s of X read.
func BenchmarkSmallKStream(b *testing.B) {
	const n, d, chunk = 1000000, 32, 15625
	type kase struct {
		name  string
		bytes int
		run   func(lo, hi int, cached bool, rec func(float64))
	}
	var cases []kase
	add := func(name string, bytes int, run func(lo, hi int, cached bool, rec func(float64))) {
		cases = append(cases, kase{name, bytes, run})
	}
	x64, x32 := streamRows[float64](n, d), streamRows[float32](n, d)
	rows := func(lo int, cached bool) int {
		if cached {
			return 0 // every chunk of the cached case is the first one
		}
		return lo
	}
	add("f64/read", 8, func(lo, hi int, cached bool, rec func(float64)) {
		out := make([]float64, chunk)
		for i := lo; i < hi; i += chunk {
			s := time.Now()
			SqNormsF64(x64[rows(i, cached)*d:], d, min(chunk, hi-i), d, out)
			rec(time.Since(s).Seconds())
		}
	})
	// No float32 norms in assembly: the same bytes read as float64 rows of d/2 features.
	x32as64 := unsafe.Slice((*float64)(unsafe.Pointer(&x32[0])), n*d/2)
	add("f32/read", 4, func(lo, hi int, cached bool, rec func(float64)) {
		out := make([]float64, chunk)
		for i := lo; i < hi; i += chunk {
			s := time.Now()
			SqNormsF64(x32as64[rows(i, cached)*d/2:], d/2, min(chunk, hi-i), d/2, out)
			rec(time.Since(s).Seconds())
		}
	})
	// Centers: k of the rows (labels scattered), or for "one" the origin and k−1 centers far
	// from every row, so that all rows take label 0 and every row's sums add into the sums of
	// the row before (the longest chain through the memory sums).
	type centers struct {
		k   int
		tag string
	}
	for _, cs := range []centers{{3, ""}, {8, ""}, {8, "/one"}} {
		k := cs.k
		c64, c32 := slices.Clone(x64[:k*d]), slices.Clone(x32[:k*d])
		if cs.tag != "" {
			for j := range c64 {
				c64[j], c32[j] = 0, 0
				if j >= d && j%d == 0 {
					c64[j], c32[j] = 1000, 1000
				}
			}
		}
		n64, n32 := make([]float64, k), make([]float32, k)
		sqNormsGeneric(c64, d, k, d, n64)
		sqNormsGeneric(c32, d, k, d, n32)
		add(fmt.Sprintf("f64/lloyd/k=%d%s", k, cs.tag), 8, func(lo, hi int, cached bool, rec func(float64)) {
			labels, sums, wsum := make([]int32, chunk), make([]float64, k*d), make([]float64, k)
			for i := lo; i < hi; i += chunk {
				s := time.Now()
				LloydF64(x64[rows(i, cached)*d:], d, min(chunk, hi-i), d, c64, k, n64, nil, labels, sums, wsum)
				rec(time.Since(s).Seconds())
			}
		})
		add(fmt.Sprintf("f32/lloyd/k=%d%s", k, cs.tag), 4, func(lo, hi int, cached bool, rec func(float64)) {
			labels, sums, wsum := make([]int32, chunk), make([]float64, k*d), make([]float64, k)
			for i := lo; i < hi; i += chunk {
				s := time.Now()
				LloydF32(x32[rows(i, cached)*d:], d, min(chunk, hi-i), d, c32, k, n32, nil, labels, sums, wsum)
				rec(time.Since(s).Seconds())
			}
		})
	}
	type mode struct {
		name    string
		threads int
		cached  bool
	}
	modes := []mode{{"dram/threads=1", 1, false}, {"dram/threads=2", 2, false}, {"cache/threads=1", 1, true}}
	times := make([][]float64, len(cases)*len(modes)) // seconds a row, per chunk
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for round := 0; round < 5; round++ {
			for ci, c := range cases {
				for mi, m := range modes {
					t := &times[ci*len(modes)+mi]
					timePass(n, chunk, m.threads, m.cached, c.run, func(s float64) { *t = append(*t, s/chunk) })
				}
			}
		}
	}
	b.StopTimer()
	for ci, c := range cases {
		for mi, m := range modes {
			t := times[ci*len(modes)+mi]
			slices.Sort(t)
			med, p10 := t[len(t)/2], t[len(t)/10]
			b.Logf("%-16s %-16s chunk median %5.2f ns/row (%5.1f GB/s)  p10 %5.2f ns/row (%5.1f GB/s)",
				c.name, m.name, med*1e9, float64(d*c.bytes)/med/1e9, p10*1e9, float64(d*c.bytes)/p10/1e9)
		}
	}
}

// timePass runs one pass over n rows split between the threads (each its own half, locked to
// its thread), in chunks, handing each chunk's time to rec.
func timePass(n, chunk, threads int, cached bool, run func(lo, hi int, cached bool, rec func(float64)), rec func(float64)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	per := (n/chunk + threads - 1) / threads * chunk
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var own []float64
			<-start
			run(lo, hi, cached, func(s float64) { own = append(own, s) })
			mu.Lock()
			for _, s := range own {
				rec(s)
			}
			mu.Unlock()
		}(t*per, min(n, (t+1)*per))
	}
	close(start)
	wg.Wait()
}

func streamRows[T Float](n, d int) []T {
	rng := rand.New(rand.NewPCG(3, 3))
	x := make([]T, n*d)
	for i := range x {
		x[i] = T(rng.NormFloat64())
	}
	return x
}

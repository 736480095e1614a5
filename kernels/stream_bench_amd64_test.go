//go:build linux && amd64 && !purego && !noasm

package kernels

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// BenchmarkStreamVsWindows times Lloyd's fused pass for few centers over X of 64 MB (from DRAM;
// FASTMVA_BENCH_WIDE_KB to change it) on two goroutines, each taking half the rows in calls of
// n/64 rows as cluster's chunks do: "stream" the streaming pass (stream_amd64.go), "windows"
// the windowed pass (wide_amd64.go), side by side per shape (run with -count to interleave).
// GB/s is X read once per pass: the measurements behind streamMinD and streamMaxD.
func BenchmarkStreamVsWindows(b *testing.B) {
	if Active() != AVX512 {
		b.Skip("AVX-512 passes")
	}
	bytes := benchWideBytes()
	// Every width through the streaming pass here (the scratch is always given).
	lo, hi := streamMinD, streamMaxD
	streamMinD, streamMaxD = 1, 1<<30
	defer func() { streamMinD, streamMaxD = lo, hi }()
	for _, d := range []int{72, 96, 128, 192, 256, 384, 512, 768, 1024} {
		for _, k := range []int{3, 8} {
			for _, path := range []string{"stream", "windows"} {
				b.Run(fmt.Sprintf("f32/d=%d/k=%d/%s", d, k, path), func(b *testing.B) {
					benchStreamPath(b, simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2}, bytes/4/d, d, k, path == "stream")
				})
				b.Run(fmt.Sprintf("f64/d=%d/k=%d/%s", d, k, path), func(b *testing.B) {
					benchStreamPath(b, simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2}, bytes/8/d, d, k, path == "stream")
				})
			}
		}
	}
}

func benchStreamPath[T Float, I lane](b *testing.B, s simdSet[T, I], n, d, k int, stream bool) {
	x, c, cnorm := benchWideData[T](n, d, k)
	labels := make([]int32, n)
	step := (n + 63) / 64
	pass := func(lo, hi int, sums, wsum []float64, pack []T) {
		for ; lo < hi; lo += step {
			e := min(hi, lo+step)
			xc, lc := x[lo*d:e*d], labels[lo:e]
			if stream {
				s.lloydStream(xc, d, e-lo, d, c, k, cnorm, nil, lc, sums, wsum, pack)
			} else {
				s.lloydWide(xc, d, e-lo, d, c, k, cnorm, nil, lc, sums, wsum, pack)
			}
		}
	}
	half := n / 2
	run := func() {
		var wg sync.WaitGroup
		for t := 0; t < 2; t++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sums, wsum, pack := make([]float64, k*d), make([]float64, k), make([]T, PackLen(d))
				lo, hi := t*half, n
				if t == 0 {
					hi = half
				}
				pass(lo, hi, sums, wsum, pack)
			}()
		}
		wg.Wait()
	}
	run()
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		run()
	}
	var z T
	b.ReportMetric(float64(n*d)*float64(sizeOf(z))*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
}

// BenchmarkStreamPieces times the streaming pass on one thread with X in L2 (1 MB, or
// FASTMVA_BENCH_WIDE_KB), in ns of wall time a row (run it with -count and take medians):
// "labels" the labels alone, "full" Lloyd's fused pass (labels, then each block's rows added into
// the sums). full − labels is what the sums cost; a row's share of a DRAM read is what either
// must stay under to be bound by memory.
func BenchmarkStreamPieces(b *testing.B) {
	if Active() != AVX512 {
		b.Skip("the streaming pass is AVX-512 only")
	}
	kb := benchCacheKB()
	for _, d := range []int{128, 256, 512} {
		for _, k := range []int{3, 8} {
			for _, piece := range []string{"labels", "full"} {
				b.Run(fmt.Sprintf("f32/d=%d/k=%d/%s", d, k, piece), func(b *testing.B) {
					benchStreamPiece(b, simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2}, kb<<10/4/d, d, k, piece)
				})
				b.Run(fmt.Sprintf("f64/d=%d/k=%d/%s", d, k, piece), func(b *testing.B) {
					benchStreamPiece(b, simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2}, kb<<10/8/d, d, k, piece)
				})
			}
		}
	}
}

func benchStreamPiece[T Float, I lane](b *testing.B, s simdSet[T, I], n, d, k int, piece string) {
	x, c, cnorm := benchWideData[T](n, d, k)
	labels := make([]int32, n)
	part := make([]T, n)
	sums, wsum, pack := make([]float64, k*d), make([]float64, k), make([]T, PackLen(d))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if piece == "labels" {
			s.nearestStream(x, d, n, d, c, k, cnorm, labels, part, pack)
		} else {
			s.lloydStream(x, d, n, d, c, k, cnorm, nil, labels, sums, wsum, pack)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

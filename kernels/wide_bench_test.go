//go:build linux && amd64 && !purego && !noasm

package kernels

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLloydWide times the fused pass for few centers and wide rows on X of 64 MB (from
// DRAM) on the active backend (AVX-512: the streaming pass; AVX2: the centers-in-lanes pass),
// old (the gathering tile, what lloyd ran there before) and new side by side per shape
// (-count repeats each one back to back: run separate -count=1 passes to interleave them).
// Rows go in calls of n/64 rows (at least 256), as cluster's chunks do. ns/row-feature and GFLOP/cpu-s use the thread's CPU time (one thread,
// locked), which keeps the shared machine's other jobs out of the figures.
func BenchmarkLloydWide(b *testing.B) { benchWideShapes(b, false) }

// BenchmarkNearestWide is BenchmarkLloydWide for the labels-only pass (a fit's last assignment,
// predict): old is the gathering tile (NearestF32/F64, nearestP), new NearestPacked* with the
// scratch (the streaming pass without the sums).
func BenchmarkNearestWide(b *testing.B) { benchWideShapes(b, true) }

// benchWideShapes runs benchWide's three paths side by side for every shape of the two
// benchmarks above.
func benchWideShapes(b *testing.B, nearest bool) {
	if Active() == Generic {
		b.Skip("the fused wide passes are amd64 SIMD only")
	}
	wide512 := Active() == AVX512
	bytes := benchWideBytes()
	for _, d := range []int{128, 256, 1024} {
		for _, k := range []int{3, 8} {
			for _, path := range []string{"stream", "old", "new"} {
				b.Run(fmt.Sprintf("f32/d=%d/k=%d/%s", d, k, path), func(b *testing.B) {
					s := simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2}
					if !wide512 {
						s = simdSet[float32, int32]{lanes: 8, rvs: 1}
					}
					benchWide(b, s, bytes/4/d, d, k, path, nearest)
				})
				b.Run(fmt.Sprintf("f64/d=%d/k=%d/%s", d, k, path), func(b *testing.B) {
					s := simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2}
					if !wide512 {
						s = simdSet[float64, int64]{lanes: 4, rvs: 1}
					}
					benchWide(b, s, bytes/8/d, d, k, path, nearest)
				})
			}
		}
	}
}

// benchWide times one path of the fused pass, or of the labels-only pass if nearest is set.
func benchWide[T Float, I lane](b *testing.B, s simdSet[T, I], n, d, k int, path string, nearest bool) {
	x, c, cnorm := benchWideData[T](n, d, k)
	labels := make([]int32, n)
	sums, wsum := make([]float64, k*d), make([]float64, k)
	pack := make([]T, PackLen(d))
	chunks := max(1, min(64, n/256)) // cluster's chunks: at most 64, at least 256 rows
	step := (n + chunks - 1) / chunks
	norms, part := make([]T, step), make([]T, n)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	t0 := benchThreadCPU()
	for it := 0; it < b.N; it++ {
		for lo := 0; lo < n; lo += step {
			hi := min(n, lo+step)
			xc, lc := x[lo*d:hi*d], labels[lo:hi]
			if path == "stream" {
				s.sqNorms(xc, d, hi-lo, d, norms) // the streaming floor of one thread
				continue
			}
			switch {
			case nearest && path == "new":
				s.nearestPacked(xc, d, hi-lo, d, c, k, cnorm, lc, part[lo:hi], pack)
				continue
			case nearest:
				s.nearestP(xc, d, hi-lo, d, c, k, cnorm, lc, part[lo:hi], nil)
				continue
			}
			if path == "new" {
				s.lloyd(xc, d, hi-lo, d, c, k, cnorm, nil, lc, sums, wsum, pack)
			} else {
				s.lloydP(xc, d, hi-lo, d, c, k, cnorm, nil, lc, sums, wsum, nil)
			}
		}
	}
	cpu := (benchThreadCPU() - t0).Seconds()
	elems := float64(n) * float64(d) * float64(b.N)
	b.ReportMetric(cpu/elems*1e9, "ns/row-feature")
	b.ReportMetric(2*elems*float64(k)/cpu/1e9, "GFLOP/cpu-s")
}

// benchWideData is the wide benchmarks' data: n×d uniform rows, its first k rows as the
// centers, and their squared norms.
func benchWideData[T Float](n, d, k int) (x, c, cnorm []T) {
	rng := rand.New(rand.NewPCG(3, 3))
	x = make([]T, n*d)
	for i := range x {
		x[i] = T(rng.Float64())
	}
	c = make([]T, k*d)
	copy(c, x)
	cnorm = make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	return x, c, cnorm
}

// benchThreadCPU is the CPU time of the calling thread.
func benchThreadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchWideBytes is the size of X of the benchmarks that read it from DRAM: 64 MB, or
// FASTMVA_BENCH_WIDE_KB kilobytes (e.g. 1024, to see the pass in cache).
func benchWideBytes() int { return benchWideKB(64<<10) << 10 }

// benchCacheKB is the size of X of the benchmarks that time a pass in cache: 1024 KB (in L2), or
// FASTMVA_BENCH_WIDE_KB.
func benchCacheKB() int { return benchWideKB(1024) }

// benchWideKB is FASTMVA_BENCH_WIDE_KB if set to a positive number of kilobytes, else def.
func benchWideKB(def int) int {
	if kb, err := strconv.Atoi(os.Getenv("FASTMVA_BENCH_WIDE_KB")); err == nil && kb > 0 {
		return kb
	}
	return def
}

// BenchmarkWidePieces times the pieces of the fused wide pass on one thread with X in L2 (1 MB,
// or FASTMVA_BENCH_WIDE_KB), in ns per row-feature of wall time (run it with -count and take
// medians): "labels" is a tile's windows without sums (transposition, dot products, argmin),
// "sums" a tile's rows added on their own afterwards (the read from L2 that bounds them),
// "late" lloydWide's loop (each tile's sums inside the next tile's dot products) and "apart"
// the same work with the sums on their own after each tile. late against apart is what adding
// the sums one tile late buys; late against labels is what the sums still cost.
func BenchmarkWidePieces(b *testing.B) {
	if Active() != AVX512 {
		b.Skip("the streaming pass is AVX-512 only")
	}
	kb := benchCacheKB()
	for _, d := range []int{256, 1024} {
		for _, k := range []int{3, 8} {
			for _, piece := range []string{"labels", "sums", "late", "apart"} {
				b.Run(fmt.Sprintf("f64/d=%d/k=%d/%s", d, k, piece), func(b *testing.B) {
					benchWidePiece(b, simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2}, kb<<10/8/d, d, k, piece)
				})
				b.Run(fmt.Sprintf("f32/d=%d/k=%d/%s", d, k, piece), func(b *testing.B) {
					benchWidePiece(b, simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2}, kb<<10/4/d, d, k, piece)
				})
			}
		}
	}
}

func benchWidePiece[T Float, I lane](b *testing.B, s simdSet[T, I], n, d, k int, piece string) {
	tile := s.lanes * s.rvs
	n = max(2, n/tile) * tile
	x, c, cnorm := benchWideData[T](n, d, k)
	labels := make([]int32, n)
	pack := make([]T, PackLen(d))
	head := rowsHead(x, d)
	win, dots, ws, _ := s.wideScratch(pack, k, smallKStride(d), head)
	// The labels the sums go by.
	for i := 0; i < n; i += tile {
		s.wideDots(x[i*d:], d, d, head, c, k, cnorm, labels[i:i+tile], win, dots, wideSumsPrev[T]{})
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for i := 0; i < n; i += tile {
			lab := labels[i : i+tile]
			switch piece {
			case "labels":
				s.wideDots(x[i*d:], d, d, head, c, k, cnorm, lab, win, dots, wideSumsPrev[T]{})
			case "sums":
				s.wideSumsFrom(x[i*d:], d, d, lab, ws, nil, head)
			case "apart":
				s.wideDots(x[i*d:], d, d, head, c, k, cnorm, lab, win, dots, wideSumsPrev[T]{})
				s.wideSumsFrom(x[i*d:], d, d, lab, ws, nil, head)
			case "late":
				prev := wideSumsPrev[T]{sums: ws}
				if i > 0 {
					prev.x, prev.lab = x[(i-tile)*d:], labels[i-tile:i]
				}
				from := s.wideDots(x[i*d:], d, d, head, c, k, cnorm, lab, win, dots, prev)
				if i > 0 {
					s.wideSumsFrom(prev.x, d, d, prev.lab, ws, nil, from)
				}
				if i+tile == n {
					s.wideSumsFrom(x[i*d:], d, d, lab, ws, nil, head)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*d), "ns/row-feature")
}

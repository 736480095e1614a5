//go:build linux && amd64 && !purego && !noasm

package kernels

import (
	"fmt"
	"runtime"
	"testing"
)

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

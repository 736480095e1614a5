package cluster

import (
	"fmt"
	"testing"
)

// BenchmarkMixedLabels times one Lloyd iteration on float64 rows at bench/kmeans's k = 64 shapes
// with the mixed labels and with the float64 tile alone, side by side (run with -count
// to interleave them), on the machine's threads: the measurement behind useMixed. unsure/row is
// the share of rows the float64 tile labelled again.
func BenchmarkMixedLabels(b *testing.B) {
	for _, s := range []struct{ n, d int }{{65536, 32}, {1_000_000, 32}, {65536, 256}, {65536, 512}, {65536, 1024}, {200_000, 1024}} {
		x := benchRows[float64](s.n, s.d)
		for _, mixed := range []bool{false, true} {
			b.Run(fmt.Sprintf("n=%d/d=%d/k=64/mixed=%v", s.n, s.d, mixed), func(b *testing.B) {
				f := newBenchLloyd(x, 64, 0)
				if f.l.gemm == nil || (mixed && f.l.gemm.mixed == nil) {
					b.Skip("the GEMM tile or the mixed labels are not used on this backend")
				}
				if !mixed {
					f.l.gemm.mixed = nil
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					f.iterate(b)
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/iter")
				if m := f.l.gemm.mixed; m != nil {
					b.ReportMetric(float64(m.again.Load())/float64(max(1, m.rows.Load())), "unsure/row")
				}
			})
		}
	}
}

// BenchmarkFloat32Tile times one Lloyd iteration on float32 rows at the same shapes (the
// float32 GEMM tile throughout): what the mixed labels can at best approach.
func BenchmarkFloat32Tile(b *testing.B) {
	for _, n := range []int{65536, 1_000_000} {
		x := benchRows[float32](n, 32)
		b.Run(fmt.Sprintf("n=%d/d=32/k=64", n), func(b *testing.B) {
			f := newBenchLloyd(x, 64, 0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.iterate(b)
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/iter")
		})
	}
}

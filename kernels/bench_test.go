package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkLloyd times one fused pass (distances, argmin, accumulation) over a 16 384-row block
// of the active backend. MB/s counts the data read once; GFLOP/s counts the 2·n·k·d of the
// distances. Compare backends with FASTMVA_KERNELS=… and benchstat.
func BenchmarkLloyd(b *testing.B) {
	for _, d := range []int{3, 10, 32, 256} {
		for _, k := range []int{3, 8, 64} {
			b.Run(fmt.Sprintf("f64/d=%d/k=%d", d, k), func(b *testing.B) { benchLloyd(b, LloydF64, d, k) })
			b.Run(fmt.Sprintf("f32/d=%d/k=%d", d, k), func(b *testing.B) { benchLloyd(b, LloydF32, d, k) })
		}
	}
}

func benchLloyd[T Float](b *testing.B, lloyd lloydFn[T], d, k int) {
	const n = 16384
	rng := rand.New(rand.NewPCG(1, 1))
	_, x := matrix[T](rng, n, d, d, false)
	_, c := matrix[T](rng, k, d, d, false)
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	labels := make([]int32, n)
	sums, wsum := make([]float64, k*d), make([]float64, k)
	var z T
	b.SetBytes(int64(n * d * int(sizeOf(z))))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lloyd(x, d, n, d, c, k, cnorm, nil, labels, sums, wsum)
	}
	b.ReportMetric(2*float64(n*k*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func sizeOf[T Float](z T) uintptr {
	if _, ok := any(z).(float32); ok {
		return 4
	}
	return 8
}

// BenchmarkDot times a 4096-long dot product (in L1) of the active backend.
func BenchmarkDot(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	_, x := matrix[float64](rng, 1, 4096, 4096, false)
	_, y := matrix[float64](rng, 1, 4096, 4096, false)
	b.SetBytes(2 * 8 * 4096)
	var s float64
	for i := 0; i < b.N; i++ {
		s += DotF64(x, y)
	}
	b.ReportMetric(2*4096*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	_ = s
}

// BenchmarkNearestProducts times the argmin over precomputed products (NearestProducts*) on 512
// rows of normal products in L1, one call per op: the figures behind genProducts' comment
// (ns/row). Compare backends with FASTMVA_KERNELS=….
func BenchmarkNearestProducts(b *testing.B) {
	for _, k := range []int{16, 64, 256} {
		b.Run(fmt.Sprintf("f64/k=%d", k), func(b *testing.B) { benchNearestProducts(b, NearestProductsF64, k) })
		b.Run(fmt.Sprintf("f32/k=%d", k), func(b *testing.B) { benchNearestProducts(b, NearestProductsF32, k) })
	}
}

func benchNearestProducts[T Float](b *testing.B, fn func([]T, int, int, int, []T, []int32, []T), k int) {
	const n = 512
	rng := rand.New(rand.NewPCG(1, 2))
	prod, cnorm := make([]T, n*k), make([]T, k)
	for i := range prod {
		prod[i] = T(rng.NormFloat64())
	}
	for j := range cnorm {
		cnorm[j] = T(rng.Float64())
	}
	labels, part := make([]int32, n), make([]T, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fn(prod, k, n, k, cnorm, labels, part)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
}

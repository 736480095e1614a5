package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPackedTile times the packed nearest tile and the fused Lloyd pass at k = 64 and small
// d on a block of rows that stays in L2, on one locked thread, by that thread's CPU time (the
// machine is shared): the kernels' compute rate, GFLOP per CPU second, with memory out of it.
func BenchmarkPackedTile(b *testing.B) {
	for _, d := range []int{10, 32} {
		b.Run(fmt.Sprintf("nearest/f64/d=%d/k=64", d), func(b *testing.B) { benchTile[float64](b, NearestPackedF64, nil, d, 64) })
		b.Run(fmt.Sprintf("nearest/f32/d=%d/k=64", d), func(b *testing.B) { benchTile[float32](b, NearestPackedF32, nil, d, 64) })
		b.Run(fmt.Sprintf("lloyd/f64/d=%d/k=64", d), func(b *testing.B) { benchTile[float64](b, nil, LloydPackedF64, d, 64) })
		b.Run(fmt.Sprintf("lloyd/f32/d=%d/k=64", d), func(b *testing.B) { benchTile[float32](b, nil, LloydPackedF32, d, 64) })
	}
}

func benchTile[T Float](b *testing.B,
	nearest func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, pack []T),
	lloyd func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T),
	d, k int) {
	const n = 2048
	rng := rand.New(rand.NewPCG(1, 1))
	_, x := matrix[T](rng, n, d, d, false)
	_, c := matrix[T](rng, k, d, d, false)
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	labels, part, pack := make([]int32, n), make([]T, n), make([]T, PackLen(d))
	sums, wsum := make([]float64, k*d), make([]float64, k)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	t0 := tileThreadCPU()
	fastest := time.Duration(1 << 62)
	for i := 0; i < b.N; i++ {
		s := time.Now()
		if nearest != nil {
			nearest(x, d, n, d, c, k, cnorm, labels, part, pack)
		} else {
			lloyd(x, d, n, d, c, k, cnorm, nil, labels, sums, wsum, pack)
		}
		fastest = min(fastest, time.Since(s))
	}
	cpu := (tileThreadCPU() - t0).Seconds()
	b.ReportMetric(2*float64(n*k*d)*float64(b.N)/cpu/1e9, "GFLOP/cpu-s")
	// The fastest call is the one no other process interrupted.
	b.ReportMetric(2*float64(n*k*d)/fastest.Seconds()/1e9, "GFLOP/s-best")
}

func tileThreadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPackedStream runs the fused Lloyd pass at k = 64 over 10⁶×32 rows (from DRAM) in
// blocks of 4096 rows, timing each block: the median block's rate is robust to the other
// processes of a shared machine taking the CPU now and then.
func BenchmarkPackedStream(b *testing.B) {
	b.Run("lloyd/f64/d=32/k=64", func(b *testing.B) { benchStream[float64](b, LloydPackedF64, 32, 64) })
	b.Run("lloyd/f32/d=32/k=64", func(b *testing.B) { benchStream[float32](b, LloydPackedF32, 32, 64) })
}

func benchStream[T Float](b *testing.B,
	lloyd func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T),
	d, k int) {
	const n, block = 1000000, 4096
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]T, n*d)
	for i := range x {
		x[i] = T(rng.Float64())
	}
	_, c := matrix[T](rng, k, d, d, false)
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	labels, pack := make([]int32, n), make([]T, PackLen(d))
	sums, wsum := make([]float64, k*d), make([]float64, k)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var times []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for lo := 0; lo+block <= n; lo += block {
			s := time.Now()
			lloyd(x[lo*d:], d, block, d, c, k, cnorm, nil, labels[lo:], sums, wsum, pack)
			times = append(times, time.Since(s).Seconds())
		}
	}
	slices.Sort(times)
	b.ReportMetric(2*float64(block*k*d)/times[len(times)/2]/1e9, "GFLOP/s-median")
	b.ReportMetric(2*float64(block*k*d)/times[len(times)/10]/1e9, "GFLOP/s-p10")
}

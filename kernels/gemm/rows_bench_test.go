package gemm

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU is the CPU time of the calling thread (the machine is shared: wall time measures
// the other jobs as much as this one).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMulRows times MulRows on one block of rows against 64 packed rows, in cache: the
// micro-kernel's rate when A is read in place.
func BenchmarkMulRows(b *testing.B) {
	for _, s := range []struct{ m, depth, ldx int }{{48, 32, 32}, {48, 256, 256}, {48, 256, 264}, {96, 256, 264}, {24, 1024, 1024}, {24, 1024, 1032}} {
		b.Run(fmt.Sprintf("m=%d/depth=%d/ldx=%d", s.m, s.depth, s.ldx), func(b *testing.B) {
			const n = 64
			x := make([]float64, s.m*s.ldx)
			for i := range x {
				x[i] = 1e-3
			}
			c := make([]float64, n*s.depth)
			var p Panels[float64]
			p.Pack(c, s.depth, n, s.depth)
			out := make([]float64, s.m*n)
			scr := make([]float64, MulRowsScratch[float64](s.depth))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			t0 := threadCPU()
			for i := 0; i < b.N; i++ {
				MulRows(&p, x, s.ldx, s.m, out, n, scr)
			}
			cpu := threadCPU() - t0
			b.ReportMetric(float64(2*s.m*n*s.depth)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			b.ReportMetric(float64(2*s.m*n*s.depth)*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
		})
	}
}

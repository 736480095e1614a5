package decomp

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
)

// BenchmarkEigSym times all eigenpairs of a random symmetric matrix (the input copy included,
// as bench/linalg does). Benchmarks are for profiling (go test -cpuprofile); tests never time.
func BenchmarkEigSym(b *testing.B) {
	for _, n := range []int{256, 512, 1024, 2048} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(3, 4))
			a := randomSym(rng, n)
			c, w, v := make([]float64, n*n), make([]float64, n), make([]float64, n*n)
			b.ResetTimer()
			c0 := cpuNow()
			for i := 0; i < b.N; i++ {
				copy(c, a)
				if err := EigSym(n, c, n, w, v, n, 0); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0)
		})
	}
}

// cpuNow returns the process's user+system CPU time in seconds: on a shared machine it moves
// less with other processes' load than wall time does.
func cpuNow() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func reportCPU(b *testing.B, c0 float64) {
	b.ReportMetric((cpuNow()-c0)*1e3/float64(b.N), "cpu-ms/op")
}

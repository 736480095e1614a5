package cluster

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkBoundFit times whole bound-based fits from the same rows as init on uniform rows
// (many iterations, most of them bound-based, few labels changing: the fits where adding each
// chunk's rows into its sums was a third of the CPU time), at most maxIter iterations, reporting
// the process's CPU time per fit next to the wall time: on a shared machine the CPU time moves
// less with the load.
func BenchmarkBoundFit(b *testing.B) {
	for _, s := range []struct {
		n, d, k int
		f32     bool
		algo    Algorithm
		maxIter int
	}{{1000000, 32, 64, false, AlgoAuto, 30}, {65536, 32, 64, true, AlgoHamerly, 60}} {
		x := benchRows[float64](s.n, s.d)
		name := fmt.Sprintf("f64/n=%d/d=%d/k=%d/algo=%d", s.n, s.d, s.k, s.algo)
		if s.f32 {
			name = "f32" + name[3:]
		}
		b.Run(name, func(b *testing.B) {
			p := DefaultKMeansParams()
			p.K, p.Init, p.Algorithm, p.MaxIter = s.k, InitGiven, s.algo, s.maxIter
			x32 := toF32(x)
			init, init32 := rowsAsInit(x, s.k, 1), rowsAsInit(x32, s.k, 1)
			fit := func() (int, error) {
				if s.f32 {
					res, err := FitKMeans(x32, nil, init32, p)
					if err != nil {
						return 0, err
					}
					return res.NIter, nil
				}
				res, err := FitKMeans(x, nil, init, p)
				if err != nil {
					return 0, err
				}
				return res.NIter, nil
			}
			var cpu time.Duration
			iters := 0
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				before := cpuTime()
				b.StartTimer()
				n, err := fit()
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - before
				iters = n
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(iters), "iters")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

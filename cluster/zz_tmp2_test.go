package cluster

import (
	"fmt"
	"sort"
	"syscall"
	"testing"
	"time"
)

func procCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(0, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestTmpScaling(t *testing.T) {
	med := func(v []float64) float64 { sort.Float64s(v); return v[len(v)/2] }
	for _, s := range []struct{ n, d, k int }{{65536, 256, 64}, {1000000, 32, 64}} {
		x32 := benchRows[float32](s.n, s.d)
		f := [3]*benchLloyd[float32]{nil, newBenchLloyd(x32, s.k, 1), newBenchLloyd(x32, s.k, 2)}
		f[1].iterate(nil)
		f[2].iterate(nil)
		var wall, cpu [3][]float64
		for r := 0; r < 7; r++ {
			for _, th := range []int{1, 2} {
				c0, t0 := procCPU(), time.Now()
				for i := 0; i < 5; i++ {
					f[th].iterate(nil)
				}
				wall[th] = append(wall[th], float64(time.Since(t0).Microseconds())/5e3)
				cpu[th] = append(cpu[th], float64((procCPU()-c0).Microseconds())/5e3)
			}
		}
		w1, w2, c1, c2 := med(wall[1]), med(wall[2]), med(cpu[1]), med(cpu[2])
		fmt.Printf("n=%d d=%d f32: 1 thread %.2f ms (cpu %.2f), 2 threads %.2f ms (cpu %.2f): speed-up %.2f, cpu2/cpu1 %.2f, busy %.0f%%\n",
			s.n, s.d, w1, c1, w2, c2, w1/w2, c2/c1, 100*c2/(2*w2))
	}
}

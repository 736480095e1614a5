// Command peak measures this machine's floors for bench/kmeans in the same run as the
// benchmark: DRAM read bandwidth (every thread streams its part of a large array through the
// library's own AVX dot product) and the FMA peak (independent vector FMA chains in assembly, one
// loop per thread). It prints one JSON object.
package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/fastmva/fastmva/kernels"
)

func main() {
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "threads")
	mb := flag.Int("mb", 1024, "MiB streamed per bandwidth repeat")
	flag.Parse()
	out := map[string]any{
		"threads":       *threads,
		"kernels":       kernels.Active(),
		"bandwidth_gbs": median(5, func() float64 { return bandwidth(*threads, *mb) }),
		"peak_f64_gfs":  median(5, func() float64 { return peak(*threads, fmaLoopF64) }),
		"peak_f32_gfs":  median(5, func() float64 { return peak(*threads, fmaLoopF32) }),
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func median(n int, f func() float64) float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = f()
	}
	sort.Float64s(v)
	return v[n/2]
}

var data []float64

func bandwidth(threads, mb int) float64 {
	n := mb << 20 / 8
	if len(data) != n {
		data = make([]float64, n)
		for i := range data {
			data[i] = 1
		}
	}
	start := time.Now()
	parallel(threads, func(t int) {
		lo, hi := t*n/threads, (t+1)*n/threads
		_ = kernels.DotF64(data[lo:hi], data[lo:hi]) // same slice twice: one stream from DRAM
	})
	return float64(n*8) / time.Since(start).Seconds() / 1e9
}

// iterations of the FMA loop per thread; each iteration is flopsPerIter floating-point ops.
const iterations = 20_000_000

func peak(threads int, loop func(n int) int) float64 {
	var flops int
	var mu sync.Mutex
	start := time.Now()
	parallel(threads, func(int) {
		f := loop(iterations)
		mu.Lock()
		flops += f
		mu.Unlock()
	})
	return float64(flops) / time.Since(start).Seconds() / 1e9
}

func parallel(threads int, f func(t int)) {
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func() { defer wg.Done(); f(t) }()
	}
	wg.Wait()
}

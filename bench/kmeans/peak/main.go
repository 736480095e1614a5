// Command peak measures this machine's floors for bench/kmeans in the same run as the
// benchmark: DRAM read bandwidth (every thread streams its part of a large array; the best of a
// bare assembly read loop and the library's row-norm kernels, so that a slow kernel cannot make
// the floor lenient) and the FMA peak (independent vector FMA chains in assembly, one
// loop per thread). It prints one JSON object.
//
// With -serve it stays up and takes a probe at each line read from stdin, printing one JSON
// object a line: the same measurements, made shorter (-mb MiB streamed once by each read, the
// FMA loops a quarter as long, each once), for bench/kmeans to measure the floors next to every
// repeat of a row — the machine's capacity moved by up to 2× between minutes (the same
// iteration benchmark took 12.7 and 22.9 ms a few minutes apart), so a floor measured once for
// the whole run says as much about the moment as about the code. It exits at the end of stdin.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/fastmva/fastmva/kernels"
)

func main() {
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "threads")
	mb := flag.Int("mb", 1024, "MiB streamed per bandwidth repeat")
	serve := flag.Bool("serve", false, "take a short probe for every line on stdin (see the package comment)")
	flag.Parse()
	if *serve {
		serveProbes(*threads, *mb)
		return
	}
	_ = json.NewEncoder(os.Stdout).Encode(measure(*threads, *mb, 5, iterations))
}

// measure is the floors' figures, each the best of repeats measurements.
func measure(threads, mb, repeats, fmaIterations int) map[string]any {
	return map[string]any{
		"threads":       threads,
		"kernels":       kernels.Active(),
		"probe_bits":    vectorBits,
		"bandwidth_gbs": best(repeats, func() float64 { return bandwidth(threads, mb) }),
		"peak_f64_gfs":  best(repeats, func() float64 { return peak(threads, fmaLoopF64, fmaIterations) }),
		"peak_f32_gfs":  best(repeats, func() float64 { return peak(threads, fmaLoopF32, fmaIterations) }),
	}
}

// serveProbes answers every line of stdin with one short measurement (a fraction of a second;
// the first also allocates and fills the array it reads).
func serveProbes(threads, mb int) {
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if err := out.Encode(measure(threads, mb, 1, iterations/4)); err != nil {
			os.Exit(1)
		}
	}
}

// best is the largest of n measurements: a bandwidth or a peak is a maximum, and on a shared
// machine every disturbance only lowers it (a median let one run report 92 GFLOP/s for a
// float64 peak that the runs around it measured at 161–166, making every %peak too kind).
func best(n int, f func() float64) float64 {
	v := 0.0
	for range n {
		v = max(v, f())
	}
	return v
}

var data []float64

// bandwidth is the best rate of three read streams over the same mb MiB, split between the
// threads: the bare read loop, and the library's float64 and float32 row norms (rows of 1024
// values). Earlier sessions streamed through DotF64 alone, which on one thread reads at half the
// rate of the others and so made the floor too kind to fastmva.
func bandwidth(threads, mb int) float64 {
	n := mb << 20 / 8
	if len(data) != n {
		data = make([]float64, n)
		for i := range data {
			data[i] = 1
		}
	}
	const d = 1024
	streams := []func(part []float64){
		func(part []float64) { _ = readLoop(&part[0], len(part)/64*64) },
		func(part []float64) {
			rows := len(part) / d
			kernels.SqNormsF64(part, d, rows, d, make([]float64, rows))
		},
		func(part []float64) {
			f := unsafe.Slice((*float32)(unsafe.Pointer(&part[0])), 2*len(part))
			rows := len(f) / d
			kernels.SqNormsF32(f, d, rows, d, make([]float32, rows))
		},
	}
	best := 0.0
	for _, stream := range streams {
		start := time.Now()
		parallel(threads, func(t int) { stream(data[t*n/threads : (t+1)*n/threads]) })
		best = max(best, float64(n*8)/time.Since(start).Seconds()/1e9)
	}
	return best
}

// iterations of the FMA loop per thread in the whole-run measurement (a probe runs a quarter);
// each iteration is flopsPerIter floating-point ops.
const iterations = 20_000_000

func peak(threads int, loop func(n int) int, n int) float64 {
	var flops int
	var mu sync.Mutex
	start := time.Now()
	parallel(threads, func(int) {
		f := loop(n)
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

// Command gotime times decomp.SVD phases on one synthetic matrix (a development aid for
// bench/svd; the side-by-side comparison is bench/svd/run.py).
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/fastmva/fastmva/decomp"
	"github.com/fastmva/fastmva/internal/dense"
)

func main() {
	n := flag.Int("n", 65536, "rows")
	d := flag.Int("d", 1024, "columns")
	k := flag.Int("k", 0, "components (0 = all)")
	f32 := flag.Bool("f32", false, "float32 data")
	solver := flag.Int("solver", 1, "1 exact, 2 randomized")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the SVD call here")
	memprofile := flag.String("memprofile", "", "write an allocation profile here at the end")
	flag.Parse()
	if *memprofile != "" {
		defer func() {
			f, err := os.Create(*memprofile)
			if err != nil {
				panic(err)
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				panic(err)
			}
		}()
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			panic(err)
		}
		defer pprof.StopCPUProfile()
		if err := pprof.StartCPUProfile(f); err != nil {
			panic(err)
		}
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, *n**d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	kk := *k
	if kk == 0 {
		kk = min(*n, *d)
	}
	p := decomp.Params{Components: *k, Solver: decomp.Solver(*solver), PowerIters: -1,
		Progress: func(done, total int64) bool {
			fmt.Printf("  step %d/%d %.3f\n", done, total, time.Since(start).Seconds())
			return true
		}}
	s := make([]float64, kk)
	t0 := time.Now()
	var err error
	var base int64
	if *f32 {
		x32 := make([]float32, len(x))
		for i, v := range x {
			x32[i] = float32(v)
		}
		x = nil
		runtime.GC()
		debug.FreeOSMemory()
		base = status("VmRSS")
		t0 = time.Now()
		start = t0
		o := decomp.Output[float32]{Loadings: make([]float32, *n*kk), LdL: kk, Factors: make([]float32, *d*kk), LdF: kk, S: s}
		_, err = decomp.SVD(dense.Matrix[float32]{Data: x32, Rows: *n, Cols: *d, Stride: *d}, p, o)
	} else {
		o := decomp.Output[float64]{Loadings: make([]float64, *n*kk), LdL: kk, Factors: make([]float64, *d*kk), LdF: kk, S: s}
		base = status("VmRSS")
		t0 = time.Now()
		start = t0
		_, err = decomp.SVD(dense.Matrix[float64]{Data: x, Rows: *n, Cols: *d, Stride: *d}, p, o)
	}
	fmt.Println(time.Since(t0), err, s[:3])
	fmt.Printf("resident before the SVD %d MiB, peak %d MiB\n", base>>20, status("VmHWM")>>20)
}

// status reads a size field (kB) of /proc/self/status, in bytes.
func status(field string) int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}

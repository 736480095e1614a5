// Command gotime times decomp.SVD phases on one synthetic matrix (a development aid for
// bench/svd; the side-by-side comparison is bench/svd/run.py).
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
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
	flag.Parse()
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
	if *f32 {
		x32 := make([]float32, len(x))
		for i, v := range x {
			x32[i] = float32(v)
		}
		t0 = time.Now()
		start = t0
		o := decomp.Output[float32]{Loadings: make([]float32, *n*kk), LdL: kk, Factors: make([]float32, *d*kk), LdF: kk, S: s}
		_, err = decomp.SVD(dense.Matrix[float32]{Data: x32, Rows: *n, Cols: *d, Stride: *d}, p, o)
	} else {
		o := decomp.Output[float64]{Loadings: make([]float64, *n*kk), LdL: kk, Factors: make([]float64, *d*kk), LdF: kk, S: s}
		t0 = time.Now()
		start = t0
		_, err = decomp.SVD(dense.Matrix[float64]{Data: x, Rows: *n, Cols: *d, Stride: *d}, p, o)
	}
	fmt.Println(time.Since(t0), err, s[:3])
}

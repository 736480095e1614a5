// Command gobench times fastmva's GEMM, SYRK and symmetric eigensolver and prints one JSON
// object per measurement (median of -reps runs) for bench/linalg/run.py to put beside NumPy's.
//
//	go run ./bench/linalg/gobench -op gemm -dtype f64 -n 2048
//	go run ./bench/linalg/gobench -op syrk -dtype f64 -rows 65536 -n 1024
//	go run ./bench/linalg/gobench -op eigh -n 1024
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/fastmva/fastmva/kernels/gemm"
)

func main() {
	op := flag.String("op", "gemm", "gemm | syrk | eigh")
	dtype := flag.String("dtype", "f64", "f64 | f32")
	n := flag.Int("n", 1024, "matrix size (gemm n×n×n; syrk output n×n; eigh d)")
	rows := flag.Int("rows", 65536, "syrk: rows of the tall-skinny input")
	reps := flag.Int("reps", 5, "repetitions; the median is reported")
	threads := flag.Int("threads", 0, "threads (0 = GOMAXPROCS)")
	flag.Parse()

	var run func()
	var flops float64
	switch *op + "/" + *dtype {
	case "gemm/f64":
		run, flops = gemmCase[float64](*n, *threads)
	case "gemm/f32":
		run, flops = gemmCase[float32](*n, *threads)
	case "syrk/f64":
		run, flops = syrkCase[float64](*rows, *n, *threads)
	case "syrk/f32":
		run, flops = syrkCase[float32](*rows, *n, *threads)
	default:
		if r, ok := extraCase(*op, *dtype, *n, *threads); ok {
			run = r
			break
		}
		fmt.Fprintf(os.Stderr, "unknown op/dtype %s/%s\n", *op, *dtype)
		os.Exit(2)
	}
	run() // warm up: page faults, pools
	times := make([]float64, *reps)
	for i := range times {
		t0 := time.Now()
		run()
		times[i] = time.Since(t0).Seconds()
	}
	slices.Sort(times)
	med := times[len(times)/2]
	out := map[string]any{"impl": "fastmva", "backend": string(gemm.Backend()), "op": *op, "dtype": *dtype,
		"n": *n, "seconds": med}
	if *op == "syrk" {
		out["rows"] = *rows
	}
	out["best_seconds"] = times[0]
	if flops > 0 {
		out["gflops"] = flops / med / 1e9
		out["best_gflops"] = flops / times[0] / 1e9
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func randSlice[T gemm.Float](n int, rng *rand.Rand) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(rng.Float64()*2 - 1)
	}
	return s
}

func gemmCase[T gemm.Float](n, threads int) (func(), float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b, c := randSlice[T](n*n, rng), randSlice[T](n*n, rng), make([]T, n*n)
	return func() { gemm.Gemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n, threads) }, 2 * float64(n) * float64(n) * float64(n)
}

// syrkCase is XᵀX of a rows×n matrix, one triangle: n²·rows multiply-adds (NumPy's X.T@X is
// counted the same way, as useful work, although it may compute both triangles).
func syrkCase[T gemm.Float](rows, n, threads int) (func(), float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, c := randSlice[T](rows*n, rng), make([]T, n*n)
	return func() { gemm.Syrk(gemm.Upper, true, n, rows, 1, x, n, 0, c, n, threads) }, float64(n) * float64(n) * float64(rows)
}

package cluster

import (
	"sync"
	"sync/atomic"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// ArgminMin with the mixed labels (mixed.go): each block of rows of x multiplied by y in float32
// (float32 rows in place, float64 rows narrowed), the rows whose products prove their label
// labelled from them, the others by the fused float64 kernel on their widened rows (the path
// ArgminMin takes without them): NearestF64's labels on the widened rows either way.

// useMixedArgmin is the rule for the mixed labels in ArgminMin: m rows of y where they run
// (useMixed). bench/kmeans's dist section (10⁶×32 against 64 rows, AMD Zen 4, two threads,
// medians of 5, two alternating runs each): float32 39.5–48.9 ms with them against 64.4–66.9 on
// the fused float64 kernel, float64 43.0–48.4 against 64.9–68.0. On AMD Zen 3 with AVX2
// (BenchmarkDistances, 10⁵ rows, one thread's CPU time, one run): float32 29.9 → 12.9 ms,
// float64 25.2 → 16.3.
func useMixedArgmin(d, m int) bool { return useMixed(d, m) && d <= mixedArgminMaxWidth }

// mixedArgminMaxWidth is the longest row ArgminMin gives the mixed labels: mixedMaxWidth, as
// Lloyd's pass. Until session 35 it was 512, where an unsure row still cost the fused float64
// kernel; with the unsure rows labelled from their few candidates (resolveFew), 65536 uniform
// rows against 64 (AMD Zen 5, two threads, medians of 5 paired rounds, new / old time): d = 1024
// float64 0.55, float32 0.48, d = 700 float64 0.66.
const mixedArgminMaxWidth = mixedMaxWidth

// argminMixed is ArgminMin's labels and distances by the mixed labels; it reports false (and
// does nothing) when y's rows do not allow them (mixedCenters.usable).
func argminMixed[T dense.Float](x dense.Matrix[T], yc []T, c, cnorm []float64, threads int, argmin []int64, dist []float64) (bool, error) {
	n, m, d := x.Rows, len(cnorm), x.Cols
	_, rows64 := any(T(0)).(float64)
	mc := newMixedCenters(d, m, rows64) // float32 rows are read in place, unshifted
	mc.set(c, cnorm, d, m)
	if !mc.usable {
		return false, nil
	}
	block := gemm.BlockRows[float32](d, m)
	// Workers' scratch goes from chunk to chunk (up to maxChunks of them; fresh scratch for each
	// was a tenth of the CPU time, clearing it).
	workers := sync.Pool{New: func() any { return newArgminMixedWorker[T](block, d, m) }}
	return true, parallel.Run(parallel.Split(n, block, maxChunks), threads, func(_, lo, hi int) error {
		w := workers.Get().(*argminMixedWorker[T])
		defer workers.Put(w)
		products := true // false once a block had more than a quarter of its rows unsure
		for b := lo; b < hi; b += block {
			e := min(b+block, hi)
			unsure, err := w.block(x, b, e, &mc, c, cnorm, yc, argmin, dist, products)
			if err != nil {
				return err
			}
			products = products && unsure <= (e-b)/4
		}
		return nil
	})
}

// argminMixedWorker is one chunk's scratch.
type argminMixedWorker[T dense.Float] struct {
	rows   []float32 // float64 rows narrowed
	prod   []float32
	mul    []float32
	xn     []float64 // the rows' squared norms
	zero   []T       // a row of zeros and labels naming it, for the norms (see block)
	zeroes []int32
	margin []float32
	lab    []int32
	again  []float64 // the unsure rows, widened, for the fused kernel (grown as needed)
	which  []int32
	agLab  []int32
	agPart []float64
	pack   []float64
	sq     []float64
	fused  *fusedArgmin[T] // for the blocks without products (made when first needed)
	cand   []int32         // resolveFew's scratch
	exact  []float64
}

// argminResolved counts the unsure rows ArgminMin's mixed path labelled from their candidates
// (for tests and measurements: one addition per block with unsure rows).
var argminResolved atomic.Int64

func newArgminMixedWorker[T dense.Float](block, d, m int) *argminMixedWorker[T] {
	w := &argminMixedWorker[T]{
		prod: make([]float32, block*m), mul: make([]float32, gemm.MulRowsScratch[float32](d)),
		xn: make([]float64, block), zero: make([]T, d), zeroes: make([]int32, block), margin: make([]float32, block), lab: make([]int32, block),
		which: make([]int32, block), agLab: make([]int32, block),
		agPart: make([]float64, block), pack: make([]float64, kernels.PackLen(d)), sq: make([]float64, block),
		cand: make([]int32, fewCandidates), exact: make([]float64, fewCandidates),
	}
	if _, f64 := any(T(0)).(float64); f64 {
		w.rows = make([]float32, narrowedLen(block, d))
	}
	return w
}

// block labels rows [b, e) of x and writes their labels and distances; it returns how many rows
// the products left unsure. Without products (a chunk whose rows are mostly unsure: float32
// rows far from the origin next to their spread, which are not shifted) the rows take
// ArgminMin's fused path.
func (w *argminMixedWorker[T]) block(x dense.Matrix[T], b, e int, mc *mixedCenters, c, cnorm []float64, yc []T, argmin []int64, dist []float64, products bool) (int, error) {
	n, m, d, ld := e-b, len(cnorm), x.Cols, x.Stride
	if !products {
		if w.fused == nil {
			w.fused = newFusedArgmin[T](d)
		}
		return n, w.fused.rows(x, b, e, c, cnorm, yc, argmin, dist)
	}
	o := opsFor[T]()
	switch xs := any(x.Data[b*ld:]).(type) {
	case []float32: // read in place (MulRows prefetches the next rows itself)
		gemm.MulRows(&mc.panels, xs, ld, n, w.prod, m, w.mul)
		// The norms in float64, as distances to a row of zeros: the margins then need no
		// float32 rounding of them, and the distance kernel (eight rows at a time, widened)
		// costs no more than SqNormsF32's row-by-row dot products (7.5 against 8.7% of the CPU
		// time in BenchmarkDistances' profiles).
		o.sqDistRows(x.Data[b*ld:], ld, n, d, w.zero, w.zeroes[:n], w.xn)
	case []float64:
		mc.products(w.rows, w.prod, w.mul, xs, ld, n, d, m, w.xn)
	}
	if err := blockFinite(x, b, e, w.xn); err != nil {
		return 0, err
	}
	unsure := labelFromProducts(mc, w.prod, n, m, w.xn, w.margin, w.lab)
	if unsure > 0 {
		w.relabel(x, b, e, mc, c, cnorm)
	}
	nearestDists(x, b, e, yc, w.lab, w.sq, argmin, dist)
	return unsure, nil
}

// relabel labels the rows of [b, e) that the products left unsure (−1): those with few
// candidates from their exact products (mixedCenters.resolveFew), the others by the fused
// float64 kernel on their widened rows, as ArgminMin's other path does.
func (w *argminMixedWorker[T]) relabel(x dense.Matrix[T], b, e int, mc *mixedCenters, c, cnorm []float64) {
	d, m, count, resolved := x.Cols, len(cnorm), 0, 0
	for i, l := range w.lab[:e-b] {
		if l >= 0 {
			continue
		}
		if len(w.again) < (count+1)*d {
			w.again = append(w.again, make([]float64, d)...)
		}
		// The row in float64: float32 rows widened into their slot of again, float64 rows
		// read in place and copied there only if the fused kernel is to take them.
		dst, xi, widened := w.again[count*d:(count+1)*d], []float64(nil), false
		switch r := any(x.Row(b + i)).(type) {
		case []float32:
			kernels.WidenF32(dst, r)
			xi, widened = dst, true
		case []float64:
			xi = r
		}
		if j, ok := mc.resolveFew(w.prod[i*m:(i+1)*m], w.margin[i], xi, w.cand, w.exact); ok {
			w.lab[i] = j
			resolved++
			continue
		}
		if !widened {
			copy(dst, xi)
		}
		w.which[count] = int32(i)
		count++
	}
	argminResolved.Add(int64(resolved))
	if count == 0 {
		return
	}
	kernels.NearestPackedF64(w.again, d, count, d, c, m, cnorm, w.agLab, w.agPart, w.pack)
	for j, i := range w.which[:count] {
		w.lab[i] = w.agLab[j]
	}
}

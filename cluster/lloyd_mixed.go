package cluster

import (
	"sync"
	"sync/atomic"

	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Lloyd's GEMM-tile pass on float64 rows with the mixed labels (mixed.go).

// useMixed is the rule for the mixed labels on float64 rows: where NearestProductsMarginF32
// runs assembly (32 < k ≤ 64; on AVX2 k a multiple of 8) and d ≤ mixedMaxWidth. On AMD Zen 3
// with AVX2 (session 27, the same benchmark, two runs each): 65536×32 8.3 → 5.7 ms, 10⁶×32 107
// → 84, 65536×256 42 → 33–34, 65536×512 79–84 → 61–65. BenchmarkMixedLabels (AMD Zen 4,
// two threads, one Lloyd iteration on uniform rows, k = 64, three interleaved runs), the float64
// tile → mixed: 65536×32 3.16–3.18 → 2.30–2.37 ms, 10⁶×32 48.3–48.7 → 36.9–37.2, 65536×256
// 22.1–22.4 → 14.5–15.1, 65536×512 98.1–99.5 → 65.5–68.1. At d = 1024 the rows labelled again
// (1.4–2.7%, each through a whole float64 micro-tile of 12 rows) eat the gain: 65536 rows
// 93.3–95.4 → 80.2–81.6, but 2·10⁵ rows 564–674 → 550–602 and in bench/kmeans's run S18b 10⁶
// rows 1606 ms against 1410 for the float64 tile in run S17c, so d > 512 kept the float64 tile.
// (Before the rows were shifted by the centers' mean, d = 1024 relabelled most rows: 110 against
// 98 ms at 65536 rows in run S18a.) What held d = 1024 back was less the relabelled rows (5%
// of the CPU samples) than the narrowing waiting on memory (a fifth): the narrowed rows, 4 KB
// apart, aliased in L1, so MulRows staged them and prefetched the next rows of the copy, never
// the next float64 rows. Since session 31 they lie narrowedStride apart and MulRowsAhead asks
// for the next rows at twice its rate where its calls would not reach them (AMD Zen 5,
// 16384×1024 k = 64 float64, the float64 tile → mixed, paired rounds: one thread 1.44× the
// GFLOP/cpu-s, two threads 1.25× the GFLOP/s); so d ≤ 1024 takes them.
func useMixed(d, k int) bool { return kernels.MarginProductsFast(k) && d <= mixedMaxWidth }

// mixedMaxWidth is the longest row the mixed labels take (useMixed).
const mixedMaxWidth = 1024

// mixedAssign holds the float32 centers of the mixed labels and their workers' scratch.
type mixedAssign struct {
	mixedCenters
	block   int
	scratch sync.Pool // *mixedScratch
	// rows and again count the rows given to label and those its float32 products left unsure,
	// tile those of them labelled by the float64 tile, the others by their few candidates' exact
	// products (for tests and measurements: one addition per block).
	rows, again, tile atomic.Int64
}

// mixedScratch is one worker's scratch for a block of rows.
type mixedScratch struct {
	rows   []float32 // the block narrowed
	prod   []float32 // its products with the centers
	mul    []float32 // MulRows' scratch
	xn     []float64 // the rows' squared norms
	margin []float32
	unsure []int32   // the rows left to the float64 tile, block-relative
	again  []float64 // those rows gathered for it
	lab    []int32
	cand   []int32   // a row's candidate centers (resolveFew; fewCandidates long)
	exact  []float64 // their float64 products
}

func newMixedAssign(d, k, block int) *mixedAssign {
	return &mixedAssign{mixedCenters: newMixedCenters(d, k, true), block: block}
}

func (m *mixedAssign) getScratch(d, k int) *mixedScratch {
	if s, ok := m.scratch.Get().(*mixedScratch); ok {
		return s
	}
	b := m.block
	return &mixedScratch{
		rows: make([]float32, narrowedLen(b, d)), prod: make([]float32, b*k), mul: make([]float32, gemm.MulRowsScratch[float32](d)),
		xn: make([]float64, b), margin: make([]float32, b), unsure: make([]int32, b),
		again: make([]float64, b*d), lab: make([]int32, b), cand: make([]int32, fewCandidates), exact: make([]float64, fewCandidates),
	}
}

// label labels the n ≤ block rows of x (row stride ldx) from the float32 products. A row they
// leave unsure whose candidates (resolveFew) are few gets its label from their exact products;
// the others are labelled −1, listed in s.unsure[:tile] and gathered in s.again for the float64
// tile. It returns tile and how many rows the products left unsure (those and the resolved).
func (m *mixedAssign) label(s *mixedScratch, x []float64, ldx, n, d, k int, labels []int32) (tile, unsure int) {
	m.mixedCenters.products(s.rows, s.prod, s.mul, x, ldx, n, d, k, s.xn)
	m.rows.Add(int64(n))
	if labelFromProducts(&m.mixedCenters, s.prod, n, k, s.xn, s.margin, labels) == 0 {
		return 0, 0
	}
	for i, l := range labels[:n] {
		if l >= 0 {
			continue
		}
		unsure++
		xi := x[i*ldx : i*ldx+d]
		if j, ok := m.resolveFew(s.prod[i*k:(i+1)*k], s.margin[i], xi, s.cand, s.exact); ok {
			labels[i] = j
			continue
		}
		copy(s.again[tile*d:(tile+1)*d], xi)
		s.unsure[tile] = int32(i)
		tile++
	}
	m.again.Add(int64(unsure))
	m.tile.Add(int64(tile))
	return tile, unsure
}

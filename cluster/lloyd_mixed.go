package cluster

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Lloyd's GEMM-tile pass on float64 rows with the mixed labels (mixed.go).

// useMixed is the rule for the mixed labels on float64 rows: where NearestProductsMarginF32
// runs assembly (AVX-512, 32 < k ≤ 64) and d ≤ mixedMaxFeatures. BenchmarkMixedLabels (AMD
// Zen 4, two threads, one Lloyd iteration, five interleaved runs): 65536×32, k = 64: 3.46–3.64
// ms on the float64 tile, 2.37–2.57 mixed; 10⁶×32: 48.2–50.8 against 35.1–39.2.
func useMixed(d, k int) bool { return kernels.MarginProductsFast(k) && d <= mixedMaxFeatures }

// mixedAssign holds the float32 centers of the mixed labels and their workers' scratch.
type mixedAssign struct {
	mixedCenters
	block   int
	scratch sync.Pool // *mixedScratch
	// rows and again count the rows given to label and those it left unsure (for tests and
	// measurements: one addition per block).
	rows, again atomic.Int64
}

// mixedScratch is one worker's scratch for a block of rows.
type mixedScratch struct {
	rows   []float32 // the block narrowed
	prod   []float32 // its products with the centers
	mul    []float32 // MulRows' scratch
	xn     []float64 // the rows' squared norms
	margin []float32
	unsure []int32   // the rows labelled −1, block-relative
	again  []float64 // those rows gathered for the float64 tile
	lab    []int32
}

func newMixedAssign(d, k, block int) *mixedAssign {
	return &mixedAssign{mixedCenters: newMixedCenters(d, k), block: block}
}

// pack narrows and packs the centers and decides whether this pass may use them.
func (m *mixedAssign) pack(centers []float64, d, k int) {
	cn := make([]float64, k)
	kernels.SqNormsF64(centers, d, k, d, cn)
	m.set(centers, cn, d, k)
}

func (m *mixedAssign) getScratch(d, k int) *mixedScratch {
	if s, ok := m.scratch.Get().(*mixedScratch); ok {
		return s
	}
	b := m.block
	return &mixedScratch{
		rows: make([]float32, b*d), prod: make([]float32, b*k), mul: make([]float32, gemm.MulRowsScratch[float32](d)),
		xn: make([]float64, b), margin: make([]float32, b), unsure: make([]int32, b),
		again: make([]float64, b*d), lab: make([]int32, b),
	}
}

// label labels the n ≤ block rows of x (row stride ldx) from the float32 products and returns
// the rows it could not (labelled −1), listed in s.unsure[:count] and gathered in s.again.
func (m *mixedAssign) label(s *mixedScratch, x []float64, ldx, n, d, k int, labels []int32) int {
	narrowRows(s.rows, x, ldx, n, d)
	// The next block of rows (a hint, even past x's end) is on its way while the tile runs.
	next := uintptr(unsafe.Pointer(&x[0])) + uintptr(n*ldx*8)
	gemm.MulRowsAhead(&m.panels, s.rows, d, n, s.prod, k, s.mul, next, n*ldx*8)
	kernels.SqNormsF64(x, ldx, n, d, s.xn)
	m.rows.Add(int64(n))
	if labelFromProducts(&m.mixedCenters, s.prod, n, k, s.xn, s.margin, labels) == 0 {
		return 0
	}
	count := 0
	for i, l := range labels[:n] {
		if l < 0 {
			copy(s.again[count*d:(count+1)*d], x[i*ldx:i*ldx+d])
			s.unsure[count] = int32(i)
			count++
		}
	}
	m.again.Add(int64(count))
	return count
}

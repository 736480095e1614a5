package cluster

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// The GEMM-tile assignment of Lloyd's algorithm, for the compute-bound shapes (many centers, long
// rows). The fused kernel keeps each row in vector lanes and broadcasts one center feature per
// FMA; a packed GEMM micro-kernel keeps a whole mr×nr tile of products in registers and loads
// fewer operands per FMA (gemm.MulRows reaches 70–78 GFLOP/s per core in cache with AVX-512 in
// float64, against the fused kernel's 30–40 on a whole iteration). So each
// iteration packs the centers once (every block of rows reuses them), and each block of rows
// of a chunk is multiplied by them in cache, labelled from the products, and added into the
// chunk's sums while it is still in cache.
//
// Same result, bit for bit, as the fused kernel: each product is one sum in feature order from
// zero (fused multiply-adds on the SIMD backends, plain loop on the generic one), exactly the dot
// product the fused tile forms; the value compared is cnorm − 2·product in one rounding, the
// argmin keeps the lowest index on ties, and the rows are added into the chunk's sums in row
// order by the same accumulate kernel. So the choice of path changes the speed only.

// gemmMinCenters and gemmMinFeatures bound the shapes that take the GEMM tile (useGemmTile).
const (
	gemmMinCenters  = 16
	gemmMinFeatures = 128
)

// useGemmTile is the rule that picks the GEMM tile over the fused kernel for k centers of d
// features: k ≥ gemmMinCenters and d ≥ gemmMinFeatures. Measured with BenchmarkAssignPaths
// (one thread's CPU time, AVX-512, 65536 rows, medians of 3 on a loaded shared machine, ±20%):
// at d ≥ 256 the tile was 1.0–1.8× the fused kernel (never slower beyond the noise), f32
// d = 1024 1.8×; at d = 64–128 the two are within the noise; at d ≤ 32 and k = 16 the fused
// kernel wins (1.4–1.7×): there a row's products cost little next to writing them out and
// reading them back for the argmin, which the fused kernel never does. The generic backend
// follows the same rule (both paths give the same bits). For k = 3 and 8 at d = 128–1024 (one thread's CPU
// time, quiet machine) the GEMM tile and the old gathering tile were within the noise of each
// other, both far from the DRAM floor (4–18 GFLOP/cpu-s); k ≤ 8 < gemmMinCenters stays on the
// fused kernel, which for d > 64 on AVX-512 is now the streaming pass of kernels/wide_amd64.go
// (with the per-chunk scratch newLloyd allocates for d > 64).
func useGemmTile(d, k int) bool {
	return k >= gemmMinCenters && d >= gemmMinFeatures
}

// gemmAssign holds the packed centers and per-worker scratch of the GEMM-tile assignment.
type gemmAssign[T dense.Float] struct {
	panels     gemm.Panels[T]
	block      int      // rows per block
	scratch    chan []T // per-worker scratch: products, minima, then MulRows' scratch
	prodLen    int      // block × k
	accumulate func(x []T, ldx, n, d int, labels []int32, w []T, sums, wsum []float64)
}

func newGemmAssign[T dense.Float](d, k, threads int) *gemmAssign[T] {
	block := gemm.BlockRows[T](d, k)
	return &gemmAssign[T]{
		block:      block,
		scratch:    make(chan []T, parallel.Threads(threads)),
		prodLen:    block * k,
		accumulate: opsFor[T]().accumulate,
	}
}

func (g *gemmAssign[T]) getScratch(d int) []T {
	select {
	case s := <-g.scratch:
		return s
	default:
		return make([]T, g.prodLen+g.block+gemm.MulRowsScratch[T](d))
	}
}

func (g *gemmAssign[T]) putScratch(s []T) {
	select {
	case g.scratch <- s:
	default:
	}
}

// pack packs the centers for this assignment (every chunk's blocks reuse them); nearest and
// lloyd use the centers packed last, not their c argument.
func (g *gemmAssign[T]) pack(centers []T, d, k int) { g.panels.Pack(centers, d, k, d) }

// nearest is ops.nearest on the GEMM tile: kernels.Nearest*'s labels and part, bit for bit.
func (g *gemmAssign[T]) nearest(x []T, ldx, n, d int, _ []T, k int, cnorm []T, labels []int32, part []T) {
	g.rows(x, ldx, n, d, k, cnorm, labels, part, nil, nil, nil, false)
}

// lloyd is ops.lloyd on the GEMM tile: kernels.Lloyd*'s labels, and the rows added into sums
// and wsum in row order, bit for bit.
func (g *gemmAssign[T]) lloyd(x []T, ldx, n, d int, _ []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, _ []T) {
	g.rows(x, ldx, n, d, k, cnorm, labels, nil, w, sums, wsum, true)
}

// rows labels the n rows of x block by block (part, if not nil, gets the minima) and, with
// accumulate, adds each block into sums and wsum while it is in cache.
func (g *gemmAssign[T]) rows(x []T, ldx, n, d, k int, cnorm []T, labels []int32, part, w []T, sums, wsum []float64, accumulate bool) {
	if g.panels.Rows() != k || g.panels.Depth() != d {
		panic("cluster: GEMM tile used before its centers were packed")
	}
	s := g.getScratch(d)
	defer g.putScratch(s)
	prod, minima, mul := s[:g.prodLen], s[g.prodLen:g.prodLen+g.block], s[g.prodLen+g.block:]
	for b := 0; b < n; b += g.block {
		e := min(b+g.block, n)
		xb := x[b*ldx:]
		gemm.MulRows(&g.panels, xb, ldx, e-b, prod, k, mul)
		pb := minima
		if part != nil {
			pb = part[b:e]
		}
		nearestProducts(prod, k, e-b, k, cnorm, labels[b:e], pb)
		if !accumulate {
			continue
		}
		var wb []T
		if w != nil {
			wb = w[b:e]
		}
		g.accumulate(xb, ldx, e-b, d, labels[b:e], wb, sums, wsum)
	}
}

// nearestProducts is kernels.NearestProducts* for T.
func nearestProducts[T dense.Float](prod []T, ld, n, k int, cnorm []T, labels []int32, part []T) {
	switch p := any(prod).(type) {
	case []float64:
		kernels.NearestProductsF64(p, ld, n, k, any(cnorm).([]float64), labels, any(part).([]float64))
	case []float32:
		kernels.NearestProductsF32(p, ld, n, k, any(cnorm).([]float32), labels, any(part).([]float32))
	}
}

package cluster

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// The GEMM-tile assignment of Lloyd's algorithm, for the compute-bound shapes (many centers, long
// rows). The fused kernel there keeps each row in vector lanes and broadcasts one center feature
// per FMA, which leaves the FMA units idle half the time; a packed GEMM micro-kernel keeps a
// whole mr×nr tile of products in registers and reaches most of the machine's peak. So each
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
// (thread CPU time, AVX-512, 65536 rows): the tile wins by 1.2–1.8× at d ≥ 256 (k = 16 and 64,
// float32 and float64) and at d = 1024; at d = 64–128 the two are within the noise; at d ≤ 32
// the fused kernel wins (up to 1.7× at k = 16), because there a row's k products cost little
// next to writing them out and reading them back for the argmin, which the fused kernel never
// does. The generic backend follows the same rule (both paths give the same bits).
func useGemmTile(d, k int) bool {
	return k >= gemmMinCenters && d >= gemmMinFeatures
}

// gemmAssign holds the packed centers and per-worker scratch of the GEMM-tile assignment.
type gemmAssign[T dense.Float] struct {
	panels  gemm.Panels[T]
	block   int      // rows per block
	scratch chan []T // per-worker scratch: products, then MulRows' scratch
	prodLen int      // block × k
}

func newGemmAssign[T dense.Float](d, k, threads int) *gemmAssign[T] {
	block := gemm.BlockRows[T](d, k)
	return &gemmAssign[T]{
		block:   block,
		scratch: make(chan []T, parallel.Threads(threads)),
		prodLen: block * k,
	}
}

func (g *gemmAssign[T]) getScratch(d int) []T {
	select {
	case s := <-g.scratch:
		return s
	default:
		return make([]T, g.prodLen+gemm.MulRowsScratch[T](d))
	}
}

func (g *gemmAssign[T]) putScratch(s []T) {
	select {
	case g.scratch <- s:
	default:
	}
}

// pack packs the centers for this assignment (every chunk's blocks reuse them).
func (g *gemmAssign[T]) pack(centers []T, d, k int) { g.panels.Pack(centers, d, k, d) }

// chunk is lloyd.assign's work on the rows [lo, hi) of chunk ci on the GEMM tile: labels (and
// part), and with accumulate the rows added into the chunk's sums in row order. l.cnorm holds
// the centers' squared norms and pack has run.
func (g *gemmAssign[T]) chunk(l *lloyd[T], ci, lo, hi int, accumulate bool) {
	x, k, d := l.x, l.k, l.x.Cols
	s := g.getScratch(d)
	defer g.putScratch(s)
	prod, mul := s[:g.prodLen], s[g.prodLen:]
	for b := lo; b < hi; b += g.block {
		e := min(b+g.block, hi)
		xb := x.Data[b*x.Stride:]
		gemm.MulRows(&g.panels, xb, x.Stride, e-b, prod, k, mul)
		nearestProducts(prod, k, e-b, k, l.cnorm, l.labels[b:e], l.part[b:e])
		if !accumulate {
			continue
		}
		var w []T
		if l.w != nil {
			w = l.w[b:e]
		}
		l.ops.accumulate(xb, x.Stride, e-b, d, l.labels[b:e], w, l.sums[ci*k*d:(ci+1)*k*d], l.wsums[ci*k:(ci+1)*k])
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

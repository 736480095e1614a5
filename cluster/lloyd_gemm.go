package cluster

import (
	"sync"
	"unsafe"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// The GEMM-tile assignment of Lloyd's algorithm, for the compute-bound shapes (many centers, long
// rows). The fused kernel keeps each row in vector lanes and broadcasts one center feature per
// FMA; a packed GEMM micro-kernel keeps a whole mr×nr tile of products in registers and loads
// fewer operands per FMA (gemm.MulRows reaches 70–78 GFLOP/s per core in cache with AVX-512 in
// float64, against the fused kernel's 30–40 on a whole iteration). So each
// iteration packs the centers once (every block of rows reuses them), and each block of rows
// of a chunk is multiplied by them in cache and labelled from the products; a group of blocks
// (still in L2) is then added into the chunk's sums center by center, so that each center's sum
// is read and written once per group rather than once per row (AVX-512, float64 at 65536×256,
// k = 64: 1.7 against 2.95 ms per pass of the sums over X).
//
// Same result, bit for bit, as the fused kernel: each product is one sum in feature order from
// zero (fused multiply-adds on the SIMD backends, plain loop on the generic one), exactly the dot
// product the fused tile forms; the value compared is cnorm − 2·product in one rounding, the
// argmin keeps the lowest index on ties, and each center's sum gets its rows in row order with
// the accumulate kernels' arithmetic (gemm.SumRows). So the choice of path changes the speed only.

// gemmMinCenters, gemmMinFeatures and gemmMinWork bound the shapes that take the GEMM tile
// (useGemmTile).
const (
	gemmMinCenters  = 16
	gemmMinFeatures = 32
	gemmMinWork     = 1024 // k·d
)

// useGemmTile is the rule that picks the GEMM tile over the fused kernel for k centers of d
// features: k ≥ gemmMinCenters, d ≥ gemmMinFeatures and k·d ≥ gemmMinWork. Measured with
// BenchmarkAssignPaths (one thread's CPU time, AVX-512, 65536 rows, medians of 3 on a shared
// machine, ±20%), GFLOP/cpu-s fused → tile:
//   - AMD EPYC (Zen 4), 2026-11-30: d = 32, k = 64 f64 32 → 33–40 (the micro-kernel itself at
//     about 95% of the core's FMA peak, the argmin over the products 15% of the pass), f32
//     53 → 60; d = 32, k = 32 f64 23 → 27, f32 48 → 57; d = 64, k = 64 f64 33 → 42, f32 66 →
//     77; d = 64, k = 16 f64 16 → 22; but d = 32, k = 16 f64 17–26 → 19–23, f32 26 → 22, and
//     at d = 16 (k = 64 and 128) the fused kernel is ahead by 1.2–1.4×: there a row's
//     products cost little next to writing them out and reading them back for the argmin,
//     which the fused kernel never does. In bench/kmeans's iteration rows at d = 32, k = 64
//     the tile took 7–20% less time (65 536 and 10⁶ rows, both types);
//   - Intel Xeon (earlier sessions, when the rule was d ≥ 128): at d ≥ 256 the tile was
//     1.0–1.8× the fused kernel (never slower beyond the noise), f32 d = 1024 1.8×; at
//     d = 64–128 the two within the noise; at d ≤ 32 and k = 16 the fused kernel ahead
//     (1.4–1.7×).
//
// The generic backend follows the same rule (both paths give the same bits). For k = 3 and 8 at
// d = 128–1024 (one thread's CPU time, quiet machine) the GEMM tile and the old gathering tile
// were within the noise of each other, both far from the DRAM floor (4–18 GFLOP/cpu-s); k ≤ 8 <
// gemmMinCenters stays on the fused kernel, which for d > 64 on AVX-512 is now the streaming
// pass of kernels/wide_amd64.go (with the per-chunk scratch newLloyd allocates for d > 64).
func useGemmTile(d, k int) bool {
	return k >= gemmMinCenters && d >= gemmMinFeatures && k*d >= gemmMinWork
}

// gemmAssign holds the packed centers and per-worker scratch of the GEMM-tile assignment.
type gemmAssign[T dense.Float] struct {
	panels  gemm.Panels[T]
	block   int // rows per block
	group   int // rows per group of blocks whose sums are added center by center (a multiple of block)
	k       int
	scratch sync.Pool // *gemmScratch[T], see getScratch
	prodLen int       // block × k
	// mixed, if set (float64 rows, useMixed): Lloyd's labels from float32 products where they
	// prove the float64 tile's (lloyd_mixed.go), the float64 tile for the other rows.
	mixed *mixedAssign
	// tile, if set (float32 rows, useTile64): the labels from kernels' 64-center tile, which
	// never stores the products (the same labels and minima, bit for bit).
	tile *tile64
}

// tile64 holds the centers packed for kernels.NearestTile64F32.
type tile64 struct {
	panel, norm64 []float32
}

func newTile64(d int) *tile64 {
	return &tile64{panel: make([]float32, kernels.Tile64Centers*d), norm64: make([]float32, kernels.Tile64Centers)}
}

// pack packs the float32 centers (T is float32 wherever a tile64 exists) and their norms.
func (tl *tile64) pack(centers, cnorm any, d, k int) {
	kernels.PackTile64F32(centers.([]float32), d, k, cnorm.([]float32), tl.panel, tl.norm64)
}

// useTile64 is the rule for the 64-center tile on float32 rows: where it runs assembly, for 32 <
// k ≤ 64 centers (fewer would leave more than half its lanes padding) and d ≤ tile64MaxWidth.
// Measured on an Intel Ice Lake-SP (session 37, one Lloyd iteration on uniform rows, k = 64,
// the fastest of each run, paired runs new/old): one thread at 65536×32 72–74 → 84–87 GFLOP/s;
// two threads 65536×256 1.07× (medians of 6, 183 → 196 GFLOP/s), 65536×1024 1.17× (154 →
// 188), 10⁶×256 1.12× (3 rounds). The panel (64·d float32, 256 KB at d = 1024) is read from L2
// by every six rows; past d = 1024 nothing was measured and the GEMM tile stays.
func useTile64(d, k int) bool {
	return kernels.Tile64Fast() && k > 32 && k <= kernels.Tile64Centers && d <= tile64MaxWidth
}

// tile64MaxWidth is the longest row the 64-center tile takes (useTile64).
const tile64MaxWidth = 1024

// gemmScratch is one worker's scratch: products, minima, then MulRows' scratch in vals; a
// group's rows in order of center (order) and where each center's rows end in it (ends).
type gemmScratch[T dense.Float] struct {
	vals  []T
	order []int32
	ends  []int32
}

func newGemmAssign[T dense.Float](d, k int) *gemmAssign[T] {
	block := gemm.BlockRows[T](d, k)
	g := &gemmAssign[T]{
		block:   block,
		group:   groupRows[T](d, block),
		k:       k,
		prodLen: block * k,
	}
	if _, rows64 := any(g).(*gemmAssign[float64]); rows64 && useMixed(d, k) {
		g.mixed = newMixedAssign(d, k, block)
	}
	if _, rows32 := any(g).(*gemmAssign[float32]); rows32 && useTile64(d, k) {
		g.tile = newTile64(d)
	}
	return g
}

// groupRows is how many rows of d values (whole blocks of block rows) are labelled before their
// sums are added: about groupBytes of rows, which stay in the core's L2 meanwhile.
func groupRows[T dense.Float](d, block int) int {
	var z T
	return max(1, groupBytes/(d*int(unsafe.Sizeof(z))*block)) * block
}

// groupBytes is the size of a group of rows: a quarter of a 2 MB L2, next to the packed
// centers and the sums.
const groupBytes = 512 << 10

// getScratch returns scratch for one call of rows. A sync.Pool hands each processor back the
// scratch it put last, so on two threads each worker keeps writing buffers already in its own
// core's cache; the channel it replaced handed them out first in, first out, so a chunk often
// got the scratch the other core had just written (the products alone are 21 KB at 65536×256
// k = 64 float32; reading them back for the labels took 1.5× the CPU time on two threads as on
// one in the profiles of that code).
func (g *gemmAssign[T]) getScratch(d int) *gemmScratch[T] {
	if s, ok := g.scratch.Get().(*gemmScratch[T]); ok {
		return s
	}
	return &gemmScratch[T]{
		vals:  make([]T, g.prodLen+g.block+gemm.MulRowsScratch[T](d)),
		order: make([]int32, g.group+g.block),
		ends:  make([]int32, g.k),
	}
}

func (g *gemmAssign[T]) putScratch(s *gemmScratch[T]) { g.scratch.Put(s) }

// pack packs the centers (squared norms cnorm) for this assignment (every chunk's blocks reuse
// them); nearest and lloyd use the centers packed last, not their c argument.
func (g *gemmAssign[T]) pack(centers, cnorm []T, d, k int) {
	g.panels.Pack(centers, d, k, d)
	if g.tile != nil {
		g.tile.pack(centers, cnorm, d, k)
	}
	if g.mixed != nil {
		g.mixed.set(any(centers).([]float64), any(cnorm).([]float64), d, k)
	}
}

// mixedServes reports whether the mixed labels label Lloyd's passes for the centers packed
// last (float64 rows, useMixed, centers the bound allows).
func (g *gemmAssign[T]) mixedServes() bool { return g.mixed != nil && g.mixed.usable }

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
// accumulate, adds each group of blocks into sums and wsum while it is in cache.
func (g *gemmAssign[T]) rows(x []T, ldx, n, d, k int, cnorm []T, labels []int32, part, w []T, sums, wsum []float64, accumulate bool) {
	if g.panels.Rows() != k || g.panels.Depth() != d {
		panic("cluster: GEMM tile used before its centers were packed")
	}
	s := g.getScratch(d)
	defer g.putScratch(s)
	prod, minima, mul := s.vals[:g.prodLen], s.vals[g.prodLen:g.prodLen+g.block], s.vals[g.prodLen+g.block:]
	// The mixed labels serve Lloyd's pass (no minima wanted); a call whose rows turn out to be
	// unsure more than a quarter of the time (mixedGiveUp) goes on with the float64 tile alone.
	var ms *mixedScratch
	if g.mixedServes() && accumulate && part == nil {
		ms = g.mixed.getScratch(d, k)
		defer g.mixed.scratch.Put(ms)
	}
	seen, unsure := 0, 0 // the rows the mixed labels took in this call, and those left unsure
	first := 0           // the group's first row
	for b := 0; b < n; b += g.block {
		e := min(b+g.block, n)
		if ms != nil {
			unsure += g.mixedRows(ms, x[b*ldx:], ldx, e-b, d, k, cnorm, labels[b:e], prod, minima, mul)
			seen += e - b
			if mixedGiveUp(seen, unsure) {
				ms = nil
			}
		} else {
			pb := minima
			if part != nil {
				pb = part[b:e]
			}
			if g.tile == nil || !kernels.NearestTile64F32(any(x[b*ldx:]).([]float32), ldx, e-b, d, g.tile.panel, g.tile.norm64, labels[b:e], any(pb).([]float32)) {
				gemm.MulRows(&g.panels, x[b*ldx:], ldx, e-b, prod, k, mul)
				nearestProducts(prod, k, e-b, k, cnorm, labels[b:e], pb)
			}
		}
		if accumulate && (e-first >= g.group || e == n) {
			var wg []T
			if w != nil {
				wg = w[first:e]
			}
			// The group is still in L2: add it center by center.
			addByCenter(x[first*ldx:], ldx, d, g.k, labels[first:e], wg, sums, wsum, s.order, s.ends)
			first = e
		}
	}
}

// mixedGiveUp reports whether a call of rows gives up the mixed labels after seen rows, unsure
// of them: when more than a quarter were unsure, over at least mixedJudgeRows rows (the first
// block, where blocks are larger). Judged block by block, as it was, the rule gave up on uniform
// rows at 10⁶×1024, k = 64, where a block is 12 rows and 4% of the rows are unsure: some block
// of a call had more than three, and then half the rows went through the float64 tile (one
// iteration on two threads, the fastest of four: 670 ms against 553 with this rule; paired
// rounds 0.72× the time).
func mixedGiveUp(seen, unsure int) bool {
	return seen >= mixedJudgeRows && 4*unsure > seen
}

// mixedJudgeRows is how many rows the give-up rule waits for (blocks of float64 rows are 12 to
// 504 rows long, calls at least 256): where 4% of the rows are unsure, more than 16 of 64 is
// over eight standard deviations away.
const mixedJudgeRows = 64

// mixedRows labels the n rows of x (float64) by g.mixed, and the rows it leaves to the float64
// tile by that tile (gathered, with prod, minima and mul as scratch); it returns how many rows
// the float32 products left unsure (for the give-up rule of rows).
func (g *gemmAssign[T]) mixedRows(ms *mixedScratch, x []T, ldx, n, d, k int, cnorm []T, labels []int32, prod, minima, mul []T) int {
	count, unsure := g.mixed.label(ms, any(x).([]float64), ldx, n, d, k, labels)
	if count > 0 {
		gemm.MulRows(&g.panels, any(ms.again).([]T), d, count, prod, k, mul)
		nearestProducts(prod, k, count, k, cnorm, ms.lab, minima)
		for i, r := range ms.unsure[:count] {
			labels[r] = ms.lab[i]
		}
	}
	return unsure
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

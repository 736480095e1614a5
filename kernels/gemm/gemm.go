package gemm

import (
	"math"
	"runtime"
	"sync"
)

// Triangle selects which part of C an update may touch.
type Triangle int

const (
	Full  Triangle = iota // every element
	Upper                 // C[i,j] with j ≥ i
	Lower                 // C[i,j] with j ≤ i
)

// inTri reports whether element (i, j) belongs to t.
func (t Triangle) in(i, j int) bool {
	switch t {
	case Upper:
		return j >= i
	case Lower:
		return j <= i
	}
	return true
}

// span returns the columns [lo, hi) of a tile row, among its first nb, that lie in the
// triangle, d being the row's index minus the tile's first column (a row i of C holds j ≥ i in
// Upper, j ≤ i in Lower).
func (t Triangle) span(d, nb int) (lo, hi int) {
	switch t {
	case Upper:
		return max(d, 0), nb
	case Lower:
		return 0, min(d+1, nb)
	}
	return 0, nb
}

// Gemm computes C = α·op(A)·op(B) + β·C for the m×n matrix C (row-major, stride ldc), where
// op(A) is m×k (A itself, stride lda, or Aᵀ when transA) and op(B) is k×n. threads ≤ 0 means
// GOMAXPROCS. See the package comment for the exact order of operations.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int,
	beta T, c []T, ldc int, threads int) {
	run(&problem[T]{m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: operand[T]{a, lda, transA}, b: operand[T]{b, ldb, transB}, c: c, ldc: ldc, tri: Full}, threads)
}

// Syrk computes C = α·AᵀA + β·C (trans: A is k×n) or C = α·A·Aᵀ + β·C (A is n×k) on the
// triangle tri of the n×n matrix C; the other triangle is neither read nor written.
func Syrk[T Float](tri Triangle, trans bool, n, k int, alpha T, a []T, lda int, beta T, c []T, ldc int, threads int) {
	run(&problem[T]{m: n, n: n, k: k, alpha: alpha, beta: beta,
		a: operand[T]{a, lda, trans}, b: operand[T]{a, lda, !trans}, c: c, ldc: ldc, tri: tri}, threads)
}

// GemmTri is Gemm restricted to the triangle tri of a square C (m = n): the building block of
// Dsyr2k (two triangular products).
func GemmTri[T Float](tri Triangle, transA, transB bool, n, k int, alpha T, a []T, lda int, b []T, ldb int,
	beta T, c []T, ldc int, threads int) {
	run(&problem[T]{m: n, n: n, k: k, alpha: alpha, beta: beta,
		a: operand[T]{a, lda, transA}, b: operand[T]{b, ldb, transB}, c: c, ldc: ldc, tri: tri}, threads)
}

type problem[T Float] struct {
	m, n, k     int
	alpha, beta T
	a, b        operand[T]
	c           []T
	ldc         int
	tri         Triangle
}

// minFlopsPerThread keeps small products on one goroutine: below it the start-up of a worker
// costs more than it saves.
const minFlopsPerThread = 1 << 21

// run splits C into one strip per thread (columns when n ≥ m, else rows; equal area of the
// touched triangle) and computes each strip independently.
func run[T Float](p *problem[T], threads int) {
	if p.m <= 0 || p.n <= 0 {
		return
	}
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	flops := 2 * float64(p.m) * float64(p.n) * float64(max(p.k, 1))
	if p.tri != Full {
		flops /= 2
	}
	threads = max(1, min(threads, int(flops/minFlopsPerThread)))
	kr := kernelFor[T]()
	byCols := p.n >= p.m
	extent, unit := p.m, kr.mr
	if byCols {
		extent, unit = p.n, kr.nr
	}
	threads = min(threads, (extent+unit-1)/unit)
	bounds := splitStrips(extent, unit, threads, p.tri, byCols)
	if len(bounds) == 2 {
		worker(kr, p, 0, p.m, 0, p.n)
		return
	}
	var wg sync.WaitGroup
	for s := 0; s+1 < len(bounds); s++ {
		lo, hi := bounds[s], bounds[s+1]
		if lo == hi {
			continue
		}
		r0, r1, c0, c1 := 0, p.m, lo, hi
		if !byCols {
			r0, r1, c0, c1 = lo, hi, 0, p.n
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker(kr, p, r0, r1, c0, c1)
		}()
	}
	wg.Wait()
}

// worker computes the strip rows [r0, r1) × columns [c0, c1) of C.
func worker[T Float](kr *kernel[T], p *problem[T], r0, r1, c0, c1 int) {
	scale(p, r0, r1, c0, c1)
	if p.alpha == 0 || p.k == 0 {
		return
	}
	ws := getWorkspace(kr, r1-r0, c1-c0, p.k)
	defer putWorkspace(ws)
	direct := readsAInPlace(kr, p, c1-c0)
	for jc := c0; jc < c1; jc += kr.nc {
		jn := min(kr.nc, c1-jc)
		for pc := 0; pc < p.k; pc += kr.kc {
			kb := min(kr.kc, p.k-pc)
			packB(ws.b, p.b, pc, kb, jc, jn, kr.nr)
			for ic := r0; ic < r1; ic += kr.mc {
				ib := min(kr.mc, r1-ic)
				if !blockTouches(p.tri, ic, ib, jc, jn) {
					continue
				}
				if !direct {
					packA(ws.a, p.a, ic, ib, pc, kb, kr.mr, p.alpha)
				} else if full := ib / kr.mr * kr.mr; full < ib {
					// Only the partial last panel is packed (zero-padded): reading its missing
					// rows in place would run past A.
					packA(ws.a, p.a, ic+full, ib-full, pc, kb, kr.mr, p.alpha)
				}
				macro(kr, p, ws, ic, ib, jc, jn, pc, kb, direct)
			}
		}
	}
}

// directMaxPanels is the widest strip (in micro-panels of B) for which A is read in place: a
// packed panel of A is used once per panel of B, so for thin products (a few test vectors
// against a tall data matrix) packing A costs as much as the arithmetic, while for wide ones its
// cost is spread and the packed layout's locality wins. Aᵀ read in place touches two cache
// lines per k step of a tile instead of a contiguous panel, so it pays off over fewer panels.
// (Single-thread CPU time, AVX-512 float64, k = 1024: A in place 30–43 GFLOP/s against 13–30
// packed for n = 16…64; Aᵀ in place 15 vs 13 at n = 32, 39 vs 34 at 48, 27 vs 31 at 64.)
const (
	directMaxPanels      = 4
	directMaxPanelsTrans = 3
)

// readsAInPlace reports whether the strip's full-height tiles read op(A) in place (fnS) instead
// of from a packed copy: the kernel has such a variant, α = 1 (packing is where α is applied)
// and the strip is thin. The arithmetic is the same either way, so the bits are too.
func readsAInPlace[T Float](kr *kernel[T], p *problem[T], cols int) bool {
	panels := directMaxPanels
	if p.a.trans {
		panels = directMaxPanelsTrans
	}
	return kr.fnS != nil && p.alpha == 1 && cols <= panels*kr.nr
}

// blockTouches reports whether rows [i0, i0+ib) × columns [j0, j0+jn) meet triangle t.
func blockTouches(t Triangle, i0, ib, j0, jn int) bool {
	switch t {
	case Upper:
		return j0+jn-1 >= i0
	case Lower:
		return j0 <= i0+ib-1
	}
	return true
}

// blockInside reports whether the whole block lies in triangle t.
func blockInside(t Triangle, i0, ib, j0, jn int) bool {
	switch t {
	case Upper:
		return j0 >= i0+ib-1
	case Lower:
		return j0+jn-1 <= i0
	}
	return true
}

// macro runs the micro-kernel over the packed ib×kb block of A and kb×jn block of B. Whole tiles
// inside C and inside the triangle are updated in place; edge and diagonal tiles go through a
// scratch tile that holds C's values, so the arithmetic is the same either way.
//
// direct: full-height tiles read op(A) in place (fnS); only the partial last panel was packed,
// into the first panel of ws.a.
func macro[T Float](kr *kernel[T], p *problem[T], ws *workspace[T], ic, ib, jc, jn, pc, kb int, direct bool) {
	mr, nr, ldc := kr.mr, kr.nr, p.ldc
	for jr := 0; jr < jn; jr += nr {
		nb := min(nr, jn-jr)
		bp := ws.b[(jr/nr)*nr*kb:]
		for ir := 0; ir < ib; ir += mr {
			mb := min(mr, ib-ir)
			i0, j0 := ic+ir, jc+jr
			if !blockTouches(p.tri, i0, mb, j0, nb) {
				continue
			}
			var ap []T
			var ars, acs int
			switch {
			case !direct:
				ap = ws.a[(ir/mr)*mr*kb:]
			case mb < mr:
				ap = ws.a
			default:
				ap, ars, acs = inPlace(p.a, i0, mr, pc, kb)
			}
			kern := func(c *T, ldc int) {
				if ars == 0 {
					kr.fn(kb, &ap[0], &bp[0], c, ldc)
				} else {
					kr.fnS(kb, &ap[0], &bp[0], c, ldc, ars, acs, addSums)
				}
			}
			if mb == mr && nb == nr && blockInside(p.tri, i0, mb, j0, nb) {
				_ = p.c[(i0+mr-1)*ldc+j0+nr-1] // the kernel writes up to here
				kern(&p.c[i0*ldc+j0], ldc)
				continue
			}
			// Each row's part inside C and the triangle is one contiguous run of columns.
			t := ws.tile
			clear(t)
			for i := 0; i < mb; i++ {
				lo, hi := p.tri.span(i0+i-j0, nb)
				if lo < hi {
					copy(t[i*nr+lo:i*nr+hi], p.c[(i0+i)*ldc+j0+lo:(i0+i)*ldc+j0+hi])
				}
			}
			kern(&t[0], nr)
			for i := 0; i < mb; i++ {
				lo, hi := p.tri.span(i0+i-j0, nb)
				if lo < hi {
					copy(p.c[(i0+i)*ldc+j0+lo:(i0+i)*ldc+j0+hi], t[i*nr+lo:i*nr+hi])
				}
			}
		}
	}
}

// inPlace returns op(A) from row i0, column p0 where it lies, with the element strides of its
// rows (ars) and columns (acs), after checking that the mr×kb tile is inside a.data.
func inPlace[T Float](a operand[T], i0, mr, p0, kb int) ([]T, int, int) {
	if a.trans {
		_ = a.data[(p0+kb-1)*a.ld+i0+mr-1]
		return a.data[p0*a.ld+i0:], 1, a.ld
	}
	_ = a.data[(i0+mr-1)*a.ld+p0+kb-1]
	return a.data[i0*a.ld+p0:], a.ld, 1
}

// scale applies C ← β·C on the strip (β = 0 writes zeros without reading C, as BLAS does).
func scale[T Float](p *problem[T], r0, r1, c0, c1 int) {
	if p.beta == 1 {
		return
	}
	for i := r0; i < r1; i++ {
		lo, hi := c0, c1
		switch p.tri {
		case Upper:
			lo = max(lo, i)
		case Lower:
			hi = min(hi, i+1)
		}
		if lo >= hi {
			continue
		}
		row := p.c[i*p.ldc+lo : i*p.ldc+hi]
		if p.beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= p.beta
		}
	}
}

// splitStrips cuts [0, extent) into at most parts strips whose boundaries are multiples of unit
// and whose share of the touched triangle is about equal.
func splitStrips(extent, unit, parts int, tri Triangle, byCols bool) []int {
	b := make([]int, 0, parts+1)
	b = append(b, 0)
	for s := 1; s < parts; s++ {
		f := float64(s) / float64(parts)
		// Fraction of the extent before which a fraction f of the triangle's area lies. Column
		// strips of the upper triangle (row strips of the lower) grow with the index.
		growing := (tri == Upper) == byCols
		switch {
		case tri == Full:
		case growing:
			f = math.Sqrt(f)
		default:
			f = 1 - math.Sqrt(1-f)
		}
		x := roundUp(int(f*float64(extent)), unit)
		b = append(b, min(max(x, b[len(b)-1]), extent))
	}
	return append(b, extent)
}

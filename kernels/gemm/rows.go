package gemm

import "unsafe"

// Row-block products against a fixed right-hand side: out = X·Bᵀ for a small block of rows X,
// where B (n×depth, row-major) is packed once into Panels and reused by every block. This is
// the shape of "every row against the same few dozen vectors" (distances to centers): B is
// packed once per pass over the data, each block of X is packed and multiplied while it is in
// cache, and the caller consumes the block's products before the next block evicts them.
//
// Unlike Gemm, the depth is never split into kc blocks: each out[i,j] is one sum over
// p = 0..depth−1 in index order starting from zero, which with the SIMD micro-kernels is a single
// chain of fused multiply-adds, and with the generic kernel the plain loop s += x·b. So the
// products are bit for bit those of a dot product with that order (kernels' SIMD tiles and
// generic loops use it), whatever the block, the tile shape or the thread count.

// Panels is B (n rows of depth values) packed into ⌈n/nr⌉ panels of depth×nr for the installed
// micro-kernel. The zero value is empty; Pack fills it, reusing its memory when large enough.
type Panels[T Float] struct {
	data     []T // 64-byte aligned view of raw
	raw      []T
	n, depth int
	nr       int
}

// Pack packs the n rows of b (depth values each, row stride ldb) into p.
func (p *Panels[T]) Pack(b []T, ldb, n, depth int) {
	kr := kernelFor[T]()
	if n < 0 || depth < 0 || (n > 1 && ldb < depth) || (n > 0 && (n-1)*ldb+depth > len(b)) {
		panic("gemm: B does not fit its slice")
	}
	p.n, p.depth, p.nr = n, depth, kr.nr
	need := roundUp(max(n, 1), kr.nr) * depth
	if cap(p.raw) < need+alignPad[T]() {
		p.raw = make([]T, need+alignPad[T]())
	}
	p.data = aligned(p.raw[:cap(p.raw)])[:need]
	if n == 0 || depth == 0 {
		return
	}
	packB(p.data, operand[T]{b, ldb, true}, 0, depth, 0, n, kr.nr)
}

// Rows reports n, the number of rows of B packed.
func (p *Panels[T]) Rows() int { return p.n }

// Depth reports the length of B's rows.
func (p *Panels[T]) Depth() int { return p.depth }

// MulRowsScratch is the length of the scratch MulRows needs for rows of depth values.
func MulRowsScratch[T Float](depth int) int {
	kr := kernelFor[T]()
	return kr.mr*stagedStride[T](depth) + kr.mr*depth + kr.mr*kr.nr + 3*alignPad[T]()
}

// BlockRows suggests how many rows of depth values to give MulRows at once so that the block's
// rows, their packed copy and their products with n rows of B stay in the core's private cache
// (a multiple of the micro-tile height, at least one tile, at most maxBlockRows).
func BlockRows[T Float](depth, n int) int {
	kr := kernelFor[T]()
	var z T
	perRow := (2*depth + n) * int(unsafe.Sizeof(z))
	rows := blockBytes / max(perRow, 1)
	rows = rows / kr.mr * kr.mr
	return min(max(rows, kr.mr), maxBlockRows/kr.mr*kr.mr)
}

const (
	blockBytes   = 192 << 10 // a block's working set: well inside L2, leaving room for the panels
	maxBlockRows = 512
)

// MulRows writes out[i·ldo + j] = Σ_p x[i·ldx + p]·b_j[p] (see above for the order) for the m
// rows of x and the n rows b_j packed in p; out is overwritten, never read. scratch has
// MulRowsScratch(depth) elements.
//
// Whole panels of mr rows are read in place by the micro-kernel (mr sequential streams; packing
// them would be a transpose of every row for nothing: each broadcast is one load either way);
// a last partial panel is read in place too when x holds rows after the m (their sums are
// dropped), else packed, zero-padded, for the packed kernel.
func MulRows[T Float](p *Panels[T], x []T, ldx, m int, out []T, ldo int, scratch []T) {
	mulRows(p, x, ldx, m, out, ldo, scratch, 0, 0)
}

// MulRowsAhead is MulRows (the same products, bit for bit) that, instead of the next panel of
// x's rows, asks the cache for the bytes [ahead, ahead+aheadLen) meanwhile, spread over its
// micro-kernel calls (two lines per four steps, as MulRows' linear prefetch) as far as they
// reach: for a caller whose x is a copy in cache of rows that came from memory (the mixed
// Lloyd pass narrows float64 rows to float32), the next rows still in memory. ahead is an
// address only (it may lie past the caller's slice: a prefetch never faults).
func MulRowsAhead[T Float](p *Panels[T], x []T, ldx, m int, out []T, ldo int, scratch []T, ahead uintptr, aheadLen int) {
	mulRows(p, x, ldx, m, out, ldo, scratch, ahead, aheadLen)
}

func mulRows[T Float](p *Panels[T], x []T, ldx, m int, out []T, ldo int, scratch []T, ahead uintptr, aheadLen int) {
	n, depth := p.n, p.depth
	if m <= 0 || n <= 0 {
		return
	}
	if (m > 1 && ldx < depth) || (m-1)*ldx+depth > len(x) {
		panic("gemm: X does not fit its slice")
	}
	if ldo < n || (m-1)*ldo+n > len(out) {
		panic("gemm: out does not fit its slice")
	}
	if depth == 0 {
		for i := 0; i < m; i++ {
			clear(out[i*ldo : i*ldo+n])
		}
		return
	}
	kr := kernelFor[T]()
	if kr.nr != p.nr {
		panic("gemm: panels packed for another kernel")
	}
	mr, nr := kr.mr, kr.nr
	if len(scratch) < MulRowsScratch[T](depth) {
		panic("gemm: MulRows scratch too small")
	}
	s := aligned(scratch)
	ap := s[:mr*depth]
	tile := aligned(s[len(ap):])[: mr*nr : mr*nr]
	stage := aligned(s[len(ap)+len(tile):])
	whole := m / mr * mr
	if whole < m && (whole+mr-1)*ldx+depth > len(x) {
		packA(ap, operand[T]{x, ldx, false}, whole, m-whole, 0, depth, mr, 1)
	}
	// Row panel by row panel, each against every panel of B: the mr rows come from memory once
	// (the kernels prefetch the next panel's rows meanwhile, see linearPrefetch) and are read
	// from L1 by the other calls; B's panels stream from L2. Long rows are taken rowsDepth
	// values at a time (the sums carried over in out, the chains unbroken), so that this piece
	// of the mr rows stays in L1 across the panels of B.
	kc := rowsDepth[T]()
	staged := whole > 0 && aliasesInL1[T](ldx, mr)
	if staged {
		mulStaged(kr, p, x, ldx, whole, out, ldo, stage, tile)
	}
	var z T
	sz := int(unsafe.Sizeof(z))
	linear := linearPrefetch[T](mr, nr, n, depth, ldx, kc) || ahead != 0
	perPanel := 0 // with ahead: the bytes a panel's calls prefetch
	step, double := linearBytes, 0
	if ahead != 0 {
		perPanel = linearReach(nr, n, depth, kc)
		// Rows that take longer to arrive than the calls of their panels ask for them at two
		// lines per four steps (the mixed labels at d = 1024: 8 KB of float64 a row ahead,
		// float32 products of 4 KB rows in the calls) ask at four.
		if panels := max(whole/mr, 1); perPanel*panels < aheadLen {
			perPanel, step, double = 2*perPanel, 2*linearBytes, prefetchDouble
		}
	}
	for ir := 0; ir < whole && !staged; ir += mr {
		// The next panel's rows, as an address only (prefetches never fault, and past the
		// last rows of x they are merely useless); pf is how far the calls have got in them.
		next, pf := uintptr(unsafe.Pointer(&x[0]))+uintptr((ir+mr)*ldx*sz), 0
		if ahead != 0 {
			next = ahead + uintptr(ir/mr*perPanel)
			if ir/mr*perPanel >= aheadLen {
				next = 0 // the range is covered: the other panels prefetch nothing more
			}
		}
		for pc := 0; pc < depth; pc += kc {
			kb := min(kc, depth-pc)
			mode := storeSums | prefetchNext
			if pc > 0 {
				mode = carrySums | prefetchNext
			}
			for jr := 0; jr < n; jr += nr {
				nb := min(nr, n-jr)
				bp := &p.data[jr*depth+pc*nr] // jr is a multiple of nr: no division per call
				mode := mode
				if linear && next != 0 {
					mode |= linearFrom(next+uintptr(pf), unsafe.Pointer(&x[ir*ldx+pc])) | double
					pf += kb / 4 * step
				}
				if nb == nr {
					_ = out[(ir+mr-1)*ldo+jr+nr-1] // the kernel writes up to here
					kr.fnS(kb, &x[ir*ldx+pc], bp, &out[ir*ldo+jr], ldo, ldx, 1, mode)
					continue
				}
				// Only the last panel of B can be partial: its sums wait in tile.
				kr.fnS(kb, &x[ir*ldx+pc], bp, &tile[0], nr, ldx, 1, mode)
				if pc+kb == depth {
					for i := 0; i < mr; i++ {
						copy(out[(ir+i)*ldo+jr:(ir+i)*ldo+jr+nb], tile[i*nr:i*nr+nb])
					}
				}
			}
		}
	}
	if whole < m && (whole+mr-1)*ldx+depth <= len(x) {
		// The last panel is partial but x goes on (the caller's later rows, read only): the
		// kernel reads a whole panel in place and only the first m − whole rows of its sums
		// are kept, instead of packing them (a tenth of the time in the tile's epilogue for
		// float32 at depth 256). Each row's sums depend on that row alone.
		for jr := 0; jr < n; jr += nr {
			nb := min(nr, n-jr)
			kr.fnS(depth, &x[whole*ldx], &p.data[jr*depth], &tile[0], nr, ldx, 1, storeSums)
			for i := 0; i < m-whole; i++ {
				copy(out[(whole+i)*ldo+jr:(whole+i)*ldo+jr+nb], tile[i*nr:i*nr+nb])
			}
		}
		return
	}
	if whole < m {
		for jr := 0; jr < n; jr += nr {
			nb := min(nr, n-jr)
			clear(tile)
			kr.fn(depth, &ap[0], &p.data[jr*depth], &tile[0], nr)
			for i := 0; i < m-whole; i++ {
				copy(out[(whole+i)*ldo+jr:(whole+i)*ldo+jr+nb], tile[i*nr:i*nr+nb])
			}
		}
	}
}

// InPlaceStride is the row stride, at least depth, at which a caller that lays rows of depth
// values out itself (a copy, a conversion) should put them for MulRows to read them in place:
// depth unless that stride aliases in L1 (aliasesInL1), else mulStaged's padded stride. Rows at
// an aliasing stride are copied once more into the stage, and the stage prefetches the next
// rows of x, not MulRowsAhead's range.
func InPlaceStride[T Float](depth int) int {
	if !aliasesInL1[T](depth, kernelFor[T]().mr) {
		return depth
	}
	return stagedStride[T](depth)
}

// linearPrefetch reports whether MulRows' calls on a panel of mr rows (of depth values, ldx
// apart) prefetch the next panel as one range of lines, linearBytes per four steps
// (prefetchLinear), rather than each of its mr rows at the current step: true when the calls
// of a panel, one per panel of B and piece of kc values, cover that range. The range spreads
// the misses evenly over all the calls of a panel, where the rows prefetched at each step
// issued them all in the first call, faster than the line fill buffers drain from L3
// (BenchmarkMulRowsStream's pass, float64 at depth 256 against 64 rows of B, one thread: 77
// against 67 GFLOP/cpu-s, medians of 40 interleaved passes over 65536 rows; PREFETCHT0 and
// PREFETCHT1 measured alike, and T1 leaves L1 to the rows in use and B's panels).
func linearPrefetch[T Float](mr, nr, n, depth, ldx, kc int) bool {
	var z T
	span := ((mr-1)*ldx + depth) * int(unsafe.Sizeof(z))
	return linearReach(nr, n, depth, kc) >= span
}

// linearReach is how many bytes the prefetchLinear calls of one panel of rows ask for: one call
// per panel of B (n rows, nr to a panel) and piece of kc values, linearBytes per four steps.
func linearReach(nr, n, depth, kc int) int {
	steps := 0
	for pc := 0; pc < depth; pc += kc {
		steps += min(kc, depth-pc) / 4
	}
	return (n + nr - 1) / nr * steps * linearBytes
}

// linearFrom is the mode bits that ask a kernel reading rows at a to prefetch the range from
// the address from on (prefetchLinear, the distance carried in the mode).
func linearFrom(from uintptr, a unsafe.Pointer) int {
	return prefetchLinear | (int(from)-int(uintptr(a)))<<prefetchShift
}

// linearBytes is how far the prefetchLinear kernels' range advances per four steps: two lines.
const linearBytes = 128

// mulStaged is MulRows' walk over the whole panels of x for a row stride that aliases in L1
// (aliasesInL1): each panel of mr rows is copied into stage at a stride that does not, and the
// kernel reads it there while prefetching the next panel's rows from x (prefetchAt), so the
// copy finds them in cache. Same kernel, same values, same order: the same bits as in place.
func mulStaged[T Float](kr *kernel[T], p *Panels[T], x []T, ldx, whole int, out []T, ldo int, stage, tile []T) {
	n, depth := p.n, p.depth
	mr, nr := kr.mr, kr.nr
	st := stagedStride[T](depth)
	stage = stage[:mr*st]
	var z T
	sz := int(unsafe.Sizeof(z))
	kc := rowsDepth[T]()
	// As in place (linearPrefetch), the next panel's rows are asked for as one range spread
	// over all the calls of a panel where the calls cover it, rather than each piece of them in
	// the first panel of B's call, faster than the line fill buffers drain.
	linear := linearPrefetch[T](mr, nr, n, depth, ldx, kc)
	for ir := 0; ir < whole; ir += mr {
		for i := 0; i < mr; i++ {
			copy(stage[i*st:i*st+depth], x[(ir+i)*ldx:(ir+i)*ldx+depth])
		}
		// The next panel's rows, as an address only (prefetches never fault, and past the
		// last rows of x they are merely useless); pf is how far the calls have got in them.
		next, pf := uintptr(unsafe.Pointer(&x[0]))+uintptr((ir+mr)*ldx*sz), 0
		for pc := 0; pc < depth; pc += kc {
			kb := min(kc, depth-pc)
			mode := storeSums | prefetchNext
			if pc > 0 {
				mode = carrySums | prefetchNext
			}
			for jr := 0; jr < n; jr += nr {
				nb := min(nr, n-jr)
				mode := mode
				if linear {
					mode |= linearFrom(next+uintptr(pf), unsafe.Pointer(&stage[pc]))
					pf += kb / 4 * linearBytes
				} else {
					delta := int(next+uintptr(pc*sz)) - int(uintptr(unsafe.Pointer(&stage[pc])))
					mode |= prefetchAt | delta<<prefetchShift
				}
				bp := &p.data[jr*depth+pc*nr] // jr is a multiple of nr: no division per call
				if nb == nr {
					_ = out[(ir+mr-1)*ldo+jr+nr-1] // the kernel writes up to here
					kr.fnS(kb, &stage[pc], bp, &out[ir*ldo+jr], ldo, st, 1, mode)
					continue
				}
				kr.fnS(kb, &stage[pc], bp, &tile[0], nr, st, 1, mode)
				if pc+kb == depth {
					for i := 0; i < mr; i++ {
						copy(out[(ir+i)*ldo+jr:(ir+i)*ldo+jr+nb], tile[i*nr:i*nr+nb])
					}
				}
			}
		}
	}
}

// aliasesInL1 reports whether mr rows ldx elements apart fall into so few sets of a 64-set L1
// (48 KB, 12 ways) that they, the next rows prefetched and B's lines cannot stay there together:
// at a row stride of a multiple of 4 KB (d = 1024, or 512 in float64) every row's element p is
// in the same set. Measured with BenchmarkMulRows in place: 54 against 75 GFLOP/cpu-s in cache
// for float64 at ldx = 1024 and 1032.
func aliasesInL1[T Float](ldx, mr int) bool {
	return mr/min(setsSpanned[T](ldx), mr) >= aliasRows
}

// setsSpanned is how many sets of L1 the same element of rows ldx elements apart falls into.
func setsSpanned[T Float](ldx int) int {
	var z T
	s := ldx * int(unsafe.Sizeof(z))
	if s%64 != 0 {
		return l1Sets // rows not a whole number of lines apart: treated as spread
	}
	q := (s / 64) % l1Sets
	if q == 0 {
		return 1 // every row's element p in the same set
	}
	return l1Sets / gcd(q, l1Sets)
}

// l1Sets is the number of sets of the L1 data cache (48 KB, 12 ways, 64-byte lines).
const l1Sets = 64

// aliasRows is how many of a panel's rows must share each set for it to be staged: 12 (all of
// AVX-512's rows in one set, at a stride of a multiple of 4 KB). At 6 (float64 at d = 256,
// rows 2 KB apart) staging cost more than it saved: 45 against 55 GFLOP/cpu-s a Lloyd
// iteration at k = 64 (BenchmarkAssignPaths); at 12 it gained 3–8% at d = 1024 (a loaded
// machine, medians of 5). A variable for the tests, which set it to 1 to stage every kernel.
var aliasRows = 8

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// stagedStride is the row stride of mulStaged's copy: depth rounded up to whole lines, plus
// lines until each of the mr rows has a set of its own.
func stagedStride[T Float](depth int) int {
	line := alignPad[T]()
	st := roundUp(max(depth, 1), line) + line
	for setsSpanned[T](st) < min(kernelFor[T]().mr, l1Sets) {
		st += line
	}
	return st
}

// rowsDepth is how many values of each row one kernel call takes: mr rows of it fill at most
// half of a 48 KB L1 (AVX-512: 512 float32, 256 float64), the other half left to B's panel
// streaming through. Fewer, longer pieces load and store the carried sums fewer times; the
// chains are unbroken either way (the same bits). On AMD Zen 5 (cluster's
// BenchmarkGemmIterationThreads, k = 64, GFLOP/s, medians of three rounds, a third of L1 → half
// → two thirds): 16384×1024 float32 one thread 160 / 162 / 165, two 303 / 326 / 300; float64
// 72 / 81 / 81, 150 / 153 / 153; 65536×256 float32 172 / 182 / 182, 346 / 353 / 359; float64
// 109 / 124 / 121, 215 / 226 / 238.
func rowsDepth[T Float]() int {
	var z T
	return max(16, (24<<10)/(kernelFor[T]().mr*int(unsafe.Sizeof(z)))/16*16)
}

// alignPad is how many elements aligned may skip.
func alignPad[T Float]() int {
	var z T
	return 64 / int(unsafe.Sizeof(z))
}

// aligned returns s from its first 64-byte aligned element on (the kernels' vector loads of
// packed panels then never split a cache line).
func aligned[T Float](s []T) []T {
	if len(s) == 0 {
		return s
	}
	var z T
	sz := int(unsafe.Sizeof(z))
	mis := int(uintptr(unsafe.Pointer(&s[0])) % 64)
	if mis == 0 {
		return s
	}
	return s[(64-mis)/sz:]
}

package main

import "fmt"

// maxGroup is how many centers one pass over a tile's columns serves: their broadcasts are
// shared by the RV row vectors, and RV·maxGroup accumulators stay in registers.
const maxGroup = 8

// genNearest prints nearest<T><ISA>(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T,
// k int, cnorm *T, best *T, lab *I), the tile of NearestF64/F32: for the nrows ≤ RV·Lanes rows
// starting at x (row r of vector v at byte offset v·vstep + idx[r]), it writes best[r] =
// min_j (cnorm[j] − 2·x_r·c_j) and lab[r] = the lowest j attaining it, for the k centers c
// (k×d, contiguous).
//
// Rows run along the vector lanes: a gather loads feature f of Lanes rows, and each center's
// feature f is broadcast, so a vector FMA advances Lanes dot products and no horizontal
// reduction is ever needed. Centers are taken in groups of up to maxGroup; after each group
// the running minimum is updated lane by lane with a strict comparison, centers in increasing
// order (on AVX-512 with short rows, a full group's minimum first, by treeArgmin), which keeps
// the lowest index on ties as the reference does. Rows past nrows are masked
// out of the gathers (AVX-512: K1/K2 built from nrows; AVX2: the mask vector), so nothing past
// the caller's rows is read; their lanes of best/lab are garbage the caller ignores.
func genNearest(a *asm, v variant) { genTile(a, v, tileKind{}) }

// genValues prints values<T><ISA>(x *T, idx *I, vstep int, mask *I, nrows, d int, c *T, k int,
// cnorm *T, out *T): the same tile as nearest, but instead of the minimum it stores every
// value, out[j·tileRows + r] = cnorm[j] − 2·x_r·c_j for j < k, computed by the very same
// instructions, so each value equals bit for bit the one nearest compares.
func genValues(a *asm, v variant) { genTile(a, v, tileKind{values: true}) }

// genPacked prints nearestPacked<T><ISA> and valuesPacked<T><ISA>: nearest and values with one
// more argument, pack *T (d·tileRows elements). The first group of centers gathers the tile's
// rows as the plain kernels do and also stores each gathered vector into pack, feature-major
// (feature f of row vector v at pack[f·tileRows + v·Lanes]); every later group loads them from
// there with plain vector loads instead of gathering again. For k > maxGroup the gathers were
// the bottleneck (2 per 16 FMAs on every group); the arithmetic, and so every result bit, is
// unchanged.
func genPacked(a *asm, v variant) {
	genTile(a, v, tileKind{packed: true})
	a.raw("\n")
	genTile(a, v, tileKind{values: true, packed: true})
}

// tileKind selects the output (minimum or every value) and whether the tile is packed; a
// prepacked tile finds pack already filled by the caller (see genTranspose) and never gathers.
type tileKind struct{ values, packed, prepacked bool }

func genTile(a *asm, v variant, kind tileKind) {
	values := kind.values
	base := "nearest"
	if values {
		base = "values"
	}
	if kind.prepacked {
		base += "Pre"
	}
	if kind.packed {
		base += "Packed"
	}
	name := fmt.Sprintf("%s%s%s", base, v.T, v.ISA)
	if !v.avx512() {
		tileConstsAVX2(a, v, name, !values)
	} else if !values {
		tileLocalIndices(a, v, name)
	}
	packArg := ""
	frame := 88
	if values {
		frame = 80
	}
	if kind.packed {
		packArg = fmt.Sprintf(", pack *%s", goT(v))
		frame += 8
	}
	if values {
		a.raw(fmt.Sprintf("// func %s(x *%s, idx *%s, vstep int, mask *%s, nrows, d int, c *%s, k int, cnorm *%s, out *%s%s)\nTEXT ·%s(SB), NOSPLIT, $0-%d\n",
			name, goT(v), v.idxT(), v.idxT(), goT(v), goT(v), goT(v), packArg, name, frame))
	} else {
		a.raw(fmt.Sprintf("// func %s(x *%s, idx *%s, vstep int, mask *%s, nrows, d int, c *%s, k int, cnorm *%s, best *%s, lab *%s%s)\nTEXT ·%s(SB), NOSPLIT, $0-%d\n",
			name, goT(v), v.idxT(), v.idxT(), goT(v), goT(v), goT(v), v.idxT(), packArg, name, frame))
	}
	r := newTileRegs(v)
	mov := "VMOVDQU"
	if v.avx512() {
		mov = "VMOVDQU64"
		if !v.f64() {
			mov = "VMOVDQU32"
		}
	}
	a.f("MOVQ idx+8(FP), AX")
	a.f("%s (AX), %s", mov, r.rowIdx)
	if v.avx512() {
		// K1: lanes of row vector 0 below nrows; K2: those of row vector 1.
		a.f("MOVQ nrows+32(FP), CX")
		a.f("MOVQ $1, AX")
		a.f("SHLQ CX, AX")
		a.f("DECQ AX")
		a.f("KMOVW AX, K1")
		a.f("SHRQ $%d, AX", v.Lanes)
		a.f("KMOVW AX, K2")
	} else {
		a.f("MOVQ mask+24(FP), AX")
		a.f("VMOVDQU (AX), %s", r.mask)
	}
	if v.avx512() {
		v.constBits(a, 0xC000000000000000, 0xC0000000, r.m2, "X"+r.m2[1:]) // −2
	} else {
		v.zero(a, r.idx) // center 0
	}
	v.constBits(a, 0x7FF0000000000000, 0x7F800000, r.best[0], "X"+r.best[0][1:]) // +Inf
	for i := 1; i < v.RV; i++ {
		a.f("VMOVAP%s %s, %s", v.P[1:], r.best[0], r.best[i])
	}
	if r.inf != "" && !values {
		a.f("VMOVAP%s %s, %s", v.P[1:], r.best[0], r.inf)
	}
	for i := 0; i < v.RV; i++ {
		v.zero(a, r.lab[i])
		v.zero(a, r.x[i]) // masked-out gather lanes keep old contents: start them finite
	}
	// Prefetch the next tile (the rows after this one; a prefetch never faults, so running past
	// the matrix is harmless). Gathers of rows that miss the cache stall on many lines at once,
	// which left the DRAM-bound shapes at a fraction of the bandwidth.
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ vstep+16(FP), CX")
	if v.RV > 1 {
		a.f("SHLQ $%d, CX", log2(v.RV))
	}
	a.f("LEAQ (SI)(CX*1), SI")
	spread := kind.packed && !kind.prepacked && v.avx512()
	if spread {
		// With two full groups or more and contiguous rows (the tile is then 128·d bytes: 2
		// lines per feature), the next tile is prefetched two lines per feature inside the
		// second group's loop instead (R14 walks it, R15 is its end). Sixty-four prefetches at
		// once held every line fill buffer while the first lines came from DRAM, and the
		// prefetches behind them, then the loop, waited: a quarter of the time at 10⁶×32.
		a.f("MOVQ SI, R14")
		a.f("LEAQ (SI)(CX*1), R15")
		a.f("CMPQ k+56(FP), $%d", 2*maxGroup)
		a.f("JLT %s_prefetch", name)
		a.f("MOVQ d+40(FP), AX")
		a.f("SHLQ $7, AX")
		a.f("CMPQ AX, CX")
		a.f("JEQ %s_spread", name)
	}
	a.label(name + "_prefetch")
	a.f("PREFETCHT0 (SI)")
	a.f("ADDQ $64, SI")
	a.f("SUBQ $64, CX")
	a.f("JGT %s_prefetch", name)
	if spread {
		a.f("MOVQ R15, R14") // prefetched already: the loop's prefetches stay on its last line
		a.f("SUBQ $128, R14")
		a.label(name + "_spread")
	}
	a.f("MOVQ c+48(FP), R10")
	a.f("MOVQ k+56(FP), R11")
	a.f("MOVQ cnorm+64(FP), R12")
	a.f("MOVQ d+40(FP), R13")
	a.f("SHLQ $%d, R13", log2(v.Size))
	a.f("LEAQ (R13)(R13*2), R8")
	a.f("XORQ BX, BX")
	if kind.packed && !kind.prepacked {
		// The first group gathers and fills pack; with k ≤ maxGroup there is no other group.
		a.f("CMPQ R11, $%d", maxGroup)
		a.f("JLT %s_rest", name)
		genGroup(a, v, r, name, maxGroup, values, gatherStore, frame-8)
	}
	mode := gather
	if kind.packed {
		mode = load
	}
	a.label(name + "_groups")
	a.f("CMPQ R11, $%d", maxGroup)
	a.f("JLT %s_rest", name)
	if spread {
		genGroup(a, v, r, name, maxGroup, values, loadPrefetch, frame-8)
	} else {
		genGroup(a, v, r, name, maxGroup, values, mode, frame-8)
	}
	a.f("JMP %s_groups", name)
	a.label(name + "_rest")
	for g := maxGroup - 1; g >= 1; g-- {
		a.f("CMPQ R11, $%d", g)
		a.f("JEQ %s_g%d", name, g)
	}
	a.f("JMP %s_store", name)
	for g := maxGroup - 1; g >= 1; g-- {
		a.label(fmt.Sprintf("%s_g%d", name, g))
		if kind.prepacked {
			genGroup(a, v, r, name, g, values, load, frame-8)
			a.f("JMP %s_store", name)
			continue
		}
		if kind.packed {
			// Reached after a full group (pack filled) or as the only group (pack empty).
			a.f("CMPQ BX, $0")
			a.f("JEQ %s_g%d_first", name, g)
			genGroup(a, v, r, name, g, values, load, frame-8)
			a.f("JMP %s_store", name)
			a.label(fmt.Sprintf("%s_g%d_first", name, g))
		}
		genGroup(a, v, r, name, g, values, gather, frame-8)
		a.f("JMP %s_store", name)
	}
	a.label(name + "_store")
	if values {
		a.f("VZEROUPPER")
		a.f("RET")
		return
	}
	a.f("MOVQ best+72(FP), AX")
	a.f("MOVQ lab+80(FP), CX")
	for i := 0; i < v.RV; i++ {
		off := i * v.Lanes * v.Size
		a.f("VMOVU%s %s, %d(AX)", v.P, r.best[i], off)
		a.f("%s %s, %d(CX)", mov, r.lab[i], off)
	}
	a.f("VZEROUPPER")
	a.f("RET")
}

// tileRegs names the vector registers of the tile kernel.
type tileRegs struct {
	acc    [][]string // acc[v][g]: row vector v against center g of the group
	x      []string   // gathered feature of each row vector
	best   []string   // running minimum per row vector
	lab    []string   // its center index
	bc     string     // broadcast scratch
	rowIdx string     // byte offsets of the rows of a row vector
	mask   string     // AVX2: lanes to gather; AVX-512 uses K1/K2
	tmp    string     // AVX2: gather mask copy and comparison result
	m2     string     // AVX-512: −2 in every lane (AVX2 reads it from tileM2)
	idx    string     // AVX2: the current center's index in every lane (AVX-512 broadcasts it)
	inf    string     // AVX-512: +Inf in every lane (treeArgmin's stand-in for NaN)
	local  []string   // AVX-512: treeArgmin's indices within the group, one per pair of centers
}

// tileM2 and tileOne name a tile function's constants on AVX2: −2 in every lane, for the
// values' FMA, and 1 in every integer lane of the labels' width, which moves r.idx on one center:
// with −2 read from memory, a register holds the running center index, one instruction a center
// where broadcasting it from a general register took three (a twentieth of the packed tile's
// instructions at d = 10, k = 64, more at d = 3).
func tileM2(name string) string  { return name + "M2<>" }
func tileOne(name string) string { return name + "One<>" }

// tileConstsAVX2 prints tileM2 for the tile function name, and tileOne if it labels (a values
// tile has no index to move on).
func tileConstsAVX2(a *asm, v variant, name string, labels bool) {
	bits := "$0xC000000000000000"
	if !v.f64() {
		bits = "$0xC0000000"
	}
	for i := 0; i < 32/v.Size; i++ {
		a.raw(fmt.Sprintf("DATA %s+%d(SB)/%d, %s\n", tileM2(name), i*v.Size, v.Size, bits))
	}
	a.raw(fmt.Sprintf("GLOBL %s(SB), RODATA|NOPTR, $32\n", tileM2(name)))
	if labels {
		for i := 0; i < 32/v.Size; i++ {
			a.raw(fmt.Sprintf("DATA %s+%d(SB)/%d, $1\n", tileOne(name), i*v.Size, v.Size))
		}
		a.raw(fmt.Sprintf("GLOBL %s(SB), RODATA|NOPTR, $32\n", tileOne(name)))
	}
	a.raw("\n")
}

func newTileRegs(v variant) tileRegs {
	var r tileRegs
	n := 0
	next := func() string { n++; return v.reg(n - 1) }
	r.acc = make([][]string, v.RV)
	for i := range r.acc {
		r.acc[i] = make([]string, maxGroup)
	}
	for g := 0; g < maxGroup; g++ {
		for i := 0; i < v.RV; i++ {
			r.acc[i][g] = next()
		}
	}
	for i := 0; i < v.RV; i++ {
		r.x = append(r.x, next())
	}
	r.bc = next()
	for i := 0; i < v.RV; i++ {
		r.best = append(r.best, next())
		r.lab = append(r.lab, next())
	}
	r.rowIdx = next()
	if !v.avx512() {
		r.mask = next()
		r.tmp = next()
	}
	if v.avx512() {
		r.m2 = next()
		r.inf = next()
		for i := 0; i < maxGroup/2; i++ {
			r.local = append(r.local, next())
		}
	} else {
		r.idx = next()
	}
	lim := 16
	if v.avx512() {
		lim = 32
	}
	if n > lim {
		panic(fmt.Sprintf("%s%s: tile needs %d vector registers", v.T, v.ISA, n))
	}
	return r
}

// centerAddr is where center g of the current group keeps feature f: DX walks centers 0..3 of
// the group and R9 centers 4..7; R13 = d·Size, R8 = 3·R13.
func centerAddr(g int) string {
	base := "DX"
	if g >= 4 {
		base = "R9"
	}
	switch g % 4 {
	case 0:
		return "(" + base + ")"
	case 1:
		return "(" + base + ")(R13*1)"
	case 2:
		return "(" + base + ")(R13*2)"
	}
	return "(" + base + ")(R8*1)"
}

// genGroup prints the work of one group of G centers starting at center BX (data at R10,
// norms at R12), then moves BX, R10, R11 and R12 past it.
// groupMode is how a group of centers gets the tile's features.
type groupMode int

const (
	gather       groupMode = iota // gather from the rows
	gatherStore                   // gather, and store into pack
	load                          // load from pack
	loadPrefetch                  // load from pack, and prefetch the next tile (R14 up to R15)
)

func genGroup(a *asm, v variant, r tileRegs, name string, G int, values bool, mode groupMode, packOff int) {
	lbl := fmt.Sprintf("%s_%d", name, G)
	if mode != gather {
		lbl = fmt.Sprintf("%s_%d_%d", name, G, mode)
	}
	for g := 0; g < G; g++ {
		for i := 0; i < v.RV; i++ {
			v.zero(a, r.acc[i][g])
		}
	}
	tile := v.RV * v.Lanes * v.Size
	if mode == load || mode == loadPrefetch {
		a.f("MOVQ pack+%d(FP), SI", packOff)
	} else {
		a.f("MOVQ x+0(FP), SI")
		if v.RV > 1 {
			a.f("MOVQ vstep+16(FP), DI")
			a.f("ADDQ SI, DI")
		}
		if mode == gatherStore {
			a.f("MOVQ pack+%d(FP), AX", packOff)
		}
	}
	a.f("MOVQ R10, DX")
	if G > 4 {
		a.f("LEAQ (DX)(R13*4), R9")
	}
	a.f("MOVQ d+40(FP), CX")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_epi", lbl)
	a.label(lbl + "_loop")
	gather := "VGATHERQ" + v.P
	if !v.f64() {
		gather = "VGATHERD" + v.P
	}
	bases := []string{"SI", "DI"}
	for i := 0; i < v.RV; i++ {
		switch {
		case mode == load || mode == loadPrefetch:
			a.f("VMOVU%s %d(SI), %s", v.P, i*v.Lanes*v.Size, r.x[i])
		case v.avx512():
			a.f("KMOVW K%d, K%d", 1+i, 3+i)
			a.f("%s (%s)(%s*1), K%d, %s", gather, bases[i], r.rowIdx, 3+i, r.x[i])
		default:
			a.f("VMOVDQU %s, %s", r.mask, r.tmp)
			a.f("%s %s, (%s)(%s*1), %s", gather, r.tmp, bases[i], r.rowIdx, r.x[i])
		}
		if mode == gatherStore {
			a.f("VMOVU%s %s, %d(AX)", v.P, r.x[i], i*v.Lanes*v.Size)
		}
	}
	for g := 0; g < G; g++ {
		a.f("VBROADCAST%s %s, %s", v.S, centerAddr(g), r.bc)
		for i := 0; i < v.RV; i++ {
			a.f("VFMADD231%s %s, %s, %s", v.P, r.bc, r.x[i], r.acc[i][g])
		}
	}
	if mode == loadPrefetch {
		// Two lines a feature while R14 is below R15, then the last ones again (L1 hits).
		a.f("PREFETCHT0 (R14)")
		a.f("PREFETCHT0 64(R14)")
		a.f("LEAQ 128(R14), AX")
		a.f("CMPQ AX, R15")
		a.f("CMOVQLT AX, R14")
	}
	switch mode {
	case load, loadPrefetch:
		a.f("ADDQ $%d, SI", tile)
	default:
		for i := 0; i < v.RV; i++ {
			a.f("ADDQ $%d, %s", v.Size, bases[i])
		}
		if mode == gatherStore {
			a.f("ADDQ $%d, AX", tile)
		}
	}
	a.f("ADDQ $%d, DX", v.Size)
	if G > 4 {
		a.f("ADDQ $%d, R9", v.Size)
	}
	a.f("DECQ CX")
	a.f("JNE %s_loop", lbl)
	a.label(lbl + "_epi")
	if values {
		// CX = out + BX·tileRows·Size: this group's first center's values.
		a.f("MOVQ BX, CX")
		a.f("SHLQ $%d, CX", log2(tile))
		a.f("ADDQ out+72(FP), CX")
	}
	if v.avx512() && !values && G == maxGroup {
		// The tree pays where the rows are short (see treeArgmin), one center after another
		// where the dot products give the chain time enough.
		a.f("CMPQ d+40(FP), $%d", treeMaxD)
		a.f("JGT %s_seq", lbl)
		treeArgmin(a, v, r, name)
		a.f("JMP %s_end", lbl)
		a.label(lbl + "_seq")
		groupEpilogue(a, v, r, name, G, values)
		a.label(lbl + "_end")
	} else {
		groupEpilogue(a, v, r, name, G, values)
	}
	groupEnd(a, v, G)
}

// groupEpilogue prints the values of a group of G centers (stored, for a values tile) and their
// comparisons with the running minimum, one center after another.
func groupEpilogue(a *asm, v variant, r tileRegs, name string, G int, values bool) {
	for g := 0; g < G; g++ {
		centerValues(a, v, r, name, g)
		if values {
			for i := 0; i < v.RV; i++ {
				a.f("VMOVU%s %s, %d(CX)", v.P, r.acc[i][g], (g*v.RV+i)*v.Lanes*v.Size)
			}
			continue
		}
		if v.avx512() {
			a.f("LEAQ %d(BX), AX", g)
			v.bcastGPR(a, "AX", r.bc, "X"+r.bc[1:])
		}
		for i := 0; i < v.RV; i++ {
			if v.avx512() {
				a.f("VCMP%s $1, %s, %s, K5", v.P, r.best[i], r.acc[i][g])
				a.f("VMOVAP%s %s, K5, %s", v.P[1:], r.acc[i][g], r.best[i])
				if v.f64() {
					a.f("VMOVDQA64 %s, K5, %s", r.bc, r.lab[i])
				} else {
					a.f("VMOVDQA32 %s, K5, %s", r.bc, r.lab[i])
				}
			} else {
				a.f("VCMP%s $1, %s, %s, %s", v.P, r.best[i], r.acc[i][g], r.tmp)
				a.f("VBLENDV%s %s, %s, %s, %s", v.P, r.tmp, r.acc[i][g], r.best[i], r.best[i])
				a.f("VBLENDV%s %s, %s, %s, %s", v.P, r.tmp, r.idx, r.lab[i], r.lab[i])
			}
		}
		if !v.avx512() {
			add := "VPADDQ"
			if !v.f64() {
				add = "VPADDD"
			}
			a.f("%s %s(SB), %s, %s", add, tileOne(name), r.idx, r.idx)
		}
	}
}

// centerValues turns the dot products of center g of the group (norms at R12) into its values
// cnorm − 2·dot, in one rounding as the reference: 2·dot is exact.
func centerValues(a *asm, v variant, r tileRegs, name string, g int) {
	a.f("VBROADCAST%s %d(R12), %s", v.S, g*v.Size, r.bc)
	for i := 0; i < v.RV; i++ {
		if v.avx512() {
			a.f("VFMADD213%s %s, %s, %s", v.P, r.bc, r.m2, r.acc[i][g])
		} else { // acc·(−2) + cnorm: the same product, the same one rounding
			a.f("VFMADD132%s %s(SB), %s, %s", v.P, tileM2(name), r.bc, r.acc[i][g])
		}
	}
}

// groupEnd moves BX, R11, R12 and R10 past a group of G centers.
func groupEnd(a *asm, v variant, G int) {
	a.f("ADDQ $%d, BX", G)
	a.f("SUBQ $%d, R11", G)
	a.f("ADDQ $%d, R12", G*v.Size)
	if G == maxGroup {
		a.f("LEAQ (R10)(R13*8), R10")
	} else {
		a.f("MOVQ R13, AX")
		a.f("IMULQ $%d, AX", G)
		a.f("ADDQ AX, R10")
	}
}

// treeMaxD is the most features for which a full group's epilogue is treeArgmin.
const treeMaxD = 4

// tileLocalIndex names a tile function's table of the indices 0…maxGroup−1 in the labels'
// width, which treeArgmin broadcasts from.
func tileLocalIndex(name string) string { return name + "Local<>" }

// tileLocalIndices prints tileLocalIndex for the AVX-512 tile function name.
func tileLocalIndices(a *asm, v variant, name string) {
	for j := 0; j < maxGroup; j++ {
		a.raw(fmt.Sprintf("DATA %s+%d(SB)/%d, $%d\n", tileLocalIndex(name), j*v.Size, v.Size, j))
	}
	a.raw(fmt.Sprintf("GLOBL %s(SB), RODATA|NOPTR, $%d\n\n", tileLocalIndex(name), maxGroup*v.Size))
}

// treeArgmin is the AVX-512 epilogue of a full group of maxGroup centers: the values
// cnorm_j − 2·dot as the sequential epilogue computes them, but the group's first minimum found
// by a tree (pairs, pairs of pairs, …) before one comparison with the running minimum. Run one
// center after another, the comparisons and masked moves made a chain through the running
// minimum of two steps a center, 64 centers long per tile at k = 64, and at d = 3 the chain, not
// the arithmetic, set the pace; the tree's levels of different groups overlap, and the chain
// through the running minimum is one step a group.
//
// The same labels bit for bit: a pair keeps its right-hand value only when it is strictly less,
// so each level keeps the first minimum of its span, and the group's first minimum replaces the
// running one only when strictly less, as every center did. A NaN, which never wins a strict
// comparison in the sequential epilogue, is first replaced by +Inf (VMINP with +Inf returns +Inf
// for a NaN, the value otherwise), which never wins one either and so changes no choice; and
// neither ever reaches best, whose values are the winners' own.
//
// Measured (cluster, one Lloyd iteration at 65536 rows, k = 64, one thread, five alternating
// rounds, medians of the paired ratios, AMD Zen 5): d = 3 0.87 (float32) and 0.83 (float64) of
// the sequential epilogue's time, but d = 10 1.04 and 1.08: the tree's extra instructions (the
// NaN stand-ins, the index table's loads) cost more than the chain. treeMaxD is the widest row
// it takes.
func treeArgmin(a *asm, v variant, r tileRegs, name string) {
	mov, bcast, add := "VMOVDQA32", "VPBROADCASTD", "VPADDD"
	if v.f64() {
		mov, bcast, add = "VMOVDQA64", "VPBROADCASTQ", "VPADDQ"
	}
	for g := 0; g < maxGroup; g++ {
		centerValues(a, v, r, name, g)
		for i := 0; i < v.RV; i++ {
			a.f("VMIN%s %s, %s, %s", v.P, r.inf, r.acc[i][g], r.acc[i][g])
		}
	}
	v.bcastGPR(a, "BX", r.bc, "X"+r.bc[1:]) // the group's first center
	table := tileLocalIndex(name)
	for i := 0; i < v.RV; i++ {
		acc := r.acc[i]
		// Level 1: center 2p+1 against 2p; local[p] its index within the group.
		for p := 0; p < maxGroup/2; p++ {
			a.f("VCMP%s $1, %s, %s, K5", v.P, acc[2*p], acc[2*p+1])
			a.f("VMOVAP%s %s, K5, %s", v.P[1:], acc[2*p+1], acc[2*p])
			a.f("%s %s+%d(SB), %s", bcast, table, 2*p*v.Size, r.local[p])
			a.f("%s %s+%d(SB), K5, %s", bcast, table, (2*p+1)*v.Size, r.local[p])
		}
		// Levels 2 and 3: spans of 2 against 2 (pairs 1 into 0, 3 into 2), then 4 against 4.
		for _, m := range [][2]int{{0, 1}, {2, 3}, {0, 2}} {
			lo, hi := m[0], m[1]
			a.f("VCMP%s $1, %s, %s, K5", v.P, acc[2*lo], acc[2*hi])
			a.f("VMOVAP%s %s, K5, %s", v.P[1:], acc[2*hi], acc[2*lo])
			a.f("%s %s, K5, %s", mov, r.local[hi], r.local[lo])
		}
		// The group's first minimum against the running one.
		a.f("%s %s, %s, %s", add, r.bc, r.local[0], r.local[0])
		a.f("VCMP%s $1, %s, %s, K5", v.P, r.best[i], acc[0])
		a.f("VMOVAP%s %s, K5, %s", v.P[1:], acc[0], r.best[i])
		a.f("%s %s, K5, %s", mov, r.local[0], r.lab[i])
	}
}

func log2(n int) int {
	s := 0
	for n > 1 {
		n >>= 1
		s++
	}
	return s
}

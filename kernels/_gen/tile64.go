package main

import (
	"fmt"
	"strings"
)

// genNearestTile64 prints nearestTile64F32AVX512(d int, a *float32, lda, n int, panel, cnorm
// *float32, labels *int32, minima *float32): for each of the n rows of a (row i at a + i·lda
// elements, d values), the products with 64 centers packed p-major in panel (panel[p·64 + j] is
// feature p of center j), each one FMA chain in feature order from zero, then the value cnorm[j]
// − 2·product in one rounding and its argmin: label the lowest j holding the least value
// (leastLane's rule, NaN values passed over, label 0 when the first value is NaN), minimum the
// value at the label. These are gemm.MulRows' products and NearestProducts' labels and minima,
// bit for bit; centers past k are packed as zeros with a norm of +Inf and never win.
//
// Why a tile of its own: on the GEMM path a block's products are stored (64 per row) and read
// back by NearestProducts, and the micro-kernel's 12×32 tile runs only d steps per call at
// d = 32 before storing its 24 vectors. Here six rows × 64 centers (24 accumulators, 4 vector
// loads of the panel and 6 broadcasts per step: 24 FMAs against 10 loads) take their argmin
// straight from the registers. Only AVX-512 float32 has the registers for it: float64 would need
// 8 vectors per row, AVX2 float32 as many of 16 registers.
func genNearestTile64(a *asm, v variant) {
	if !v.avx512() || v.f64() {
		return
	}
	genTile64(a, v, "nearestTile64F32AVX512", false)
	a.raw("\n")
	genTile64(a, v, "leastTwoTile64F32AVX512", true)
}

// genTile64 prints one tile: nearestTile64's, or with second its least-two variant (Hamerly's
// fresh bounds), which takes one more argument, second *float32, and writes there the least
// value of the other centers: the least with the label's lane left out, NaN values passed over
// (what NearestProducts gives once the label's product is made −∞, as cluster's settleLeastTwo
// did; a zero may differ in sign, which no bound formed from it can tell).
func genTile64(a *asm, v variant, name string, second bool) {
	args, sig := 64, ""
	if second {
		args, sig = 72, ", second *float32"
	}
	a.raw(fmt.Sprintf("// func %s(d int, a *float32, lda, n int, panel, cnorm *float32, labels *int32, minima *float32%s)\n", name, sig))
	// 264 bytes of frame: a row's 64 values, read back at the label for the minimum, then a
	// float32 zero and the second value's start (leastOthers).
	a.raw(fmt.Sprintf("TEXT ·%s(SB), NOSPLIT, $264-%d\n", name, args))
	// The panel's vectors in Z0–Z3, the broadcasts in Z4–Z5, the accumulators in Z8–Z31; for
	// the labels, −2 in Z6, then two rows' scratch in Z0–Z3 and Z4–Z7 (see argminPair).
	acc := func(i, g int) string { return v.reg(8 + i*4 + g) }
	bv := func(g int) string { return v.reg(g) }
	m2 := "Z6"
	a.f("MOVQ lda+16(FP), R8")
	a.f("SHLQ $2, R8")
	a.f("MOVQ n+24(FP), DX")
	a.f("MOVQ cnorm+40(FP), R10")
	a.f("XORQ BX, BX") // the tile's first row
	a.f("MOVL $0, %d(SP)", frameZero)
	// The second value's start: cnorm[0] + ∞ (see leastOthers).
	a.f("MOVL $0x7F800000, AX")
	a.f("VMOVD AX, X0")
	a.f("VADDSS (R10), X0, X0")
	a.f("VMOVSS X0, %d(SP)", frameStart)
	var outOfLine []string // the rows' rare paths, printed after RET
	tile := func(mr int) {
		tag := fmt.Sprintf("%s_%d", name, mr)
		a.label(tag + "_tile")
		a.f("MOVQ BX, SI")
		a.f("IMULQ R8, SI")
		a.f("ADDQ a+8(FP), SI")
		if mr > 3 {
			a.f("LEAQ (SI)(R8*2), R11")
			a.f("ADDQ R8, R11")
			// R9: the next tile's rows, asked for two lines per four steps (prefetch below).
			a.f("LEAQ (R11)(R8*2), R9")
			a.f("ADDQ R8, R9")
		}
		a.f("MOVQ panel+32(FP), DI")
		a.f("MOVQ d+0(FP), CX")
		for i := 0; i < mr*4; i++ {
			v.zero(a, v.reg(8+i))
		}
		addr := func(i, u int) string {
			base := "SI"
			if i >= 3 {
				base, i = "R11", i-3
			}
			switch i {
			case 0:
				return fmt.Sprintf("%d(%s)", 4*u, base)
			case 1:
				return fmt.Sprintf("%d(%s)(R8*1)", 4*u, base)
			}
			return fmt.Sprintf("%d(%s)(R8*2)", 4*u, base)
		}
		step := func(u int) {
			for g := 0; g < 4; g++ {
				a.f("VMOVUPS %d(DI), %s", u*256+g*64, bv(g))
			}
			for i := 0; i < mr; i++ {
				t := v.reg(4 + i%2)
				a.f("VBROADCASTSS %s, %s", addr(i, u), t)
				for g := 0; g < 4; g++ {
					a.f("VFMADD231PS %s, %s, %s", bv(g), t, acc(i, g))
				}
			}
		}
		advance := func(steps int) {
			a.f("ADDQ $%d, SI", 4*steps)
			if mr > 3 {
				a.f("ADDQ $%d, R11", 4*steps)
			}
			a.f("ADDQ $%d, DI", 256*steps)
		}
		a.f("CMPQ CX, $4")
		a.f("JLT %s_one", tag)
		a.label(tag + "_four")
		if mr > 3 {
			// The next six rows, lines in address order from their first: 128 bytes per
			// four steps reach 32·d bytes by the end, the six rows' 24·d (more where the
			// stride passes d), for rows shorter than tile64PrefetchBelow. Without it, rows
			// from memory (65536×256 float32) ran at 80–87 GFLOP/s against 104–139 in
			// cache: six interleaved streams in a page are more than the hardware
			// prefetcher follows.
			a.f("CMPQ R8, $%d", tile64PrefetchBelow)
			a.f("JAE %s_fetched", tag)
			a.f("PREFETCHT0 (R9)")
			a.f("PREFETCHT0 64(R9)")
			a.f("ADDQ $128, R9")
			a.label(tag + "_fetched")
		}
		for u := 0; u < 4; u++ {
			step(u)
		}
		advance(4)
		a.f("SUBQ $4, CX")
		a.f("CMPQ CX, $4")
		a.f("JGE %s_four", tag)
		a.label(tag + "_one")
		a.f("TESTQ CX, CX")
		a.f("JEQ %s_argmin", tag)
		step(0)
		advance(1)
		a.f("DECQ CX")
		a.f("JMP %s_one", tag)
		a.label(tag + "_argmin")
		v.constBits(a, 0, 0xC0000000, m2, "X6") // −2
		for i := 0; i < mr; i++ {
			for g := 0; g < 4; g++ {
				a.f("VFMADD213PS %d(R10), %s, %s", g*64, m2, acc(i, g)) // cnorm − 2·product, one rounding
			}
		}
		// Two rows at a time, their instructions interleaved: each row's argmin is a chain of
		// dependent reductions (about sixty cycles of latency), which one row alone left
		// mostly waiting.
		for i := 0; i < mr; i += 2 {
			rows := []rowArgmin{{i: i, vals: accRow(acc, i), vec: 0, gMask: "R12", gLabel: "R13", gTmp: "AX", k: 1}}
			if i+1 < mr {
				rows = append(rows, rowArgmin{i: i + 1, vals: accRow(acc, i+1), vec: 4, gMask: "R9", gLabel: "R11", gTmp: "DI", k: 3})
			}
			var streams [][]string
			for _, r := range rows {
				r.tag = fmt.Sprintf("%s_row%d", tag, r.i)
				streams = append(streams, r.lines(v, second, &outOfLine))
			}
			zipLines(a, streams)
		}
		a.f("ADDQ $%d, BX", mr)
		a.f("SUBQ $%d, DX", mr)
	}
	a.f("CMPQ DX, $6")
	a.f("JLT %s_1_rows", name)
	tile(6)
	a.f("CMPQ DX, $6")
	a.f("JGE %s_6_tile", name)
	a.label(name + "_1_rows")
	a.f("TESTQ DX, DX")
	a.f("JEQ %s_done", name)
	tile(1)
	a.f("JMP %s_1_rows", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
	for _, l := range outOfLine {
		a.raw(l + "\n")
	}
}

// The frame's slots past a row's 64 values.
const (
	frameZero  = 256 // float32 0
	frameStart = 260 // cnorm[0] + ∞, broadcast as the second value's start
)

func accRow(acc func(i, g int) string, i int) []string {
	return []string{acc(i, 0), acc(i, 1), acc(i, 2), acc(i, 3)}
}

// rowArgmin is one row of the tile's labels: its values (cnorm − 2·product, formed already) in
// vals, Z<vec>…Z<vec+3> as scratch (m, mb, and hmin's lo and all, which must be below Z16),
// general registers for the mask of the lanes holding the least value, the label and
// addresses, and mask registers K<k> and K<k+1>.
type rowArgmin struct {
	i                   int // the row in the tile (BX: the tile's first row)
	tag                 string
	vals                []string
	vec                 int
	gMask, gLabel, gTmp string
	k                   int
}

// lines returns the row's instructions, one a line, without branches but to the rare path
// (appended to out, which jumps back): leastLane's least value and lowest lane holding it (no
// lane: label 0, by TZCNT's 64 masked to 0), the label and minimum stored (the least value is
// the value at the label unless it is a zero or NaN: then it is read back from the row's lanes,
// stored in the frame), and with second the least value of the other lanes.
func (r rowArgmin) lines(v variant, second bool, out *[]string) []string {
	z := func(j int) string { return fmt.Sprintf("Z%d", r.vec+j) }
	x := func(j int) string { return fmt.Sprintf("X%d", r.vec+j) }
	m, mb, lo, all := z(0), z(1), z(2), z(3)
	k1, k2 := fmt.Sprintf("K%d", r.k), fmt.Sprintf("K%d", r.k+1)
	b := &asm{}
	b.f("VBROADCASTSS X%s, %s", r.vals[0][1:], m)
	b.f("VMOVAPS %s, %s", m, mb)
	for g, val := range r.vals {
		acc := m
		if g%2 == 1 {
			acc = mb
		}
		b.f("VMINPS %s, %s, %s", acc, val, acc)
	}
	b.f("VMINPS %s, %s, %s", mb, m, m)
	hmin(b, v, m, lo, all)
	for g, val := range r.vals {
		b.f("VCMPPS $0, %s, %s, %s", all, val, k1)
		if g == 0 {
			b.f("KMOVW %s, %s", k1, r.gMask)
			continue
		}
		b.f("KMOVW %s, %s", k1, r.gTmp)
		b.f("SHLQ $%d, %s", 16*g, r.gTmp)
		b.f("ORQ %s, %s", r.gTmp, r.gMask)
	}
	b.f("TZCNTQ %s, %s", r.gMask, r.gLabel)
	b.f("ANDQ $63, %s", r.gLabel)
	b.f("MOVQ labels+48(FP), %s", r.gTmp)
	b.f("MOVL %s, %d(%s)(BX*4)", r.gLabel, 4*r.i, r.gTmp)
	b.f("MOVQ minima+56(FP), %s", r.gTmp)
	b.f("VMOVSS %s, %d(%s)(BX*4)", x(2), 4*r.i, r.gTmp)
	b.f("VUCOMISS %d(SP), %s", frameZero, x(2))
	b.f("JEQ %s_exact%s", r.tag, unitJoin) // one unit with the label: nothing may come between
	b.label(r.tag + "_stored")
	rare := &asm{}
	rare.label(r.tag + "_exact")
	for g, val := range r.vals {
		rare.f("VMOVUPS %s, %d(SP)", val, g*64)
	}
	rare.f("VMOVSS (SP)(%s*4), %s", r.gLabel, x(1))
	rare.f("VMOVSS %s, %d(%s)(BX*4)", x(1), 4*r.i, r.gTmp)
	rare.f("JMP %s_stored", r.tag)
	*out = append(*out, splitLines(rare.String())...)
	if second {
		// The reference's second pass starts from the first value with the label's product
		// made −∞: cnorm[0] + ∞ when the label is 0 (NaN if that norm is), and otherwise the
		// first value, then not NaN (a NaN first value makes the label 0) and no less than
		// the least, where starting from cnorm[0] + ∞ (then +∞: cnorm[0] is neither NaN nor
		// −∞, or the label would be 0) gives the same. Then the VMINPS of every lane but the
		// label's (a write mask without its bit; NaN values passed over, as in leastLane),
		// reduced by hmin.
		b.f("VBROADCASTSS %d(SP), %s", frameStart, m)
		b.f("MOVL $1, %s", r.gTmp)
		b.f("SHLXQ %s, %s, %s", r.gLabel, r.gTmp, r.gTmp)
		b.f("NOTQ %s", r.gTmp) // every lane's bit but the label's
		for g, val := range r.vals {
			if g > 0 {
				b.f("SHRQ $16, %s", r.gTmp)
			}
			b.f("KMOVW %s, %s", r.gTmp, k2)
			b.f("VMINPS %s, %s, %s, %s", m, val, k2, m)
		}
		hmin(b, v, m, lo, all)
		b.f("MOVQ second+64(FP), %s", r.gTmp)
		b.f("VMOVSS %s, %d(%s)(BX*4)", x(2), 4*r.i, r.gTmp)
	}
	return splitLines(b.String())
}

func splitLines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// unitJoin, ending a line of rowArgmin.lines, binds it to the next line: zipLines prints the
// two together (a jump to the rare path and the label it returns to).
const unitJoin = " // +next"

// zipLines prints the streams' lines interleaved, one unit (a line, or lines bound by unitJoin)
// from each in turn.
func zipLines(a *asm, streams [][]string) {
	pos := make([]int, len(streams))
	for {
		done := true
		for s, st := range streams {
			for pos[s] < len(st) {
				line := st[pos[s]]
				pos[s]++
				a.raw(strings.TrimSuffix(line, unitJoin) + "\n")
				done = false
				if !strings.HasSuffix(line, unitJoin) {
					break
				}
			}
		}
		if done {
			return
		}
	}
}

// tile64PrefetchBelow is the row stride in bytes from which the tile leaves the next rows to the
// hardware prefetcher: rows of a page or more are streams it follows. On the Ice Lake-SP of
// session 37 (the tile alone on 65536 rows from memory, paired rounds): prefetching took d = 256
// from 82 to 95 GFLOP/s (1.16×, 8 rounds) and d = 512 1.10× (6 rounds), but d = 1024 0.90× (6).
const tile64PrefetchBelow = 4096

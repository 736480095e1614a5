package main

import "fmt"

// genTransposeTile prints, for AVX-512 float32 only, the two halves of the rows-in-lanes path
// that the few-center pass takes for wider rows (see genSmallK for the narrow ones):
//
// transposeF32AVX512(x *float32, ldx, d int, pack *float32) writes the 32 rows of x (stride
// ldx) feature-major into pack: feature f of row r at pack[f·32 + r], for f < d rounded up to
// 16 (features past d are zero). It reads each row with plain (masked) vector loads, 16
// features at a time, and turns each 16×16 block around in registers (4 rounds of 16 shuffles),
// so the tile that follows (nearestPrePackedF32AVX512, the nearest tile loading from pack) needs
// no gather. The tile's arithmetic is the nearest tile's, so its labels are NearestF32's.
//
// accPaddedF32AVX512(x *float32, ldx, n, d int, labels *int32, w *float32, acc *float64,
// accStride int) adds the n rows into the padded sums as genSmallK does, the
// label of each row read from labels.
func genTransposeTile(a *asm, v variant) {
	if !v.avx512() {
		return
	}
	if v.f64() {
		genAccPadded(a, v)
		a.raw("\n")
		genTransposeF64(a)
		a.raw("\n")
		genTile(a, v, tileKind{packed: true, prepacked: true})
		return
	}
	{
		genAccPadded(a, v)
		a.raw("\n")
		genTranspose(a, v)
		a.raw("\n")
		genTile(a, v, tileKind{packed: true, prepacked: true})
		genDeinterleave(a, v)
		genTransposeOver(a)
	}
}

// transposeStart prints the TEXT line of a tile transposition name(x *T, ldx, d int, pack *T)
// (after lead), T float32 or float64 by size, and loads its arguments: SI = x, R8 = ldx in
// bytes, R9 = 3·R8, CX = d, DI = pack.
func transposeStart(a *asm, name, lead string, size int) {
	t := map[int]string{4: "float32", 8: "float64"}[size]
	a.raw(fmt.Sprintf("%s// func %s(x *%s, ldx, d int, pack *%s)\nTEXT ·%s(SB), NOSPLIT, $0-32\n", lead, name, t, t, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(size))
	a.f("LEAQ (R8)(R8*2), R9")
	a.f("MOVQ d+16(FP), CX")
	a.f("MOVQ pack+24(FP), DI")
}

func genTranspose(a *asm, v variant) {
	name := "transposeF32AVX512"
	transposeStart(a, name, "", 4)
	a.label(name + "_block")
	a.f("CMPQ CX, $16")
	a.f("JLT %s_part", name)
	// A whole block: the third round of the turn comes with the loads (loadTranspose16).
	a.f("MOVQ SI, DX")
	for half := 0; half < 2; half++ {
		out := loadTranspose16(a)
		for f := 0; f < 16; f++ {
			a.f("VMOVUPS %s, %d(DI)", out[f], (f*32+half*16)*4)
		}
	}
	a.f("JMP %s_next", name)
	// The last block of a window narrower than 16 features: K1, min(16, CX) of them.
	a.label(name + "_part")
	a.f("MOVQ $1, AX")
	a.f("SHLQ CX, AX")
	a.f("DECQ AX")
	a.f("KMOVW AX, K1")
	for half := 0; half < 2; half++ {
		// Rows 16·half … 16·half+15: DX walks them four at a time.
		if half == 0 {
			a.f("MOVQ SI, DX")
		}
		in := make([]string, 16)
		for r := 0; r < 16; r++ {
			in[r] = fmt.Sprintf("Z%d", r)
			addr := []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}[r%4]
			a.f("VMOVUPS.Z %s, K1, %s", addr, in[r])
			if r%4 == 3 {
				a.f("LEAQ (DX)(R8*4), DX")
			}
		}
		out := transpose16(a, in)
		for f := 0; f < 16; f++ {
			a.f("VMOVUPS %s, %d(DI)", out[f], (f*32+half*16)*4)
		}
	}
	a.label(name + "_next")
	transposeF32Next(a, name)
}

// transposeF32Next ends a float32 transposition's block of 16 features: on to the next 16 of
// the rows (SI) and the next 16×32 of pack (DI), back to name_block while features are left
// (CX), else return.
func transposeF32Next(a *asm, name string) {
	a.f("ADDQ $64, SI")
	a.f("ADDQ $%d, DI", 16*32*4)
	a.f("SUBQ $16, CX")
	a.f("JGT %s_block", name)
	a.f("VZEROUPPER")
	a.f("RET")
}

// transposeLanes turns each 128-bit lane of the 4 groups of 4 registers in[4g…4g+3] around
// (rounds 1 and 2 of transpose16, with t as scratch): lane l of u[g][e] holds element e of
// lane l of in[4g], in[4g+1], in[4g+2], in[4g+3]. The u registers are in's.
func transposeLanes(a *asm, in, t []string) [][4]string {
	// Round 1, within 128-bit lanes: rows 2i, 2i+1 interleaved element by element.
	// t[2i] = [a0 b0 a1 b1], t[2i+1] = [a2 b2 a3 b3] per lane (a = row 2i, b = row 2i+1).
	for i := 0; i < 8; i++ {
		a.f("VUNPCKLPS %s, %s, %s", in[2*i+1], in[2*i], t[2*i])
		a.f("VUNPCKHPS %s, %s, %s", in[2*i+1], in[2*i], t[2*i+1])
	}
	// Round 2: for each group g of 4 rows (a b c d), u[g][e] = [a_e b_e c_e d_e] per lane, e =
	// the feature within the lane.
	u := make([][4]string, 4)
	for g := 0; g < 4; g++ {
		lo0, hi0, lo1, hi1 := t[4*g], t[4*g+1], t[4*g+2], t[4*g+3]
		regs := [4]string{in[4*g], in[4*g+1], in[4*g+2], in[4*g+3]}
		a.f("VSHUFPS $0x44, %s, %s, %s", lo1, lo0, regs[0]) // a0 b0 c0 d0
		a.f("VSHUFPS $0xEE, %s, %s, %s", lo1, lo0, regs[1]) // a1 b1 c1 d1
		a.f("VSHUFPS $0x44, %s, %s, %s", hi1, hi0, regs[2]) // a2 b2 c2 d2
		a.f("VSHUFPS $0xEE, %s, %s, %s", hi1, hi0, regs[3]) // a3 b3 c3 d3
		u[g] = regs
	}
	return u
}

// loadTranspose16 loads the whole 16×16 float32 block of the 16 rows at DX, DX+R8, … (R9 =
// 3·R8; DX ends 16 rows on, BX is scratch) and turns it around as transpose16 does, with its
// third round done by the loads: a 256-bit load and a 256-bit insert from memory put 8 features
// of rows r and r+4 side by side, so 48 shuffles remain of 64 (the inserts may run on either
// vector port). Group g = 2q+h holds rows 8q…8q+3 (lanes 0, 1) and 8q+4…8q+7 (lanes 2, 3),
// features 8h…8h+7. It returns out[f] = the register holding feature f of the 16 rows.
func loadTranspose16(a *asm) []string {
	in, t := make([]string, 16), make([]string, 16)
	for i := range in {
		in[i], t[i] = fmt.Sprintf("Z%d", i), fmt.Sprintf("Z%d", 16+i)
	}
	row := []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}
	rowB := []string{"(BX)", "(BX)(R8*1)", "(BX)(R8*2)", "(BX)(R9*1)"}
	for q := 0; q < 2; q++ {
		a.f("LEAQ (DX)(R8*4), BX")
		for h := 0; h < 2; h++ {
			for i := 0; i < 4; i++ {
				r := 4*(2*q+h) + i
				a.f("VMOVUPS %d%s, Y%d", 32*h, row[i], r)
				a.f("VINSERTF32X8 $1, %d%s, %s, %s", 32*h, rowB[i], in[r], in[r])
			}
		}
		a.f("LEAQ (BX)(R8*4), DX")
	}
	u := transposeLanes(a, in, t)
	// Round 4: lane 0 and 2 of every group: feature 8h+e of rows 0…3, 4…7, 8…11, 12…15; lanes 1
	// and 3 feature 8h+4+e.
	out := make([]string, 16)
	for h := 0; h < 2; h++ {
		for e := 0; e < 4; e++ {
			lo, hi := u[h][e], u[2+h][e]
			o0, o1 := t[8*h+2*e], t[8*h+2*e+1]
			a.f("VSHUFF32X4 $0x88, %s, %s, %s", hi, lo, o0)
			a.f("VSHUFF32X4 $0xDD, %s, %s, %s", hi, lo, o1)
			out[8*h+e], out[8*h+4+e] = o0, o1
		}
	}
	return out
}

// transpose16 turns the 16×16 float32 block in (in[r] = row r) around and returns out[f] =
// the register holding feature f of the 16 rows. It uses Z0–Z31 (in must be Z0–Z15).
func transpose16(a *asm, in []string) []string {
	t := make([]string, 16)
	for i := range t {
		t[i] = fmt.Sprintf("Z%d", 16+i)
	}
	u := transposeLanes(a, in, t)
	// Rounds 3 and 4: a 4×4 transposition of 128-bit lanes across the groups. For feature e,
	// lane L of u[g][e] holds the 4 rows of group g at feature 4L+e.
	out := make([]string, 16)
	for e := 0; e < 4; e++ {
		w := [4]string{t[4*e], t[4*e+1], t[4*e+2], t[4*e+3]}
		a.f("VSHUFF32X4 $0x88, %s, %s, %s", u[1][e], u[0][e], w[0]) // g0.L0 g0.L2 g1.L0 g1.L2
		a.f("VSHUFF32X4 $0xDD, %s, %s, %s", u[1][e], u[0][e], w[1]) // g0.L1 g0.L3 g1.L1 g1.L3
		a.f("VSHUFF32X4 $0x88, %s, %s, %s", u[3][e], u[2][e], w[2]) // g2.L0 g2.L2 g3.L0 g3.L2
		a.f("VSHUFF32X4 $0xDD, %s, %s, %s", u[3][e], u[2][e], w[3]) // g2.L1 g2.L3 g3.L1 g3.L3
		// The u registers of feature e are free now (rounds 3/4 of feature e read only them).
		o := [4]string{u[0][e], u[1][e], u[2][e], u[3][e]}
		a.f("VSHUFF32X4 $0x88, %s, %s, %s", w[2], w[0], o[0]) // lane 0 of every group: feature e
		a.f("VSHUFF32X4 $0xDD, %s, %s, %s", w[2], w[0], o[2]) // lane 2: feature 8+e
		a.f("VSHUFF32X4 $0x88, %s, %s, %s", w[3], w[1], o[1]) // lane 1: feature 4+e
		a.f("VSHUFF32X4 $0xDD, %s, %s, %s", w[3], w[1], o[3]) // lane 3: feature 12+e
		for L := 0; L < 4; L++ {
			out[4*L+e] = o[L]
		}
	}
	return out
}

// accRowsArgs loads the arguments of the row accumulations (accPadded, accChunks: x *T, ldx,
// n, d int, labels *int32, w *T, acc *float64, accStride, pf int): SI = x, R8 = ldx bytes,
// BX = n, R10 = labels, R11 = w, R12 = acc, R13 = accStride bytes, R9 = pf.
func accRowsArgs(a *asm, v variant) {
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+32(FP), R10")
	a.f("MOVQ w+40(FP), R11")
	a.f("MOVQ acc+48(FP), R12")
	a.f("MOVQ accStride+56(FP), R13")
	a.f("SHLQ $3, R13")
	a.f("MOVQ pf+64(FP), R9")
}

// accRowsDispatch ends the prologue of a row accumulation (accRowsArgs' registers): to
// name_done for no rows (BX = 0), to weighted for weights (R11 ≠ nil), else on to the unit rows.
func accRowsDispatch(a *asm, name, weighted string) {
	a.f("TESTQ BX, BX")
	a.f("JEQ %s_done", name)
	a.f("TESTQ R11, R11")
	a.f("JNE %s", weighted)
}

// genAccPadded prints accPadded<T>AVX512: genSmallK's accumulation, the label from memory.
func genAccPadded(a *asm, v variant) {
	name := fmt.Sprintf("accPadded%sAVX512", v.T)
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, labels *int32, w *%s, acc *float64, accStride, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-72\n",
		name, goT(v), goT(v), name))
	// zmm sums: it follows the rows-in-lanes tile, whose 512-bit instructions have closed the
	// third vector port anyway, and it halves the instructions of a wide row. accStride must be
	// a multiple of 8.
	r := smallKRegs(v).wideSums()
	accRowsArgs(a, v)
	smallKMasks(a, v, r)
	accRowsDispatch(a, name, name+"_w")
	for _, weighted := range []bool{false, true} {
		lbl := name + "_u"
		if weighted {
			lbl = name + "_w"
			a.label(lbl)
		}
		a.label(lbl + "_row")
		// The row pf bytes ahead, two lines of it, one row at a time: a burst of prefetches for
		// a whole tile stalls on the line-fill buffers and kept memory from overlapping work.
		// Tried and left out, float64 10⁶×32 k=3 from DRAM (rows of four lines, pf 8 KB; the
		// fastest tenth of chunks over a plain read of the same rows, interleaved runs on a
		// loaded machine): these two lines 1.08–1.14; every line of the rows ahead once (a
		// pointer caught up row by row to pf bytes past the row, as genSmallK does) 1.24–1.32,
		// with pf 16 KB 1.23–1.30, 32 KB 1.33–1.39, 4 KB 1.45–1.50; the tile's lines prefetched
		// in the transposition instead 1.32–1.35; one line a row 1.15–1.18, none 1.31–1.32;
		// these two lines with pf 16 KB 1.14–1.16. Float32 rows gained nothing either.
		a.f("PREFETCHT0 (SI)(R9*1)")
		a.f("PREFETCHT0 64(SI)(R9*1)")
		a.f("MOVLQSX (R10), AX")
		a.f("ADDQ $4, R10")
		smallKAccRow(a, v, r, lbl, 0, weighted)
		a.f("DECQ BX")
		a.f("JNE %s_row", lbl)
		a.f("JMP %s_done", name)
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// deinterleaveMaxD is the widest row genDeinterleave specialises for; wider rows take the
// 16×16 transposition.
const deinterleaveMaxD = 7

// genDeinterleave prints deinterleave<D>F32AVX512(x *float32, tab *int32, pack *float32) for
// D = 1…deinterleaveMaxD: transposeF32AVX512's job for 32 contiguous rows of D < 8 features
// (ldx = D), where a 16×16 block would be mostly empty. Each half of the tile, 16·D floats, is
// D plain vector loads; feature f of its 16 rows (element r·D + f) is picked out of them by
// one two-source permute per pair of registers it spans, merged under a mask. The permute
// indices come from tab (see deinterleaveTable in transpose_amd64.go): tab[(f·P + p)·16 + r] =
// r·D + f − 32·p for pair p of P = ⌈D/2⌉; the masks are constants here.
func genDeinterleave(a *asm, v variant) {
	for D := 1; D <= deinterleaveMaxD; D++ {
		name := fmt.Sprintf("deinterleave%dF32AVX512", D)
		a.raw(fmt.Sprintf("\n// func %s(x *float32, tab *int32, pack *float32)\nTEXT ·%s(SB), NOSPLIT, $0-24\n", name, name))
		a.f("MOVQ x+0(FP), SI")
		a.f("MOVQ tab+8(FP), DX")
		a.f("MOVQ pack+16(FP), DI")
		P := (D + 1) / 2
		for h := 0; h < 2; h++ {
			for i := 0; i < D; i++ {
				a.f("VMOVUPS %d(SI), Z%d", (h*16*D+16*i)*4, i)
			}
			for f := 0; f < D; f++ {
				for p := 0; p < P; p++ {
					mask := 0
					for r := 0; r < 16; r++ {
						if (r*D+f)/32 == p {
							mask |= 1 << r
						}
					}
					if mask == 0 {
						continue
					}
					hi := 2*p + 1
					if hi >= D {
						hi = 2 * p
					}
					a.f("VMOVDQU32 %d(DX), Z8", (f*P+p)*64)
					a.f("VPERMI2PS Z%d, Z%d, Z8", hi, 2*p)
					if p == 0 {
						a.f("VMOVAPS Z8, Z9")
						continue
					}
					a.f("MOVL $%d, AX", mask)
					a.f("KMOVW AX, K1")
					a.f("VMOVAPS Z8, K1, Z9")
				}
				a.f("VMOVUPS Z9, %d(DI)", (f*32+h*16)*4)
			}
		}
		a.f("VZEROUPPER")
		a.f("RET")
	}
}

// genTransposeF64 prints transposeF64AVX512(x *float64, ldx, d int, pack *float64): the float64
// tile is 2 vectors of 8 rows, pack[f·16 + r], 8×8 blocks turned around in 3 rounds of 8
// shuffles.
func genTransposeF64(a *asm) {
	name := "transposeF64AVX512"
	transposeStart(a, name, "", 8)
	a.label(name + "_block")
	a.f("CMPQ CX, $8")
	a.f("JLT %s_part", name)
	// A whole block: the first round of the turn comes with the loads (loadTranspose8).
	a.f("MOVQ SI, DX")
	for half := 0; half < 2; half++ {
		out := loadTranspose8(a)
		for f := 0; f < 8; f++ {
			a.f("VMOVUPD %s, %d(DI)", out[f], (f*16+half*8)*8)
		}
	}
	a.f("JMP %s_next", name)
	// The last block of a window narrower than 8 features: K1, min(8, CX) of them.
	a.label(name + "_part")
	a.f("MOVQ $1, AX")
	a.f("SHLQ CX, AX")
	a.f("DECQ AX")
	a.f("KMOVW AX, K1")
	a.f("MOVQ SI, DX")
	for half := 0; half < 2; half++ {
		in := make([]string, 8)
		for r := 0; r < 8; r++ {
			in[r] = fmt.Sprintf("Z%d", r)
			addr := []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}[r%4]
			a.f("VMOVUPD.Z %s, K1, %s", addr, in[r])
			if r%4 == 3 {
				a.f("LEAQ (DX)(R8*4), DX")
			}
		}
		out := transpose8(a, in)
		for f := 0; f < 8; f++ {
			a.f("VMOVUPD %s, %d(DI)", out[f], (f*16+half*8)*8)
		}
	}
	a.label(name + "_next")
	a.f("ADDQ $64, SI")
	a.f("ADDQ $%d, DI", 8*16*8)
	a.f("SUBQ $8, CX")
	a.f("JGT %s_block", name)
	a.f("VZEROUPPER")
	a.f("RET")
}

// loadTranspose8 loads the whole 8×8 float64 block of the 8 rows at DX, DX+R8, … (R9 = 3·R8;
// DX ends 8 rows on) and turns it around as transpose8 does, but with its first round done by
// the loads: a 256-bit load and a 256-bit insert from memory put the same 4 features of two
// rows side by side (rows r and r+2: p[r] = [r.f0 r.f1 | r.f2 r.f3 | r+2.f0 r+2.f1 | r+2.f2
// r+2.f3], features 4…7 likewise in p[8+r]), so 16 shuffles remain of transpose8's 24 (the
// inserts may run on either vector port, the shuffles on one only). It returns out[f] = the
// register holding feature f of the 8 rows, row r in lane r (uses Z0–Z23).
func loadTranspose8(a *asm) []string {
	z := func(i int) string { return fmt.Sprintf("Z%d", i) }
	y := func(i int) string { return fmt.Sprintf("Y%d", i) }
	row := func(r int) string { // address of row r (0…7) of the block, DX at row 0 or 4
		return []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}[r%4]
	}
	// p: register of rows (r, r+2) for r in 0, 1, 4, 5 and features 0…3 (hi = 0) or 4…7 (hi = 1).
	p := map[[2]int]int{}
	n := 0
	for _, r := range []int{0, 1, 4, 5} {
		if r == 4 {
			a.f("LEAQ (DX)(R8*4), DX")
		}
		for hi := 0; hi < 2; hi++ {
			a.f("VMOVUPD %d%s, %s", 32*hi, row(r), y(n))
			a.f("VINSERTF64X4 $1, %d%s, %s, %s", 32*hi, row(r+2), z(n), z(n))
			p[[2]int{r, hi}] = n
			n++
		}
	}
	a.f("LEAQ (DX)(R8*4), DX")
	// Round 2: within 128-bit lanes, rows (r, r+1) of features 2i (lo) and 2i+1 (hi):
	// t[q][hi][e] = [r.fe r+1.fe | r.f(e+2) r+1.f(e+2) | r+2.fe r+3.fe | r+2.f(e+2) r+3.f(e+2)]
	// for rows r = 4q, features offset by 4·hi.
	t := map[[3]int]string{}
	n = 8
	for q := 0; q < 2; q++ {
		for hi := 0; hi < 2; hi++ {
			a0, a1 := z(p[[2]int{4 * q, hi}]), z(p[[2]int{4*q + 1, hi}])
			t[[3]int{q, hi, 0}], t[[3]int{q, hi, 1}] = z(n), z(n+1)
			a.f("VUNPCKLPD %s, %s, %s", a1, a0, z(n))
			a.f("VUNPCKHPD %s, %s, %s", a1, a0, z(n+1))
			n += 2
		}
	}
	// Round 3: feature 4·hi + e (lanes 0 and 2 of rows 0…3, then of rows 4…7) and 4·hi + e + 2
	// (lanes 1 and 3).
	out := make([]string, 8)
	n = 16
	for hi := 0; hi < 2; hi++ {
		for e := 0; e < 2; e++ {
			lo4, hi4 := t[[3]int{0, hi, e}], t[[3]int{1, hi, e}]
			out[4*hi+e], out[4*hi+e+2] = z(n), z(n+1)
			a.f("VSHUFF64X2 $0x88, %s, %s, %s", hi4, lo4, z(n))
			a.f("VSHUFF64X2 $0xDD, %s, %s, %s", hi4, lo4, z(n+1))
			n += 2
		}
	}
	return out
}

// transpose8 turns the 8×8 float64 block in (in[r] = row r, Z0–Z7) around and returns out[f] =
// the register holding feature f of the 8 rows (uses Z0–Z23).
func transpose8(a *asm, in []string) []string {
	z := func(i int) string { return fmt.Sprintf("Z%d", i) }
	// Round 1: t[2i] = [a0 b0 | a2 b2 | a4 b4 | a6 b6], t[2i+1] = [a1 b1 | a3 b3 | …] for rows
	// a = 2i, b = 2i+1.
	t := make([]string, 8)
	for i := 0; i < 4; i++ {
		t[2*i], t[2*i+1] = z(8+2*i), z(8+2*i+1)
		a.f("VUNPCKLPD %s, %s, %s", in[2*i+1], in[2*i], t[2*i])
		a.f("VUNPCKHPD %s, %s, %s", in[2*i+1], in[2*i], t[2*i+1])
	}
	// Round 2: rows abcd and efgh; for parity e of the feature, u[q][e] = [ab.L0 ab.L2 cd.L0
	// cd.L2] (features e, 4+e) and u[q][2+e] = [ab.L1 ab.L3 cd.L1 cd.L3] (features 2+e, 6+e).
	u := make([][4]string, 2)
	n := 16
	for q := 0; q < 2; q++ {
		for e := 0; e < 2; e++ {
			ab, cd := t[4*q+e], t[4*q+2+e]
			u[q][e], u[q][2+e] = z(n), z(n+1)
			n += 2
			a.f("VSHUFF64X2 $0x88, %s, %s, %s", cd, ab, u[q][e])
			a.f("VSHUFF64X2 $0xDD, %s, %s, %s", cd, ab, u[q][2+e])
		}
	}
	// Round 3: feature g (0…3) from u[0][g] and u[1][g]: lanes 0 and 2 of each give feature g,
	// lanes 1 and 3 feature 4+g.
	out := make([]string, 8)
	for g := 0; g < 4; g++ {
		out[g], out[4+g] = in[2*g], in[2*g+1]
		a.f("VSHUFF64X2 $0x88, %s, %s, %s", u[1][g], u[0][g], out[g])
		a.f("VSHUFF64X2 $0xDD, %s, %s, %s", u[1][g], u[0][g], out[4+g])
	}
	return out
}

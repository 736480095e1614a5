package main

import "fmt"

// Float64 rows in lanes for few centers: the labels of 8 rows at a time against k ≤ 8 centers,
// one row to a lane (genSmallK prints them into smallk_amd64.s; the Go side, narrow64_amd64.go,
// then adds each block of rows into the sums with sumRows, sumrows.go).
//
// With centers in lanes (lloydSmallK) every row costs d + 1 FMAs on 8 lanes however few the
// centers, and a horizontal minimum of 3 shuffles, 3 minimums and a compare: about 11 vector
// instructions a row at d = 3. With rows in lanes 8 rows cost k·d + k FMAs and a vertical
// minimum of k − 1 compares and blends, plus putting the rows into lanes: 8 contiguous rows are
// d vectors, and feature f of row r, element r·d + f of them, comes out with one two-table
// permute per pair of those vectors (VPERMI2PD/VPERMT2PD; a lone last vector, one permute),
// merged under the lanes each pair holds. For every (row, center) the instructions are the
// nearest tile's — a fused multiply-add per feature in feature order from zero, then cn − 2·dot
// in one rounding — and the label is the first strict minimum, as the reference compares
// (v < best: a NaN value never wins), so the labels are NearestF64's bit for bit.

// narrow64MaxD is the widest row printed.
const narrow64MaxD = 4

// genNearestNarrow64 prints nearestNarrowF64D<d>AVX512(x *float64, n int, c *float64, k int,
// cn *float64, labels *int32, pf int) for d = 1…narrow64MaxD: labels of n rows (n a positive
// multiple of 8) at x, contiguous (stride d), against k centers c (k×d, row-major) with norms
// cn, 1 ≤ k ≤ 8; x is prefetched pf bytes ahead.
func genNearestNarrow64(a *asm) {
	for d := 1; d <= narrow64MaxD; d++ {
		if d > 1 {
			a.raw("\n")
		}
		genNearestNarrow64D(a, d)
	}
}

// Registers: F_f = Z0…Z3 (feature f of the 8 rows), Z4/Z5 the first and third vector of the
// rows, Z8+j the values of center j, Z16+f the permute indices r·d + f, Z20 = −2, Y22 the
// labels, Y22+j = j, Z31 scratch; K1… the merge masks of the permutes, K7 the compare.
func genNearestNarrow64D(a *asm, d int) {
	name := fmt.Sprintf("nearestNarrowF64D%dAVX512", d)
	a.raw(fmt.Sprintf("// func %s(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int, part *float64)\nTEXT ·%s(SB), NOSPLIT, $0-64\n", name, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ n+8(FP), BX")
	a.f("MOVQ c+16(FP), R8")
	a.f("MOVQ k+24(FP), DX")
	a.f("MOVQ cn+32(FP), R9")
	a.f("MOVQ labels+40(FP), R10")
	a.f("MOVQ pf+48(FP), R11")
	a.f("MOVQ part+56(FP), R12")
	a.f("MOVQ $%d, AX", int64(-0x4000000000000000)) // −2.0
	a.f("VPBROADCASTQ AX, Z20")
	if d > 1 {
		a.f("MOVQ $0x0706050403020100, AX")
		a.f("VMOVQ AX, X16")
		a.f("VPMOVZXBQ X16, Z16")
		a.f("MOVQ $%d, AX", d)
		a.f("VPBROADCASTQ AX, Z31")
		a.f("VPMULLQ Z31, Z16, Z16")
		for f := 1; f < d; f++ {
			a.f("MOVQ $%d, AX", f)
			a.f("VPBROADCASTQ AX, Z31")
			a.f("VPADDQ Z31, Z16, Z%d", 16+f)
		}
	}
	for j := 1; j < 8; j++ {
		a.f("MOVL $%d, AX", j)
		a.f("VPBROADCASTD AX, Y%d", 22+j)
	}
	// The merge masks: lanes r of feature f whose element r·d + f lies in pair p ≥ 1 of vectors.
	pairLanes := func(f, p int) (m int) {
		for r := 0; r < 8; r++ {
			if (r*d+f)/16 == p {
				m |= 1 << r
			}
		}
		return m
	}
	masks := map[int]string{}
	for f := 0; f < d; f++ {
		for p := 1; 2*p < d; p++ {
			m := pairLanes(f, p)
			if _, ok := masks[m]; m != 0 && !ok {
				masks[m] = fmt.Sprintf("K%d", len(masks)+1)
				a.f("MOVQ $%d, AX", m)
				a.f("KMOVW AX, %s", masks[m])
			}
		}
	}
	a.label(name + "_loop")
	for i := 0; i < d; i++ { // the 8 rows are d lines
		a.f("PREFETCHT0 %d(SI)(R11*1)", 64*i)
	}
	if d == 1 {
		a.f("VMOVUPD (SI), Z0")
	} else {
		a.f("VMOVUPD (SI), Z4")
		if d > 3 {
			a.f("VMOVUPD 128(SI), Z5")
		}
		for f := 0; f < d; f++ {
			F := fmt.Sprintf("Z%d", f)
			idx := fmt.Sprintf("Z%d", 16+f)
			a.f("VMOVDQA64 %s, %s", idx, F)
			a.f("VPERMI2PD 64(SI), Z4, %s", F)
			for p := 1; 2*p < d; p++ {
				m := pairLanes(f, p)
				if m == 0 {
					continue
				}
				if 2*p+1 < d { // two vectors: C (Z5 at p = 1) and D
					a.f("VMOVAPD Z5, Z31")
					a.f("VPERMT2PD %d(SI), %s, Z31", 64*(2*p+1), idx)
					a.f("VMOVAPD Z31, %s, %s", masks[m], F)
				} else {
					a.f("VPERMPD %d(SI), %s, %s, %s", 64*2*p, idx, masks[m], F)
				}
			}
		}
	}
	// The values of center j: a chain of FMAs over the features from zero, then cn − 2·dot.
	for j := 0; j < 8; j++ {
		if j > 0 {
			a.f("CMPQ DX, $%d", j)
			a.f("JLE %s_valued", name)
		}
		z := fmt.Sprintf("Z%d", 8+j)
		a.f("VPXORQ %s, %s, %s", z, z, z)
		for f := 0; f < d; f++ {
			a.f("VFMADD231PD.BCST %d(R8), Z%d, %s", 8*(j*d+f), f, z)
		}
		a.f("VFMADD213PD.BCST %d(R9), Z20, %s", 8*j, z)
	}
	a.label(name + "_valued")
	// The first strict minimum, centers in order: Z8 the best value, Y22 its center.
	firstStrictMin(a, "DX", 8, "Y22", name+"_labelled", func(j int) string {
		return fmt.Sprintf("VMOVDQA32 Y%d, K7, Y22", 22+j)
	})
	a.label(name + "_labelled")
	a.f("VMOVDQU32 Y22, (R10)")
	storeLeast(a, name, "Z8", "R12")
	a.f("ADDQ $%d, SI", 64*d)
	a.f("ADDQ $32, R10")
	a.f("SUBQ $8, BX")
	a.f("JGT %s_loop", name)
	a.f("VZEROUPPER")
	a.f("RET")
}

// genNearestRows64 prints nearestRowsF64AVX512(x *float64, ldx, n, d int, ct *float64, k int,
// cn *float64, labels *int32, lanes *int32, pf int): the labels of n rows (a positive multiple of 8) at
// x, stride ldx, of 1 ≤ d ≤ 64 features against k ≤ 8 centers, rows in lanes as
// genNearestNarrow64 but for any row: 8 rows at a time, 8 features at a time turned around in
// registers (loadTranspose8, or masked loads and transpose8 for the last d mod 8), each feature
// fed to every center's chain. ct: the centers transposed and padded to 8 (ct[f·8 + j], as
// lloydSmallK makes them), cn their norms, lanes: 0…7 (the labels put under the compare's mask).
func genNearestRows64(a *asm) {
	name := "nearestRowsF64AVX512"
	a.raw(fmt.Sprintf("// func %s(x *float64, ldx, n, d int, ct *float64, k int, cn *float64, labels *int32, lanes *int32, pf int, part *float64)\nTEXT ·%s(SB), NOSPLIT, $0-88\n", name, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("LEAQ (R8)(R8*2), R9")
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ k+40(FP), R14")
	a.f("MOVQ cn+48(FP), R12")
	a.f("MOVQ labels+56(FP), R10")
	a.f("MOVQ lanes+64(FP), DI")
	a.f("MOVQ pf+72(FP), R11")
	// K1: the features of the last block, d mod 8.
	a.f("MOVQ d+24(FP), CX")
	a.f("ANDQ $7, CX")
	a.f("MOVQ $1, AX")
	a.f("SHLQ CX, AX")
	a.f("DECQ AX")
	a.f("KMOVW AX, K1")
	// fmas adds features 0…nf−1 of the block (out) into the chains of the k centers, Z24+j.
	sect := 0
	fmas := func(out []string, nf int) {
		sect++
		end := fmt.Sprintf("%s_fma%d", name, sect)
		for j := 0; j < 8; j++ {
			if j > 0 {
				a.f("CMPQ R14, $%d", j)
				a.f("JLE %s", end)
			}
			for f := 0; f < nf; f++ {
				a.f("VFMADD231PD.BCST %d(R13), %s, Z%d", 8*(8*f+j), out[f], 24+j)
			}
		}
		a.label(end)
	}
	a.label(name + "_group")
	for j := 0; j < 8; j++ {
		if j > 0 {
			a.f("CMPQ R14, $%d", j)
			a.f("JLE %s_zeroed", name)
		}
		a.f("VPXORQ Z%d, Z%d, Z%d", 24+j, 24+j, 24+j)
	}
	a.label(name + "_zeroed")
	a.f("MOVQ d+24(FP), CX")
	a.f("MOVQ ct+32(FP), R13")
	a.f("MOVQ SI, R15")
	a.label(name + "_block")
	// The block of each of the 8 rows, pf bytes on.
	prefetch := func() {
		a.f("LEAQ (R15)(R11*1), AX")
		for r := 0; r < 8; r++ {
			a.f("PREFETCHT0 %s", []string{"(AX)", "(AX)(R8*1)", "(AX)(R8*2)", "(AX)(R9*1)"}[r%4])
			if r == 3 {
				a.f("LEAQ (AX)(R8*4), AX")
			}
		}
	}
	a.f("CMPQ CX, $8")
	a.f("JLT %s_part", name)
	prefetch()
	a.f("MOVQ R15, DX")
	fmas(loadTranspose8(a), 8)
	a.f("ADDQ $64, R15")
	a.f("ADDQ $512, R13")
	a.f("SUBQ $8, CX")
	a.f("JMP %s_block", name)
	// The last d mod 8 features: masked loads (nothing read past them), then FMAs for as many.
	a.label(name + "_part")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_valued", name)
	prefetch()
	a.f("MOVQ R15, DX")
	in := make([]string, 8)
	for r := 0; r < 8; r++ {
		in[r] = fmt.Sprintf("Z%d", r)
		a.f("VMOVUPD.Z %s, K1, %s", []string{"(DX)", "(DX)(R8*1)", "(DX)(R8*2)", "(DX)(R9*1)"}[r%4], in[r])
		if r%4 == 3 {
			a.f("LEAQ (DX)(R8*4), DX")
		}
	}
	out := transpose8(a, in)
	for nf := 1; nf < 8; nf++ {
		a.f("CMPQ CX, $%d", nf)
		a.f("JEQ %s_part%d", name, nf)
	}
	for nf := 1; nf < 8; nf++ {
		a.label(fmt.Sprintf("%s_part%d", name, nf))
		fmas(out, nf)
		a.f("JMP %s_valued", name)
	}
	// cn − 2·dot, then the first strict minimum (see genNearestNarrow64).
	a.label(name + "_valued")
	a.f("MOVQ $%d, AX", int64(-0x4000000000000000)) // −2.0
	a.f("VPBROADCASTQ AX, Z0")
	for j := 0; j < 8; j++ {
		if j > 0 {
			a.f("CMPQ R14, $%d", j)
			a.f("JLE %s_min", name)
		}
		a.f("VFMADD213PD.BCST %d(R12), Z0, Z%d", 8*j, 24+j)
	}
	a.label(name + "_min")
	firstStrictMin(a, "R14", 24, "Y1", name+"_labelled", func(j int) string {
		return fmt.Sprintf("VPBROADCASTD %d(DI), K7, Y1", 4*j)
	})
	a.label(name + "_labelled")
	a.f("VMOVDQU32 Y1, (R10)")
	// Every general register is taken here: the pointer lives in its argument slot.
	a.f("MOVQ part+80(FP), AX")
	storeLeast(a, name, "Z24", "AX")
	a.f("MOVQ AX, part+80(FP)")
	a.f("LEAQ (SI)(R8*8), SI")
	a.f("ADDQ $32, R10")
	a.f("SUBQ $8, BX")
	a.f("JGT %s_group", name)
	a.f("VZEROUPPER")
	a.f("RET")
}

// storeLeast prints the store of the 8 rows' least values (zmm, as firstStrictMin leaves them)
// to the part pointer in reg, which then moves past them; nothing if the pointer is nil (the
// Lloyd pass, which needs only the labels).
func storeLeast(a *asm, name, zmm, reg string) {
	a.f("TESTQ %s, %s", reg, reg)
	a.f("JEQ %s_nopart", name)
	a.f("VMOVUPD %s, (%s)", zmm, reg)
	a.f("ADDQ $64, %s", reg)
	a.label(name + "_nopart")
}

// firstStrictMin prints the vertical first strict minimum over the k centers' values in
// Z<vals>…Z<vals+k−1> (k in register kreg, at most 8): Z<vals> becomes the least value and
// label (cleared first) the center it came from, where label(j) is the instruction moving
// center j's label under K7. A later center wins only if its value is less (v < best: a NaN
// never wins), as the reference compares. It jumps to done after the last center.
func firstStrictMin(a *asm, kreg string, vals int, label, done string, move func(j int) string) {
	a.f("VPXORD %s, %s, %s", label, label, label)
	for j := 1; j < 8; j++ {
		a.f("CMPQ %s, $%d", kreg, j)
		a.f("JLE %s", done)
		a.f("VCMPPD $1, Z%d, Z%d, K7", vals, vals+j) // value of j < best
		a.f("VMOVAPD Z%d, K7, Z%d", vals+j, vals)
		a.f("%s", move(j))
	}
}

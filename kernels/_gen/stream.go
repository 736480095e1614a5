package main

import "fmt"

// The streaming labels pass for few centers and rows of a few hundred features (AVX-512 only;
// kernels/stream_amd64.go has the why and the measurements).
//
// Rows are read in place, four at a time (then two), front to back: a few sequential streams,
// every line prefetched streamPrefetch bytes ahead. The features go along the lanes in steps of
// 32 bytes (8 float32 / 4 float64): each step of a row is broadcast into both halves of a vector,
// and the centers come in pairs, center 2p in the low half of pair p's vector and 2p+1 in the
// high half, so one FMA advances two (row, center) chains and k centers take ⌈k/2⌉ FMAs a step
// and row.
// Each lane l of a chain sums x[l+32m/size]·c[l+32m/size] over the steps m in order (FMA from
// zero; lanes past d are zero in the row, masked, and in the packed centers). The lanes are then
// added pairwise, halves first (l + l+4, then l + l+2, then l + l+1 for float32; l + l+2, then
// l + l+1 for float64) and the center's value is cnorm − 2·dot in one rounding. The argmin is the
// reference's first strict minimum (a NaN value never wins; a NaN first value stays), with the
// lowest index on ties.

// streamPrefetch is how far ahead of the current step each row's lines are prefetched. On an
// Intel Xeon (Emerald Rapids) with two rows a group, a C model of the pass (10⁶×256 float32,
// k = 3) read at 1.38–1.45× a plain read's time with 2 KB, 1.27–1.36× with 4 KB, 1.31–1.35× with
// 8 KB, 1.60–1.86× with none; in the pass itself 8 and 16 KB were within the noise of 4. With four
// rows a group, 4 KB ahead of a float64 row of 256 features falls inside its own group; on AMD
// Zen 5 (cluster's BenchmarkWideIteration, 65536×256, one thread, ms an iteration, medians of
// three rounds) 8 KB took float32 2.62 (k = 3) and 3.06 (k = 8), float64 4.92 and 5.38, against
// 3.01, 3.55, 6.22 and 7.27 with 4 KB, 3.17, 2.95, 5.71 and 5.88 with 16 KB.
const streamPrefetch = 8192

// genStream prints streamNearest<T>AVX512(x *T, ldx, n, d int, cp, cnp *T, k int, labels *int32,
// part, vals *T): for n ≥ 1 rows of d ≥ 1 features at stride ldx and k in 1…8 centers packed by
// kernels' streamPackCenters into cp (step-major: for each step, the ⌈k/2⌉ pair vectors) and cnp
// (each pair's norms, cnorm[2p] over the low half and cnorm[2p+1] over the high), each row's
// label, minimum and k values (row i's at vals[i·k:]), each output left out where its pointer
// is nil.
func genStream(a *asm, v variant) {
	if !v.avx512() {
		return
	}
	genStreamKernel(a, v, false)
	genStreamKernel(a, v, true)
}

// genStreamKernel prints streamNearest<T>AVX512, or with sums streamSums<T>AVX512(x *T, ldx,
// n, d int, cp, cnp *T, k int, labels *int32, part, vals *T, acc *float64, st, prev int): the
// same labels (part and vals ignored, labels required) and, riding along with each group of
// four rows' dot products, the previous group's rows added into the padded sums acc (k rows of
// st float64) by the labels already stored, the whole 64-byte chunks of each row only (the
// features past them and the weights are the caller's). The previous group of the first group
// is the four rows before x (labels before labels) if prev is 1, none if 0; the last group of
// four and the pairs after it are left to the caller too. While a plain call's sums wait for
// its labels, memory waits for the sums (the labels alone read X from DRAM 1.1–1.4× as fast as
// the labels with the sums after each block); here the adds fill the gaps of the dot products.
// The adds are accPadded's (the row's value, widened, plus the sum, one rounding), each sum's
// rows in row order: the same bits.
func genStreamKernel(a *asm, v variant, sums bool) {
	name := fmt.Sprintf("streamNearest%sAVX512", v.T)
	frame := 80
	if sums {
		name = fmt.Sprintf("streamSums%sAVX512", v.T)
		frame = 104
	}
	sig := fmt.Sprintf("x *%s, ldx, n, d int, cp, cnp *%s, k int, labels *int32, part, vals *%s", goT(v), goT(v), goT(v))
	if sums {
		sig += ", acc *float64, st, prev int"
	}
	a.raw(fmt.Sprintf("// func %s(%s)\nTEXT ·%s(SB), NOSPLIT, $0-%d\n", name, sig, name, frame))
	step := 32 / v.Size // elements of a step (half a vector)
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ d+24(FP), R9")
	a.f("MOVQ R9, DX")
	a.f("ANDQ $%d, DX", 2*step-1)     // features past the whole 64-byte chunks
	a.f("SHRQ $%d, R9", log2(2*step)) // whole chunks (two steps) a row
	// K1: the lanes of the last, partial step (none if d is a multiple of a step).
	a.f("MOVQ DX, CX")
	a.f("ANDQ $%d, CX", step-1)
	a.f("MOVQ $1, AX")
	a.f("SHLQ CX, AX")
	a.f("DECQ AX")
	a.f("KMOVW AX, K1")
	a.f("MOVQ cp+32(FP), R12")
	a.f("MOVQ cnp+40(FP), R13")
	a.f("MOVQ labels+56(FP), R10")
	if sums {
		// The chunk loop's registers (streamRide): the chunk and tail counts, and n, wait in
		// the frame (part and vals are not used).
		a.f("MOVQ R9, part+64(FP)")
		a.f("MOVQ DX, vals+72(FP)")
		a.f("MOVQ R8, R14")
		a.f("SHLQ $1, R14")
		a.f("NEGQ R14") // −2·ldx bytes: the previous group's rows from the current ones
	} else {
		a.f("MOVQ part+64(FP), R14")
	}
	v.constBits(a, 0xC000000000000000, 0xC0000000, "Z24", "X24") // −2
	// k in 1…8 (else return): AX is free from here.
	a.f("MOVQ k+48(FP), AX")
	for k := 1; k <= 8; k++ {
		a.f("CMPQ AX, $%d", k)
		a.f("JEQ %s_k%d", name, k)
	}
	a.f("RET")
	for k := 1; k <= 8; k++ {
		genStreamK(a, v, name, k, step, sums)
	}
}

// genStreamK prints the row loop of genStream for k centers: groups of four rows while four
// are left, then pairs (a last odd row run as both rows of its pair and stored once). Four rows
// at a time give each center pair four independent FMA chains a step instead of two: with k ≤ 4
// the two rows' four chains left the FMA units waiting on each chain's latency (at d = 256 on
// AMD Zen 5 the labels took about 128 cycles a float64 row in L2, the chains' latency). Each
// (row, center) chain is the same FMAs in the same order either way: the same bits.
// Registers: row r's pair chains Z(4r)…Z(4r+P−1), its steps Z(16+r), the pair vectors of a step
// Z20…Z23, −2 in Z24, Z25 the reduction's scratch; rows 0…3 at SI, DI, (SI)(R8*2), (DI)(R8*2);
// R11 the packed centers' step, CX the chunk count, AX/CX the argmin.
func genStreamK(a *asm, v variant, name string, k, step int, sums bool) {
	P := (k + 1) / 2
	lbl := fmt.Sprintf("%s_k%d", name, k)
	a.label(lbl)
	a.label(lbl + "_quad")
	a.f("CMPQ BX, $4")
	a.f("JLT %s_pair", lbl)
	a.f("LEAQ (SI)(R8*1), DI")
	streamGroup(a, v, k, P, 4, step, lbl+"_q", sums)
	streamNextGroup(a, 4, sums)
	a.f("JNE %s_quad", lbl)
	a.f("JMP %s_done", lbl)
	a.label(lbl + "_pair")
	a.f("MOVQ SI, DI")
	a.f("CMPQ BX, $1")
	a.f("JEQ %s_one", lbl)
	a.f("ADDQ R8, DI")
	a.label(lbl + "_one")
	streamGroup(a, v, k, P, 2, step, lbl+"_p", sums)
	streamNextGroup(a, 2, sums)
	a.f("JG %s_pair", lbl)
	a.label(lbl + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// streamNextGroup moves x (SI and its copy in the frame) past a group of R rows and counts them
// off BX, leaving the flags of BX − R for the caller's loop.
func streamNextGroup(a *asm, R int, sums bool) {
	a.f("MOVQ x+0(FP), SI")
	a.f("LEAQ (SI)(R8*%d), SI", R)
	a.f("MOVQ SI, x+0(FP)")
	if sums {
		if R == 4 {
			a.f("MOVQ $1, prev+96(FP)") // the next group of four adds this one
		}
		a.f("MOVQ n+16(FP), BX")
		a.f("SUBQ $%d, BX", R)
		a.f("MOVQ BX, n+16(FP)")
		return
	}
	a.f("SUBQ $%d, BX", R)
}

// streamGroup prints the chains, reduction and argmin of R rows (2 or 4) from SI and DI on. With
// R = 2, row b may be row a again (BX = 1): it is then not stored, and BX ≤ 0 after the caller's
// subtraction ends the loop.
func streamGroup(a *asm, v variant, k, P, R, step int, lbl string, sums bool) {
	ride := sums && R == 4
	for r := 0; r < R; r++ {
		for p := 0; p < P; p++ {
			v.zero(a, fmt.Sprintf("Z%d", chainReg(r, p)))
		}
	}
	a.f("MOVQ R12, R11")
	if sums {
		a.f("MOVQ part+64(FP), CX")
	} else {
		a.f("MOVQ R9, CX")
	}
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_tail", lbl)
	if ride {
		a.f("CMPQ prev+96(FP), $0")
		a.f("JNE %s_ride", lbl)
	}
	a.label(lbl + "_chunk")
	for r := 0; r < R; r++ {
		a.f("PREFETCHT0 %s", rowAt(r, streamPrefetch))
	}
	for s := 0; s < 2; s++ {
		streamStep(a, v, P, R, 32*s, s*P*64, false)
	}
	a.f("ADDQ $64, SI")
	a.f("ADDQ $64, DI")
	a.f("ADDQ $%d, R11", 2*P*64)
	a.f("DECQ CX")
	a.f("JNE %s_chunk", lbl)
	if ride {
		a.f("JMP %s_tail", lbl)
		streamRide(a, v, P, lbl)
	}
	a.label(lbl + "_tail")
	if sums {
		a.f("MOVQ vals+72(FP), DX")
	}
	// A whole step left (DX ≥ step), then the masked partial one (K1 not empty).
	a.f("CMPQ DX, $%d", step)
	a.f("JLT %s_part", lbl)
	streamStep(a, v, P, R, 0, 0, false)
	a.f("ADDQ $32, SI")
	a.f("ADDQ $32, DI")
	a.f("ADDQ $%d, R11", P*64)
	a.label(lbl + "_part")
	a.f("KORTESTW K1, K1")
	a.f("JEQ %s_reduce", lbl)
	streamStep(a, v, P, R, 0, 0, true)
	a.label(lbl + "_reduce")
	for r := 0; r < R; r++ {
		for p := 0; p < P; p++ {
			streamReduce(a, v, chainReg(r, p), p)
		}
	}
	for r := 0; r < R; r++ {
		if R == 2 && r == 1 {
			a.f("CMPQ BX, $1")
			a.f("JEQ %s_end", lbl)
		}
		if sums {
			streamArgminK(a, v, k, r, false)
			a.f("MOVL AX, (R10)")
			a.f("ADDQ $4, R10")
			continue
		}
		streamArgmin(a, v, k, r, fmt.Sprintf("%s_%d", lbl, r))
	}
	a.label(lbl + "_end")
}

// chainReg is the register of row r's chain of center pair p.
func chainReg(r, p int) int { return 4*r + p }

// rowAt is the operand off bytes into row r (0…3) of a group.
func rowAt(r, off int) string {
	return fmt.Sprintf("%d%s", off, []string{"(SI)", "(DI)", "(SI)(R8*2)", "(DI)(R8*2)"}[r])
}

// streamStep prints one step of the group's R rows: their 32 bytes at off into each row
// broadcast into both halves (masked by K1 if partial), times each pair vector at coff(R11),
// into the chains.
func streamStep(a *asm, v variant, P, R, off, coff int, partial bool) {
	for r := 0; r < R; r++ {
		src := rowAt(r, off)
		z := fmt.Sprintf("Z%d", 16+r)
		y := fmt.Sprintf("Y%d", 16+r)
		switch {
		case partial && v.f64():
			a.f("VMOVUPD.Z %s, K1, %s", src, y)
			a.f("VINSERTF64X4 $1, %s, %s, %s", y, z, z)
		case partial:
			a.f("VMOVUPS.Z %s, K1, %s", src, y)
			a.f("VINSERTF32X8 $1, %s, %s, %s", y, z, z)
		case v.f64():
			a.f("VBROADCASTF64X4 %s, %s", src, z)
		default:
			a.f("VBROADCASTF32X8 %s, %s", src, z)
		}
	}
	for p := 0; p < P; p++ {
		a.f("VMOVUP%s %d(R11), Z%d", v.P[1:], coff+64*p, 20+p)
	}
	for p := 0; p < P; p++ {
		for r := 0; r < R; r++ {
			a.f("VFMADD231%s Z%d, Z%d, Z%d", v.P, 20+p, 16+r, chainReg(r, p))
		}
	}
}

// streamReduce adds the lanes of each half of chain register c pairwise (see the top of the
// file) and turns the two dot products into cnp[pair] − 2·dot: center 2·pair's value in lane 0,
// 2·pair+1's in the high half's first lane.
func streamReduce(a *asm, v variant, c, pair int) {
	z := fmt.Sprintf("Z%d", c)
	if v.f64() {
		a.f("VSHUFF64X2 $0xB1, %s, %s, Z25", z, z)
		a.f("VADDPD Z25, %s, %s", z, z)
		a.f("VPERMILPD $0x55, %s, Z25", z)
		a.f("VADDPD Z25, %s, %s", z, z)
	} else {
		a.f("VSHUFF32X4 $0xB1, %s, %s, Z25", z, z)
		a.f("VADDPS Z25, %s, %s", z, z)
		a.f("VPERMILPS $0x4E, %s, Z25", z)
		a.f("VADDPS Z25, %s, %s", z, z)
		a.f("VPERMILPS $0xB1, %s, Z25", z)
		a.f("VADDPS Z25, %s, %s", z, z)
	}
	a.f("VFMADD213%s %d(R13), Z24, %s", v.P, 64*pair, z)
}

// streamArgmin stores row r's (of its group) label at R10 and minimum at R14 and values at
// vals+72(FP) (each where not nil) and moves them on: the first strict minimum over the k values
// (X26 the best so far, X27 the next value; AX the label, R11 and CX free).
func streamArgmin(a *asm, v variant, k, r int, lbl string) {
	a.f("MOVQ vals+72(FP), CX")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_novals", lbl)
	streamArgminK(a, v, k, r, true)
	a.f("ADDQ $%d, CX", k*v.Size)
	a.f("MOVQ CX, vals+72(FP)")
	a.f("JMP %s_store", lbl)
	a.label(lbl + "_novals")
	streamArgminK(a, v, k, r, false)
	a.label(lbl + "_store")
	a.f("TESTQ R10, R10")
	a.f("JEQ %s_nolabel", lbl)
	a.f("MOVL AX, (R10)")
	a.f("ADDQ $4, R10")
	a.label(lbl + "_nolabel")
	a.f("TESTQ R14, R14")
	a.f("JEQ %s_nopart", lbl)
	a.f("VMOVS%s X26, (R14)", v.S[1:])
	a.f("ADDQ $%d, R14", v.Size)
	a.label(lbl + "_nopart")
}

// streamArgminK is streamArgmin's minimum, storing each value at CX if vals.
func streamArgminK(a *asm, v variant, k, r int, vals bool) {
	value := func(j int) string { // the register holding center j's value, in lane 0
		c := chainReg(r, j/2)
		x := fmt.Sprintf("X%d", c)
		if j%2 == 1 {
			if v.f64() {
				a.f("VEXTRACTF64X2 $2, Z%d, X27", c)
			} else {
				a.f("VEXTRACTF32X4 $2, Z%d, X27", c)
			}
			x = "X27"
		}
		if vals {
			a.f("VMOVS%s %s, %d(CX)", v.S[1:], x, j*v.Size)
		}
		return x
	}
	a.f("VMOVAP%s %s, X26", v.P[1:], value(0))
	a.f("XORQ AX, AX")
	for j := 1; j < k; j++ {
		x := value(j)
		a.f("VUCOMI%s %s, X26", v.S, x) // X26 above x: x < best, neither NaN
		a.f("MOVQ $%d, R11", j)
		a.f("CMOVQHI R11, AX")
		a.f("VMIN%s X26, %s, X26", v.S, x) // x < best ? x : best, as the compare above
	}
}

// streamRide prints the chunk loop of a group of four rows with the previous group's sums
// riding along (genStreamKernel): it points AX, R9, DX and BX at the padded sums of the
// previous rows' centers (labels at −16(R10)), less SI (times 2 for float32, whose 64 bytes of a
// row are 128 of sums), so that (reg)(SI*scale) walks them with the rows; R14 holds −2·ldx, so
// the previous rows are (SI)(R14*2), (DI)(R14*2), (SI)(R14*1), (DI)(R14*1). Each chunk of the
// four rows' dot products is followed by the previous rows' same chunk added into their sums in
// row order, then the loop jumps to the tail with BX reloaded (n, from the frame).
func streamRide(a *asm, v variant, P int, lbl string) {
	a.label(lbl + "_ride")
	scale := 1
	if !v.f64() {
		scale = 2
	}
	ptr := []string{"AX", "R9", "DX", "BX"}
	for r, reg := range ptr {
		a.f("MOVLQSX %d(R10), %s", -16+4*r, reg)
		a.f("IMULQ st+88(FP), %s", reg)
		a.f("SHLQ $3, %s", reg)
		a.f("ADDQ acc+80(FP), %s", reg)
		for i := 0; i < scale; i++ {
			a.f("SUBQ SI, %s", reg)
		}
	}
	prevRow := []string{"(SI)(R14*2)", "(DI)(R14*2)", "(SI)(R14*1)", "(DI)(R14*1)"}
	a.label(lbl + "_rchunk")
	for r := 0; r < 4; r++ {
		a.f("PREFETCHT0 %s", rowAt(r, streamPrefetch))
	}
	for s := 0; s < 2; s++ {
		streamStep(a, v, P, 4, 32*s, s*P*64, false)
	}
	for r, reg := range ptr {
		sum := func(off int) string { return fmt.Sprintf("%d(%s)(SI*%d)", off, reg, scale) }
		if v.f64() {
			z := fmt.Sprintf("Z%d", 28+r)
			a.f("VMOVUPD %s, %s", prevRow[r], z)
			a.f("VADDPD %s, %s, %s", sum(0), z, z)
			a.f("VMOVUPD %s, %s", z, sum(0))
			continue
		}
		for h := 0; h < 2; h++ {
			z := fmt.Sprintf("Z%d", 26+(2*r+h)%6)
			a.f("VCVTPS2PD %d%s, %s", 32*h, prevRow[r], z)
			a.f("VADDPD %s, %s, %s", sum(64*h), z, z)
			a.f("VMOVUPD %s, %s", z, sum(64*h))
		}
	}
	a.f("ADDQ $64, SI")
	a.f("ADDQ $64, DI")
	a.f("ADDQ $%d, R11", 2*P*64)
	a.f("DECQ CX")
	a.f("JNE %s_rchunk", lbl)
	a.f("MOVQ n+16(FP), BX")
}

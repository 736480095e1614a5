package main

import "fmt"

// The streaming labels pass for few centers and rows of a few hundred features (AVX-512 only;
// kernels/stream_amd64.go has the why and the measurements).
//
// Rows are read in place, two at a time, front to back: a sequential stream, with every line
// prefetched streamPrefetch bytes ahead. The features go along the lanes in steps of 32 bytes
// (8 float32 / 4 float64): each step of a row is broadcast into both halves of a vector, and the
// centers come in pairs, center 2p in the low half of pair p's vector and 2p+1 in the high half,
// so one FMA advances two (row, center) chains and k centers take ⌈k/2⌉ FMAs a step and row.
// Each lane l of a chain sums x[l+32m/size]·c[l+32m/size] over the steps m in order (FMA from
// zero; lanes past d are zero in the row, masked, and in the packed centers). The lanes are then
// added pairwise, halves first (l + l+4, then l + l+2, then l + l+1 for float32; l + l+2, then
// l + l+1 for float64) and the center's value is cnorm − 2·dot in one rounding. The argmin is the
// reference's first strict minimum (a NaN value never wins; a NaN first value stays), with the
// lowest index on ties.

// streamPrefetch is how far ahead of the current step each row's lines are prefetched: about
// two float64 rows of 256 features (measured in a C model of the pass on an Intel Xeon, Emerald
// Rapids: 2 KB 1.38–1.45× a plain read's time, 4 KB 1.27–1.36×, 8 KB 1.31–1.35×, no prefetch
// 1.60–1.86×; 10⁶×256 float32, k = 3; in the pass itself 8 and 16 KB within the noise of 4).
const streamPrefetch = 4096

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
	name := fmt.Sprintf("streamNearest%sAVX512", v.T)
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, cp, cnp *%s, k int, labels *int32, part, vals *%s)\nTEXT ·%s(SB), NOSPLIT, $0-80\n",
		name, goT(v), goT(v), goT(v), name))
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
	a.f("MOVQ part+64(FP), R14")
	v.constBits(a, 0xC000000000000000, 0xC0000000, "Z14", "X14") // −2
	// k in 1…8 (else return): AX is free from here.
	a.f("MOVQ k+48(FP), AX")
	for k := 1; k <= 8; k++ {
		a.f("CMPQ AX, $%d", k)
		a.f("JEQ %s_k%d", name, k)
	}
	a.f("RET")
	for k := 1; k <= 8; k++ {
		genStreamK(a, v, name, k, step)
	}
}

// genStreamK prints the row loop of genStream for k centers. Registers: Z0…Z3 row a's pair
// chains, Z4…Z7 row b's, Z8/Z9 the rows' steps, Z10…Z13 the pair vectors of a step, Z14 −2;
// SI row a, DI row b, R11 the packed centers' step, CX the chunk count, AX/CX the argmin.
func genStreamK(a *asm, v variant, name string, k, step int) {
	P := (k + 1) / 2
	lbl := fmt.Sprintf("%s_k%d", name, k)
	a.label(lbl)
	// Two rows at a time; a last odd row is run as both (b = a) and stored once.
	a.label(lbl + "_pair")
	a.f("MOVQ SI, DI")
	a.f("CMPQ BX, $1")
	a.f("JEQ %s_one", lbl)
	a.f("ADDQ R8, DI")
	a.label(lbl + "_one")
	for p := 0; p < 2*P; p++ {
		v.zero(a, fmt.Sprintf("Z%d", chainReg(p, P)))
	}
	a.f("MOVQ R12, R11")
	a.f("MOVQ R9, CX")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_tail", lbl)
	a.label(lbl + "_chunk")
	a.f("PREFETCHT0 %d(SI)", streamPrefetch)
	a.f("PREFETCHT0 %d(DI)", streamPrefetch)
	for s := 0; s < 2; s++ {
		streamStep(a, v, P, 32*s, s*P*64, false)
	}
	a.f("ADDQ $64, SI")
	a.f("ADDQ $64, DI")
	a.f("ADDQ $%d, R11", 2*P*64)
	a.f("DECQ CX")
	a.f("JNE %s_chunk", lbl)
	a.label(lbl + "_tail")
	// A whole step left (DX ≥ step), then the masked partial one (K1 not empty).
	a.f("CMPQ DX, $%d", step)
	a.f("JLT %s_part", lbl)
	streamStep(a, v, P, 0, 0, false)
	a.f("ADDQ $32, SI")
	a.f("ADDQ $32, DI")
	a.f("ADDQ $%d, R11", P*64)
	a.label(lbl + "_part")
	a.f("KORTESTW K1, K1")
	a.f("JEQ %s_reduce", lbl)
	streamStep(a, v, P, 0, 0, true)
	a.label(lbl + "_reduce")
	for p := 0; p < 2*P; p++ {
		streamReduce(a, v, chainReg(p, P), p%P)
	}
	// Row a: label and minimum; then row b unless it was row a again.
	streamArgmin(a, v, k, 0, P, lbl+"_a")
	a.f("CMPQ BX, $1")
	a.f("JEQ %s_done", lbl)
	streamArgmin(a, v, k, 1, P, lbl+"_b")
	// Next pair: SI is the row after b's start.
	a.f("MOVQ x+0(FP), SI")
	a.f("LEAQ (SI)(R8*2), SI")
	a.f("MOVQ SI, x+0(FP)")
	a.f("SUBQ $2, BX")
	a.f("JNE %s_pair", lbl)
	a.label(lbl + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// chainReg is the register of chain p (pairs 0…P−1 of row a, then row b's).
func chainReg(p, P int) int {
	if p < P {
		return p
	}
	return 4 + p - P
}

// streamStep prints one step of both rows: their 32 bytes at off(SI) and off(DI) broadcast into
// both halves (masked by K1 if partial), times each pair vector at coff(R11), into the chains.
func streamStep(a *asm, v variant, P, off, coff int, partial bool) {
	for r, src := range []string{"SI", "DI"} {
		z := fmt.Sprintf("Z%d", 8+r)
		y := fmt.Sprintf("Y%d", 8+r)
		switch {
		case partial && v.f64():
			a.f("VMOVUPD.Z %d(%s), K1, %s", off, src, y)
			a.f("VINSERTF64X4 $1, %s, %s, %s", y, z, z)
		case partial:
			a.f("VMOVUPS.Z %d(%s), K1, %s", off, src, y)
			a.f("VINSERTF32X8 $1, %s, %s, %s", y, z, z)
		case v.f64():
			a.f("VBROADCASTF64X4 %d(%s), %s", off, src, z)
		default:
			a.f("VBROADCASTF32X8 %d(%s), %s", off, src, z)
		}
	}
	for p := 0; p < P; p++ {
		a.f("VMOVUP%s %d(R11), Z%d", v.P[1:], coff+64*p, 10+p)
	}
	for p := 0; p < P; p++ {
		a.f("VFMADD231%s Z%d, Z8, Z%d", v.P, 10+p, chainReg(p, P))
		a.f("VFMADD231%s Z%d, Z9, Z%d", v.P, 10+p, chainReg(P+p, P))
	}
}

// streamReduce adds the lanes of each half of chain register c pairwise (see the top of the
// file) and turns the two dot products into cnp[pair] − 2·dot: center 2·pair's value in lane 0,
// 2·pair+1's in the high half's first lane.
func streamReduce(a *asm, v variant, c, pair int) {
	z := fmt.Sprintf("Z%d", c)
	if v.f64() {
		a.f("VSHUFF64X2 $0xB1, %s, %s, Z15", z, z)
		a.f("VADDPD Z15, %s, %s", z, z)
		a.f("VPERMILPD $0x55, %s, Z15", z)
		a.f("VADDPD Z15, %s, %s", z, z)
	} else {
		a.f("VSHUFF32X4 $0xB1, %s, %s, Z15", z, z)
		a.f("VADDPS Z15, %s, %s", z, z)
		a.f("VPERMILPS $0x4E, %s, Z15", z)
		a.f("VADDPS Z15, %s, %s", z, z)
		a.f("VPERMILPS $0xB1, %s, Z15", z)
		a.f("VADDPS Z15, %s, %s", z, z)
	}
	a.f("VFMADD213%s %d(R13), Z14, %s", v.P, 64*pair, z)
}

// streamArgmin stores row r's (0: a, 1: b) label at R10 and minimum at R14 and values at
// vals+72(FP) (each where not nil) and moves them on: the first strict minimum over the k values
// (X8 the best so far, X9 the next value; AX the label, R11 and CX free).
func streamArgmin(a *asm, v variant, k, r, P int, lbl string) {
	a.f("MOVQ vals+72(FP), CX")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_novals", lbl)
	streamArgminK(a, v, k, r, P, true)
	a.f("ADDQ $%d, CX", k*v.Size)
	a.f("MOVQ CX, vals+72(FP)")
	a.f("JMP %s_store", lbl)
	a.label(lbl + "_novals")
	streamArgminK(a, v, k, r, P, false)
	a.label(lbl + "_store")
	a.f("TESTQ R10, R10")
	a.f("JEQ %s_nolabel", lbl)
	a.f("MOVL AX, (R10)")
	a.f("ADDQ $4, R10")
	a.label(lbl + "_nolabel")
	a.f("TESTQ R14, R14")
	a.f("JEQ %s_nopart", lbl)
	a.f("VMOVS%s X8, (R14)", v.S[1:])
	a.f("ADDQ $%d, R14", v.Size)
	a.label(lbl + "_nopart")
}

// streamArgminK is streamArgmin's minimum, storing each value at CX if vals.
func streamArgminK(a *asm, v variant, k, r, P int, vals bool) {
	value := func(j int) string { // the register holding center j's value, in lane 0
		c := chainReg(r*P+j/2, P)
		x := fmt.Sprintf("X%d", c)
		if j%2 == 1 {
			if v.f64() {
				a.f("VEXTRACTF64X2 $2, Z%d, X9", c)
			} else {
				a.f("VEXTRACTF32X4 $2, Z%d, X9", c)
			}
			x = "X9"
		}
		if vals {
			a.f("VMOVS%s %s, %d(CX)", v.S[1:], x, j*v.Size)
		}
		return x
	}
	a.f("VMOVAP%s %s, X8", v.P[1:], value(0))
	a.f("XORQ AX, AX")
	for j := 1; j < k; j++ {
		x := value(j)
		a.f("UCOMI%s %s, X8", v.S, x) // X8 above x: x < best, neither NaN
		a.f("MOVQ $%d, R11", j)
		a.f("CMOVQHI R11, AX")
		a.f("VMIN%s X8, %s, X8", v.S, x) // x < best ? x : best, as the compare above
	}
}

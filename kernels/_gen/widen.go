package main

import "fmt"

// genWiden prints widen<ISA>(dst *float64, src *float32, n int), once per instruction set (on
// its float64 variant): dst[i] = float64(src[i]) for i < n, a vector of floats at a time
// (exact, as the scalar conversion), and while it reads each 64-byte line of src it prefetches
// the line n·4 bytes further on: the caller widens a matrix block by block, so that is the same
// place in the next block, requested at the pace the lines are consumed (never faults).
func genWiden(a *asm, v variant) {
	if !v.f64() {
		return
	}
	name := "widen" + v.ISA
	in := v.Lanes * 4 // bytes of float32 per converted vector
	a.raw(fmt.Sprintf("// func %s(dst *float64, src *float32, n int)\nTEXT ·%s(SB), NOSPLIT, $0-24\n", name, name))
	a.f("MOVQ dst+0(FP), DI")
	a.f("MOVQ src+8(FP), SI")
	a.f("MOVQ n+16(FP), CX")
	a.f("MOVQ CX, R8")
	a.f("SHLQ $2, R8")
	per := 64 / in // vectors per line of src
	a.label(name + "_loop")
	a.f("CMPQ CX, $%d", 16)
	a.f("JLT %s_tail", name)
	a.f("PREFETCHT0 (SI)(R8*1)")
	for u := 0; u < per; u++ {
		a.f("VCVTPS2PD %d(SI), %s", u*in, v.reg(u))
	}
	for u := 0; u < per; u++ {
		a.f("VMOVUPD %s, %d(DI)", v.reg(u), u*in*2)
	}
	a.f("ADDQ $64, SI")
	a.f("ADDQ $128, DI")
	a.f("SUBQ $16, CX")
	a.f("JMP %s_loop", name)
	a.label(name + "_tail")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_done", name)
	a.f("VCVTSS2SD (SI), X0, X0")
	a.f("VMOVSD X0, (DI)")
	a.f("ADDQ $4, SI")
	a.f("ADDQ $8, DI")
	a.f("DECQ CX")
	a.f("JMP %s_tail", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// genNarrowShifted prints narrowShifted<ISA>(dst *float32, src *float64, ldx, n, d int, shift
// *float64), once per instruction set (on its float64 variant): for each of the n rows (src +
// i·ldx elements, dst + i·d), dst[j] = float32(src[j] − shift[j]) for j < d, the difference
// rounded to float64 (VSUBPD) and then to float32 (VCVTPD2PS, under the default MXCSR, as Go's
// own conversion compiles), as Go's float32(a − b); a vector of float64 at a time, the tail of a
// row one value at a time. It asks for nothing ahead: in the mixed Lloyd pass, which narrows each
// block of rows straight from DRAM, a prefetch of the next block (as widen's) or of 1 KB ahead in
// the narrowing made the iteration slower (10⁶×32 float64, k = 64, two threads: 38–43 and 38–41
// ms against 36 with the hardware's prefetch alone; BenchmarkMixedLabels, four runs each).
func genNarrowShifted(a *asm, v variant) {
	if !v.f64() {
		return
	}
	name := "narrowShifted" + v.ISA
	a.raw(fmt.Sprintf("// func %s(dst *float32, src *float64, ldx, n, d int, shift *float64)\nTEXT ·%s(SB), NOSPLIT, $0-48\n", name, name))
	narrowShiftedStart(a, name)
	conv, half := "VCVTPD2PSY", "X0"
	if v.avx512() {
		conv, half = "VCVTPD2PS", "Y0"
	}
	a.label(name + "_row")
	a.f("XORQ AX, AX")
	a.label(name + "_vec")
	a.f("LEAQ %d(AX), BX", v.Lanes)
	a.f("CMPQ BX, R9")
	a.f("JG %s_tail", name)
	narrowShiftedVec(a, conv, 0, v.reg(0), half)
	a.f("MOVQ BX, AX")
	a.f("JMP %s_vec", name)
	a.label(name + "_tail")
	a.f("CMPQ AX, R9")
	a.f("JGE %s_next", name)
	narrowShiftedElem(a, "X0")
	a.f("INCQ AX")
	a.f("JMP %s_tail", name)
	a.label(name + "_next")
	narrowShiftedEnd(a, name)
}

// narrowShiftedStart loads the narrowing passes' common arguments (DI dst, SI src, R8 ldx in
// bytes, DX n, R9 d, R10 shift) and leaves for name_done when there is no row.
func narrowShiftedStart(a *asm, name string) {
	a.f("MOVQ dst+0(FP), DI")
	a.f("MOVQ src+8(FP), SI")
	a.f("MOVQ ldx+16(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("MOVQ n+24(FP), DX")
	a.f("MOVQ d+32(FP), R9")
	a.f("MOVQ shift+40(FP), R10")
	a.f("TESTQ DX, DX")
	a.f("JEQ %s_done", name)
}

// narrowShiftedVec prints one vector of a row's values off values past AX: loaded into y, less
// the shift, narrowed by conv into half and stored; y keeps the float64 differences.
func narrowShiftedVec(a *asm, conv string, off int, y, half string) {
	a.f("VMOVUPD %d(SI)(AX*8), %s", 8*off, y)
	a.f("VSUBPD %d(R10)(AX*8), %s, %s", 8*off, y, y)
	a.f("%s %s, %s", conv, y, half)
	a.f("VMOVUPS %s, %d(DI)(AX*4)", half, 4*off)
}

// narrowShiftedElem prints the value at AX: less the shift in X0, narrowed into x (X0 too, if
// the difference is not needed after) and stored.
func narrowShiftedElem(a *asm, x string) {
	a.f("VMOVSD (SI)(AX*8), X0")
	a.f("VSUBSD (R10)(AX*8), X0, X0")
	a.f("VCVTSD2SS X0, X0, %s", x)
	a.f("VMOVSS %s, (DI)(AX*4)", x)
}

// narrowShiftedEnd moves SI and DI to the next row, loops while rows are left and returns.
func narrowShiftedEnd(a *asm, name string) {
	a.f("ADDQ R8, SI")
	a.f("LEAQ (DI)(R9*4), DI")
	a.f("DECQ DX")
	a.f("JNE %s_row", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// genNarrowShiftedNorms prints narrowShiftedNorms<ISA>: narrowShifted's rows (the same
// instructions, the same bits) and, from the same float64 differences, each row's squared
// norm into norms: two chains of FMAs over the whole vectors (4 lanes on AVX2, 8 on AVX-512),
// their lanes added, then the tail's terms one by one. One pass over the rows instead of the
// narrowing and then SqDistRows: on AVX-512 (AMD Zen 5) that second pass was a tenth of one
// mixed Lloyd iteration at 65536×1024, k = 64 (measured: kernels/widen_amd64.go).
func genNarrowShiftedNorms(a *asm, v variant) {
	if !v.f64() {
		return
	}
	name := "narrowShiftedNorms" + v.ISA
	a.raw(fmt.Sprintf("// func %s(dst *float32, src *float64, ldx, n, d int, shift, norms *float64)\nTEXT ·%s(SB), NOSPLIT, $0-56\n", name, name))
	a.f("MOVQ norms+48(FP), R11")
	narrowShiftedStart(a, name)
	conv, halves := "VCVTPD2PSY", [2]string{"X4", "X5"}
	if v.avx512() {
		conv, halves = "VCVTPD2PS", [2]string{"Y4", "Y5"}
	}
	L := v.Lanes
	a.label(name + "_row")
	v.zero(a, v.reg(2))
	v.zero(a, v.reg(3))
	a.f("XORQ AX, AX")
	// One vector of L values off past AX into y (narrowed via x), its squares into acc.
	vec := func(off int, y, x, acc string) {
		narrowShiftedVec(a, conv, off, y, x)
		a.f("VFMADD231PD %s, %s, %s", y, y, acc)
	}
	a.label(name + "_pair")
	a.f("LEAQ %d(AX), BX", 2*L)
	a.f("CMPQ BX, R9")
	a.f("JG %s_one", name)
	vec(0, v.reg(0), halves[0], v.reg(2))
	vec(L, v.reg(1), halves[1], v.reg(3))
	a.f("MOVQ BX, AX")
	a.f("JMP %s_pair", name)
	a.label(name + "_one")
	a.f("LEAQ %d(AX), BX", L)
	a.f("CMPQ BX, R9")
	a.f("JG %s_sum", name)
	vec(0, v.reg(0), halves[0], v.reg(2))
	a.f("MOVQ BX, AX")
	a.label(name + "_sum")
	a.f("VADDPD %s, %s, %s", v.reg(3), v.reg(2), v.reg(2))
	if v.avx512() {
		a.f("VEXTRACTF64X4 $1, Z2, Y3")
		a.f("VADDPD Y3, Y2, Y2")
	}
	a.f("VEXTRACTF128 $1, Y2, X3")
	a.f("VADDPD X3, X2, X2")
	a.f("VPERMILPD $1, X2, X3")
	a.f("VADDSD X3, X2, X2")
	a.label(name + "_tail")
	a.f("CMPQ AX, R9")
	a.f("JGE %s_next", name)
	narrowShiftedElem(a, "X1")
	a.f("VFMADD231SD X0, X0, X2")
	a.f("INCQ AX")
	a.f("JMP %s_tail", name)
	a.label(name + "_next")
	a.f("VMOVSD X2, (R11)")
	a.f("ADDQ $8, R11")
	narrowShiftedEnd(a, name)
}

package main

import "fmt"

// genAccumulate prints accumulate<T><ISA>(x *T, ldx, n, d int, labels *int32, w *T, sums,
// wsum *float64): for each row in order, sums[label] += w_i·x_i element by element (float32
// data widened to float64 first) and wsum[label] += w_i, with w_i = 1 when w is nil. The
// operations on each element are those of the reference loop in the same order (a product
// rounded, then a sum rounded; 1·x is exact), so the results are bitwise equal to it.
func genAccumulate(a *asm, v variant) {
	name := fmt.Sprintf("accumulate%s%s", v.T, v.ISA)
	l64 := 4 // float64 lanes per vector
	if v.avx512() {
		l64 = 8
	}
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, labels *int32, w *%s, sums, wsum *float64)\nTEXT ·%s(SB), NOSPLIT, $0-64\n",
		name, goT(v), goT(v), name))
	shift := 3
	if !v.f64() {
		shift = 2
	}
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", shift)
	a.f("MOVQ n+16(FP), R9")
	a.f("MOVQ d+24(FP), R10")
	a.f("MOVQ labels+32(FP), R11")
	a.f("MOVQ w+40(FP), R12")
	a.f("MOVQ sums+48(FP), R13")
	a.f("MOVQ wsum+56(FP), BX")
	a.f("MOVQ R10, DX")
	a.f("SHLQ $3, DX")
	// The unit weight, 1.0 as float64 in every lane of register 1.
	a.f("MOVQ $%d, AX", int64(0x3FF0000000000000))
	if v.avx512() {
		a.f("VPBROADCASTQ AX, Z1")
	} else {
		a.f("VMOVQ AX, X1") // VEX: see bcastGPR
		a.f("VPBROADCASTQ X1, Y1")
	}
	// X6 stays zero: the merge source of the scalar float32 conversions, so they do not wait
	// on the previous element through the destination's upper bits.
	a.f("VXORPD X6, X6, X6")
	a.f("TESTQ R9, R9")
	a.f("JEQ %s_done", name)
	a.label(name + "_row")
	a.f("MOVLQSX (R11), CX")
	a.f("MOVQ CX, AX")
	a.f("IMULQ DX, AX")
	a.f("LEAQ (R13)(AX*1), DI")
	a.f("TESTQ R12, R12")
	a.f("JEQ %s_unit", name)
	if v.f64() {
		a.f("VBROADCASTSD (R12), %s", v.reg(2))
	} else {
		a.f("VCVTSS2SD (R12), X6, X2")
		a.f("VBROADCASTSD X2, %s", v.reg(2))
	}
	a.f("ADDQ $%d, R12", v.Size)
	a.f("JMP %s_weighted", name)
	a.label(name + "_unit")
	a.f("VMOVAPD %s, %s", v.reg(1), v.reg(2))
	a.label(name + "_weighted")
	a.f("VMOVSD (BX)(CX*8), X3")
	a.f("VADDSD X2, X3, X3")
	a.f("VMOVSD X3, (BX)(CX*8)")
	a.f("MOVQ SI, AX")
	a.f("MOVQ R10, CX")
	a.label(name + "_vec")
	a.f("CMPQ CX, $%d", l64)
	a.f("JLT %s_scalar", name)
	if v.f64() {
		a.f("VMOVUPD (AX), %s", v.reg(4))
	} else {
		a.f("VCVTPS2PD (AX), %s", v.reg(4))
	}
	a.f("VMULPD %s, %s, %s", v.reg(2), v.reg(4), v.reg(4))
	a.f("VADDPD (DI), %s, %s", v.reg(4), v.reg(4))
	a.f("VMOVUPD %s, (DI)", v.reg(4))
	a.f("ADDQ $%d, AX", l64*v.Size)
	a.f("ADDQ $%d, DI", l64*8)
	a.f("SUBQ $%d, CX", l64)
	a.f("JMP %s_vec", name)
	a.label(name + "_scalar")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_next", name)
	// A scalar tail even on AVX-512: a masked store followed by the next row's load of the same
	// center's sums cannot be store-forwarded and stalls (measured: 1.5× slower at d=3, on the
	// benchmark machine, an Intel Xeon with AVX-512, which earlier sessions took for Zen 4).
	a.label(name + "_scalarloop")
	if v.f64() {
		a.f("VMOVSD (AX), X4")
	} else {
		a.f("VCVTSS2SD (AX), X6, X4")
	}
	a.f("VMULSD X2, X4, X4")
	a.f("VADDSD (DI), X4, X4")
	a.f("VMOVSD X4, (DI)")
	a.f("ADDQ $%d, AX", v.Size)
	a.f("ADDQ $8, DI")
	a.f("DECQ CX")
	a.f("JNE %s_scalarloop", name)
	a.label(name + "_next")
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, R11")
	a.f("DECQ R9")
	a.f("JNE %s_row", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

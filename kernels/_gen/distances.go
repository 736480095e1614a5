package main

import "fmt"

// genDistances prints distances<OUT><ISA>(prod *float64, ldp int, cnorm, xnorm *float64, rows,
// cols int, out *OUT, ldo int, root int): for r < rows and j < cols (cols a multiple of the
// float64 lanes), out[r·ldo + j] = √(max(0, xnorm[r] + (cnorm[j] − 2·prod[r·ldp + j]))) rounded
// once to OUT (the root only when root ≠ 0). Always computed in float64; the variant's T names
// the output type.
//
// Each step is one IEEE operation with the reference loop's operands: the FMA gives
// cnorm − 2·prod in one rounding (2·prod is exact), then the add, then MAXPD with 0 as its
// second source, which returns +0 for −0 and for anything not above 0 (the clip), the square
// root and the conversion, both correctly rounded; so every value is the reference's bit for bit.
func genDistances(a *asm, v variant) {
	name := fmt.Sprintf("distances%s%s", v.T, v.ISA)
	out := "float64"
	if !v.f64() {
		out = "float32"
	}
	a.raw(fmt.Sprintf("// func %s(prod *float64, ldp int, cnorm, xnorm *float64, rows, cols int, out *%s, ldo int, root int)\nTEXT ·%s(SB), NOSPLIT, $0-72\n",
		name, out, name))
	lanes := 4
	V := "Y"
	if v.avx512() {
		lanes, V = 8, "Z"
	}
	r := func(i int) string { return fmt.Sprintf("%s%d", V, i) }
	val, m2, zero, xi := r(0), r(1), r(2), r(3)
	outSize := 8
	if !v.f64() {
		outSize = 4
	}
	a.f("MOVQ prod+0(FP), SI")
	a.f("MOVQ ldp+8(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("MOVQ cnorm+16(FP), R10")
	a.f("MOVQ xnorm+24(FP), R11")
	a.f("MOVQ rows+32(FP), CX")
	a.f("MOVQ cols+40(FP), R9")
	a.f("SHRQ $%d, R9", log2(lanes))
	a.f("MOVQ out+48(FP), DI")
	a.f("MOVQ ldo+56(FP), R12")
	a.f("SHLQ $%d, R12", log2(outSize))
	a.f("MOVQ $%d, AX", int64(-0x4000000000000000)) // −2.0
	if v.avx512() {
		a.f("VPBROADCASTQ AX, %s", m2)
		a.f("VPXORQ %s, %s, %s", zero, zero, zero)
	} else {
		a.f("MOVQ AX, X%s", m2[1:])
		a.f("VPBROADCASTQ X%s, %s", m2[1:], m2)
		a.f("VPXOR %s, %s, %s", zero, zero, zero)
	}
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_done", name)
	a.f("TESTQ R9, R9")
	a.f("JEQ %s_done", name)
	a.label(name + "_row")
	a.f("VBROADCASTSD (R11), %s", xi)
	a.f("MOVQ SI, AX")
	a.f("MOVQ R10, BX")
	a.f("MOVQ DI, DX")
	a.f("MOVQ R9, R13")
	a.label(name + "_col")
	a.f("VMOVUPD (AX), %s", val)
	a.f("VFMADD213PD (BX), %s, %s", m2, val) // cnorm − 2·prod
	a.f("VADDPD %s, %s, %s", xi, val, val)
	a.f("VMAXPD %s, %s, %s", zero, val, val) // max(val, +0): +0 unless val > 0
	a.f("CMPQ root+64(FP), $0")
	a.f("JEQ %s_noroot", name)
	a.f("VSQRTPD %s, %s", val, val)
	a.label(name + "_noroot")
	if v.f64() {
		a.f("VMOVUPD %s, (DX)", val)
	} else {
		half, cvt := "X0", "VCVTPD2PSY" // Go's name for the ymm → xmm form
		if v.avx512() {
			half, cvt = "Y0", "VCVTPD2PS"
		}
		a.f("%s %s, %s", cvt, val, half)
		a.f("VMOVUPS %s, (DX)", half)
	}
	a.f("ADDQ $%d, AX", lanes*8)
	a.f("ADDQ $%d, BX", lanes*8)
	a.f("ADDQ $%d, DX", lanes*outSize)
	a.f("DECQ R13")
	a.f("JNE %s_col", name)
	a.f("ADDQ R8, SI")
	a.f("ADDQ $8, R11")
	a.f("ADDQ R12, DI")
	a.f("DECQ CX")
	a.f("JNE %s_row", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

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
	a.f("TESTQ R12, R12")
	a.f("JEQ %s_urow", name)
	accRows(a, v, name, l64, true)
	a.f("JMP %s_done", name)
	accRows(a, v, name, l64, false)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// accRows prints accumulate's loop over the rows, labelled <name>_wrow (weighted: w_i read from
// R12) or <name>_urow (w is nil). The unit rows leave out the product by 1.0, which is exact,
// so both loops give the same bits; it was three of the scalar tail's eight instructions a value
// and a quarter of a Lloyd iteration at 65536×3, k = 64 went to this kernel.
func accRows(a *asm, v variant, name string, l64 int, weighted bool) {
	p := name + "_u"
	if weighted {
		p = name + "_w"
	}
	a.label(p + "row")
	a.f("MOVLQSX (R11), CX")
	if weighted {
		if v.f64() {
			a.f("VBROADCASTSD (R12), %s", v.reg(2))
		} else {
			a.f("VCVTSS2SD (R12), X6, X2")
			a.f("VBROADCASTSD X2, %s", v.reg(2))
		}
		a.f("ADDQ $%d, R12", v.Size)
		a.f("VMOVSD (BX)(CX*8), X3")
		a.f("VADDSD X2, X3, X3")
	} else {
		a.f("VMOVSD (BX)(CX*8), X3")
		a.f("VADDSD X1, X3, X3")
	}
	a.f("VMOVSD X3, (BX)(CX*8)")
	a.f("IMULQ DX, CX")
	a.f("LEAQ (R13)(CX*1), DI")
	a.f("MOVQ SI, AX")
	a.f("MOVQ R10, CX")
	a.label(p + "vec")
	a.f("CMPQ CX, $%d", l64)
	a.f("JLT %sscalar", p)
	if v.f64() {
		a.f("VMOVUPD (AX), %s", v.reg(4))
	} else {
		a.f("VCVTPS2PD (AX), %s", v.reg(4))
	}
	if weighted {
		a.f("VMULPD %s, %s, %s", v.reg(2), v.reg(4), v.reg(4))
	}
	a.f("VADDPD (DI), %s, %s", v.reg(4), v.reg(4))
	a.f("VMOVUPD %s, (DI)", v.reg(4))
	a.f("ADDQ $%d, AX", l64*v.Size)
	a.f("ADDQ $%d, DI", l64*8)
	a.f("SUBQ $%d, CX", l64)
	a.f("JMP %svec", p)
	a.label(p + "scalar")
	a.f("TESTQ CX, CX")
	a.f("JEQ %snext", p)
	// A scalar tail even on AVX-512: a masked store followed by the next row's load of the same
	// center's sums cannot be store-forwarded and stalls (measured: 1.5× slower at d=3, on the
	// benchmark machine, an Intel Xeon with AVX-512, which earlier sessions took for Zen 4).
	// The tail counts an index up from −len to 0, so a value costs its load, add and store and
	// one fused increment-and-branch.
	a.f("LEAQ (AX)(CX*%d), AX", v.Size)
	a.f("LEAQ (DI)(CX*8), DI")
	a.f("NEGQ CX")
	a.label(p + "scalarloop")
	if v.f64() {
		a.f("VMOVSD (AX)(CX*8), X4")
	} else {
		a.f("VCVTSS2SD (AX)(CX*4), X6, X4")
	}
	if weighted {
		a.f("VMULSD X2, X4, X4")
	}
	a.f("VADDSD (DI)(CX*8), X4, X4")
	a.f("VMOVSD X4, (DI)(CX*8)")
	a.f("INCQ CX")
	a.f("JNE %sscalarloop", p)
	a.label(p + "next")
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, R11")
	a.f("DECQ R9")
	a.f("JNE %srow", p)
}

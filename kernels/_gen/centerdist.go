package main

import "fmt"

// genCenterDists prints centerDists<OUT>AVX512(x *float64, ldx, n, d int, ct *float64, k int,
// out *OUT, ldo int) for OUT float64 and float32, on the AVX-512 float64 variant only (AVX2's 16
// registers cannot hold the 16 partial sums and their temporaries).
//
// For each of the n rows x_r (d float64, d a positive multiple of 16, row stride ldx elements)
// and each center j < k: out[r·ldo + j] = OUT(√s), s = Σ_i (x_ri − c_ji)² added as
// sqDistGeneric adds it: the difference in float64, one fused multiply-add into partial sum
// i mod 16 in index order, then the sixteen sums folded pairwise (s[j] += s[j+h] for h = 8, 4,
// 2, 1); the root rounded once to float64 (VSQRTPD, as math.Sqrt) and then once to OUT. The
// centers come as a panel ct of ⌈k/8⌉ groups of d rows of 8 values (center 8g+l's feature i at
// ct[(g·d + i)·8 + l], lanes past k zero), so the eight lanes of a register carry eight
// centers: a row against eight centers takes d broadcasts, subtractions and FMAs and fifteen
// vertical additions, where one pair at a time (sqDistRows) folded sixteen sums across lanes
// for every pair. Rows past their real features hold zeros, as the panel does: those terms add
// (0 − 0)² = +0 to a sum of squares, which leaves it unchanged.
func genCenterDists(a *asm, v variant) {
	if !v.avx512() || !v.f64() {
		return
	}
	genCenterDistsOut(a, "F64")
	a.raw("\n")
	genCenterDistsOut(a, "F32")
}

func genCenterDistsOut(a *asm, out string) {
	name := fmt.Sprintf("centerDists%sAVX512", out)
	goOut := map[string]string{"F64": "float64", "F32": "float32"}[out]
	outSize := map[string]int{"F64": 8, "F32": 4}[out]
	a.raw(fmt.Sprintf("// func %s(x *float64, ldx, n, d int, ct *float64, k int, out *%s, ldo int)\nTEXT ·%s(SB), NOSPLIT, $0-64\n",
		name, goOut, name))
	a.f("MOVQ x+0(FP), R8")
	a.f("MOVQ ldx+8(FP), R9")
	a.f("SHLQ $3, R9") // row stride in bytes
	a.f("MOVQ n+16(FP), R10")
	a.f("MOVQ d+24(FP), R11")
	a.f("MOVQ ct+32(FP), R12")
	a.f("MOVQ k+40(FP), R13")
	a.f("MOVQ out+48(FP), R14")
	a.f("MOVQ ldo+56(FP), BX")
	a.f("SHLQ $%d, BX", map[string]int{"F64": 3, "F32": 2}[out]) // out's row stride in bytes
	a.label(name + "_row")
	a.f("TESTQ R10, R10")
	a.f("JEQ %s_end", name)
	a.f("MOVQ R12, DI") // the panel's groups follow one another: DI walks them all
	a.f("MOVQ R14, AX")
	a.f("MOVQ R13, DX") // centers left
	a.label(name + "_group")
	a.f("TESTQ DX, DX")
	a.f("JLE %s_next", name)
	for u := 0; u < 16; u++ {
		a.f("VPXORQ Z%d, Z%d, Z%d", u, u, u)
	}
	a.f("MOVQ R8, SI")
	a.f("MOVQ R11, CX")
	a.label(name + "_feat")
	for u := 0; u < 16; u++ { // feature u of the block: its difference into sum u, in Z(16+u)
		t := fmt.Sprintf("Z%d", 16+u)
		a.f("VBROADCASTSD %d(SI), %s", 8*u, t)
		a.f("VSUBPD %d(DI), %s, %s", 64*u, t, t)
		a.f("VFMADD231PD %s, %s, Z%d", t, t, u)
	}
	a.f("ADDQ $128, SI")
	a.f("ADDQ $1024, DI")
	a.f("SUBQ $16, CX")
	a.f("JNE %s_feat", name)
	for h := 8; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			a.f("VADDPD Z%d, Z%d, Z%d", j+h, j, j)
		}
	}
	a.f("VSQRTPD Z0, Z0")
	// K1: the group's centers, eight or the k mod 8 of the last group.
	a.f("MOVQ $255, SI")
	a.f("CMPQ DX, $8")
	a.f("JGE %s_mask", name)
	a.f("MOVQ DX, CX")
	a.f("MOVQ $1, SI")
	a.f("SHLQ CX, SI")
	a.f("DECQ SI")
	a.label(name + "_mask")
	a.f("KMOVW SI, K1")
	if out == "F64" {
		a.f("VMOVUPD Z0, K1, (AX)")
	} else {
		a.f("VCVTPD2PS Z0, Y0")
		a.f("VMOVUPS Y0, K1, (AX)")
	}
	a.f("ADDQ $%d, AX", 8*outSize)
	a.f("SUBQ $8, DX")
	a.f("JMP %s_group", name)
	a.label(name + "_next")
	a.f("ADDQ R9, R8")
	a.f("ADDQ BX, R14")
	a.f("DECQ R10")
	a.f("JMP %s_row", name)
	a.label(name + "_end")
	a.f("VZEROUPPER")
	a.f("RET")
}

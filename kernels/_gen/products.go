package main

import (
	"fmt"
	"math"
)

// genProducts prints nearestProducts<T><ISA>(prod *T, ld, n, k int, cnorm *T, labels *int32,
// part *T), the argmin of NearestProducts* for k a multiple of Lanes: for each of the n rows
// (row i at prod + i·ld elements) the minimum over j of cnorm[j] − 2·prod[j] and the lowest j
// attaining it.
//
// A row's values are taken a vector at a time (one FMA each: the value in one rounding, as in
// the tiles). Lane l keeps the running minimum of the values j ≡ l (mod Lanes) with a strict
// comparison, so its index is the lowest attaining that lane's minimum; at the end the row's
// minimum is the least of the lanes, and its label the least index among the lanes that hold
// it: the lowest j overall, the reference's tie rule. Indices travel as floating-point values
// of the element type (exact below 2^24 for float32; the wrapper checks k), so every variant
// needs only the float instructions AVX2 has.
func genProducts(a *asm, v variant) {
	name := fmt.Sprintf("nearestProducts%s%s", v.T, v.ISA)
	iota := name + "Iota<>"
	for l := 0; l < v.Lanes; l++ {
		if v.f64() {
			a.raw(fmt.Sprintf("DATA %s+%d(SB)/8, $0x%016x\n", iota, l*8, math.Float64bits(float64(l))))
		} else {
			a.raw(fmt.Sprintf("DATA %s+%d(SB)/4, $0x%08x\n", iota, l*4, math.Float32bits(float32(l))))
		}
	}
	a.raw(fmt.Sprintf("GLOBL %s(SB), RODATA|NOPTR, $%d\n\n", iota, v.Lanes*v.Size))
	a.raw(fmt.Sprintf("// func %s(prod *%s, ld, n, k int, cnorm *%s, labels *int32, part *%s)\nTEXT ·%s(SB), NOSPLIT, $0-56\n",
		name, goT(v), goT(v), goT(v), name))
	r := v.reg
	best, bidx, jv, val, t1, t2, cand, mask := r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7)
	m2, inf, lane0, step := r(8), r(9), r(10), r(11)
	x := func(reg string) string { return "X" + reg[1:] }
	a.f("MOVQ prod+0(FP), SI")
	a.f("MOVQ ld+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("MOVQ n+16(FP), CX")
	a.f("MOVQ k+24(FP), R9")
	a.f("SHRQ $%d, R9", log2(v.Lanes))
	a.f("MOVQ cnorm+32(FP), R10")
	a.f("MOVQ labels+40(FP), DI")
	a.f("MOVQ part+48(FP), R11")
	v.constBits(a, 0xC000000000000000, 0xC0000000, m2, x(m2)) // −2
	v.constBits(a, 0x7FF0000000000000, 0x7F800000, inf, x(inf))
	v.constBits(a, math.Float64bits(float64(v.Lanes)), uint64(math.Float32bits(float32(v.Lanes))), step, x(step))
	a.f("VMOVU%s %s(SB), %s", v.P, iota, lane0)
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_done", name)
	a.label(name + "_row")
	a.f("VMOVAP%s %s, %s", v.P[1:], inf, best)
	a.f("VMOVAP%s %s, %s", v.P[1:], lane0, bidx)
	a.f("VMOVAP%s %s, %s", v.P[1:], lane0, jv)
	a.f("MOVQ SI, AX")
	a.f("MOVQ R10, BX")
	a.f("MOVQ R9, DX")
	a.label(name + "_group")
	a.f("VMOVU%s (AX), %s", v.P, val)
	a.f("VFMADD213%s (BX), %s, %s", v.P, m2, val) // cnorm − 2·prod, one rounding
	if v.avx512() {
		a.f("VCMP%s $1, %s, %s, K1", v.P, best, val) // val < best
		a.f("VMOVAP%s %s, K1, %s", v.P[1:], val, best)
		a.f("VMOVAP%s %s, K1, %s", v.P[1:], jv, bidx)
	} else {
		a.f("VCMP%s $1, %s, %s, %s", v.P, best, val, mask)
		a.f("VBLENDV%s %s, %s, %s, %s", v.P, mask, val, best, best)
		a.f("VBLENDV%s %s, %s, %s, %s", v.P, mask, jv, bidx, bidx)
	}
	a.f("VADD%s %s, %s, %s", v.P, step, jv, jv)
	a.f("ADDQ $%d, AX", v.Lanes*v.Size)
	a.f("ADDQ $%d, BX", v.Lanes*v.Size)
	a.f("DECQ DX")
	a.f("JNE %s_group", name)
	// The row's minimum into every lane of t2 (and the low lane of t1).
	hmin(a, v, best, t1, t2)
	if v.avx512() {
		a.f("VCMP%s $0, %s, %s, K2", v.P, t2, best) // best == min
		a.f("VMOVAP%s %s, %s", v.P[1:], inf, cand)
		a.f("VMOVAP%s %s, K2, %s", v.P[1:], bidx, cand)
	} else {
		a.f("VCMP%s $0, %s, %s, %s", v.P, t2, best, mask)
		a.f("VBLENDV%s %s, %s, %s, %s", v.P, mask, bidx, inf, cand)
	}
	a.f("VMOV%s %s, (R11)", v.S, x(t1))
	hmin(a, v, cand, t1, t2)
	a.f("VCVTT%s2SI %s, AX", v.S, x(t1))
	a.f("MOVL AX, (DI)")
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, DI")
	a.f("ADDQ $%d, R11", v.Size)
	a.f("DECQ CX")
	a.f("JNE %s_row", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// hmin puts the least lane of src into the low lane of lo and into every lane of all.
func hmin(a *asm, v variant, src, lo, all string) {
	x := func(reg string) string { return "X" + reg[1:] }
	y := func(reg string) string { return "Y" + reg[1:] }
	if v.avx512() {
		a.f("VEXTRACTF64X4 $1, %s, %s", src, y(lo))
		a.f("VMIN%s %s, %s, %s", v.P, y(lo), y(src), y(lo))
	} else {
		a.f("VMOVAP%s %s, %s", v.P[1:], src, lo)
	}
	a.f("VEXTRACTF128 $1, %s, %s", y(lo), x(all))
	a.f("VMIN%s %s, %s, %s", v.P, x(all), x(lo), x(lo))
	if v.f64() {
		a.f("VPERMILPD $1, %s, %s", x(lo), x(all))
		a.f("VMINSD %s, %s, %s", x(all), x(lo), x(lo))
		a.f("VBROADCASTSD %s, %s", x(lo), all)
		return
	}
	a.f("VPERMILPS $0x4E, %s, %s", x(lo), x(all))
	a.f("VMINPS %s, %s, %s", x(all), x(lo), x(lo))
	a.f("VPERMILPS $0xB1, %s, %s", x(lo), x(all))
	a.f("VMINSS %s, %s, %s", x(all), x(lo), x(lo))
	a.f("VBROADCASTSS %s, %s", x(lo), all)
}

package main

import "fmt"

// genProductsMargin prints nearestProductsMarginF32<ISA>(prod *float32, ld, n, k int, cnorm,
// margin *float32, labels *int32) int, for 32 < k ≤ 64 only (on the float32 variants; the others
// print nothing): nearestProductsMargin's labels and count bit for bit. The AVX-512 kernel takes
// any such k; the AVX2 one k a multiple of 8.
//
// A row is productsInRegisters' row: its values cnorm − 2·prod (one FMA each) in registers,
// +Inf past k (AVX-512: masked lanes, and the norms held in four registers too; AVX2: whole
// vectors past k, the norms read by the FMAs from L1, as 16 registers hold only the values and
// the scratch); the least value m (VMIN from v_0, NaN values passed over) and the lowest lane
// equal to it. Then each value's distance above m, value − m in one rounding, is compared with
// the row's margin as "not greater" (true for NaN, so a NaN value or margin makes the row
// unsure), and the lanes that pass are counted: m's own lane always does (0 ≤ margin), so a
// count above one means another center lies within the margin and the label is −1. A +Inf lane
// past k is counted only where every real lane is too (m or the margin +Inf), so the count
// decides as the reference's over the k real lanes does.
func genProductsMargin(a *asm, v variant) {
	if v.f64() {
		return
	}
	name := "nearestProductsMarginF32" + v.ISA
	a.raw(fmt.Sprintf("// func %s(prod *float32, ld, n, k int, cnorm, margin *float32, labels *int32) int\nTEXT ·%s(SB), NOSPLIT, $0-64\n",
		name, name))
	r := v.reg
	m, mb, t1, t2, m2, inf, mg, diff := r(0), r(3), r(4), r(5), r(8), r(9), r(10), r(11)
	x := func(reg string) string { return "X" + reg[1:] }
	groups := 64 / v.Lanes // 64 lanes of float32
	val := func(g int) string { return r(16 + g) }
	cn := func(g int) string { return r(16 + groups + g) }
	if !v.avx512() {
		// Sixteen registers: the eight vectors of values in 8–15 and the scratch below.
		m, m2, mg, mb, t1, t2, diff, inf = r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7)
		val = func(g int) string { return r(8 + g) }
	}
	a.f("MOVQ prod+0(FP), SI")
	a.f("MOVQ ld+8(FP), R8")
	a.f("SHLQ $2, R8")
	a.f("MOVQ n+16(FP), DX")
	a.f("MOVQ k+24(FP), R9")
	a.f("MOVQ cnorm+32(FP), R10")
	a.f("MOVQ margin+40(FP), R11")
	a.f("MOVQ labels+48(FP), DI")
	v.constBits(a, 0xC000000000000000, 0xC0000000, m2, x(m2)) // −2 (through AX)
	v.constBits(a, 0x7FF0000000000000, 0x7F800000, inf, x(inf))
	a.f("XORQ AX, AX") // rows made unsure
	a.f("TESTQ DX, DX")
	a.f("JEQ %s_done", name)
	if v.avx512() {
		// The lanes of vectors 2 and 3 below k, as masks K2 and K3 (the first two vectors, 32
		// lanes, are whole): their loads and FMAs are masked, so the lanes past k keep +Inf and
		// nothing past the row is read (a masked-off lane never faults).
		laneMask(a, name+"_m2", 32, "K2")
		laneMask(a, name+"_m3", 48, "K3")
	}
	mask := func(g int) string { return []string{"", "", "K2, ", "K3, "}[g] }
	if v.avx512() {
		for g := 0; g < groups; g++ {
			if g >= 2 {
				a.f("VMOVAPS %s, %s", inf, cn(g))
			}
			a.f("VMOVUPS %d(R10), %s%s", g*v.Lanes*v.Size, mask(g), cn(g))
		}
	}
	a.label(name + "_row")
	for g := 0; g < groups; g++ {
		if !v.avx512() {
			presentVector(a, v, g, val(g), inf, fmt.Sprintf("%s_vals%d", name, g), func() {
				a.f("VMOVUPS %d(SI), %s", g*v.Lanes*v.Size, val(g))
				a.f("VFMADD213PS %d(R10), %s, %s", g*v.Lanes*v.Size, m2, val(g)) // cnorm − 2·prod
			})
			continue
		}
		if g >= 2 {
			a.f("VMOVAPS %s, %s", inf, val(g))
		}
		a.f("VMOVUPS %d(SI), %s%s", g*v.Lanes*v.Size, mask(g), val(g))
		a.f("VFMADD213PS %s, %s, %s%s", cn(g), m2, mask(g), val(g)) // cnorm − 2·prod, one rounding
	}
	vals := make([]string, groups)
	for g := range vals {
		vals[g] = val(g)
	}
	leastLane(a, v, vals, m, mb, t1, t2, diff, name+"_count") // t2: m in every lane, R13 its lane
	a.f("VBROADCASTSS (R11), %s", mg)
	a.f("XORQ BX, BX")
	for g := 0; g < groups; g++ {
		a.f("VSUBPS %s, %s, %s", t2, val(g), diff) // value − m
		if v.avx512() {
			a.f("VCMPPS $0x0A, %s, %s, K1", mg, diff) // not (value − m > margin)
			a.f("KMOVW K1, CX")
		} else {
			a.f("VCMPPS $0x0A, %s, %s, %s", mg, diff, diff)
			a.f("VMOVMSKPS %s, CX", diff)
		}
		a.f("POPCNTL CX, CX")
		a.f("ADDQ CX, BX")
	}
	a.f("CMPQ BX, $1")
	a.f("JLE %s_store", name)
	a.f("MOVQ $-1, R13")
	a.f("INCQ AX")
	a.label(name + "_store")
	a.f("MOVL R13, (DI)")
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, DI")
	a.f("ADDQ $4, R11")
	a.f("DECQ DX")
	a.f("JNE %s_row", name)
	a.label(name + "_done")
	a.f("MOVQ AX, ret+56(FP)")
	a.f("VZEROUPPER")
	a.f("RET")
}

// laneMask sets mask register k to the lanes of a 16-lane vector starting at lane first that lie
// below k (R9): none, all, or the low k − first. Uses BX and CX.
func laneMask(a *asm, name string, first int, k string) {
	a.f("MOVQ R9, CX")
	a.f("SUBQ $%d, CX", first)
	a.f("XORL BX, BX")
	a.f("CMPQ CX, $0")
	a.f("JLE %s_set", name)
	a.f("MOVL $0xFFFF, BX")
	a.f("CMPQ CX, $16")
	a.f("JGE %s_set", name)
	a.f("MOVL $1, BX")
	a.f("SHLL CX, BX")
	a.f("DECL BX")
	a.label(name + "_set")
	a.f("KMOVW BX, %s", k)
}

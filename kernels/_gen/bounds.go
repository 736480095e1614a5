package main

// genLoosenBounds prints, for AVX-512 float64 only,
// loosenBoundsAVX512(n int, labels *int32, upper, lower, xn, own, other, twoHalf *float64,
// cmax, slack float64) (settled uint64): kernels.LoosenBounds for n ≤ 64 rows, eight rows a
// turn, the last turn masked. The per-center values of a row's label come by gathers; every
// other step is the reference loop's operation on eight rows at once, each a single IEEE
// operation with the reference's operands (a sum or product whose operands the reference
// gives in the other order is the same number), so bounds and verdicts are bit for bit the
// reference's on finite values.
func genLoosenBounds(a *asm, v variant) {
	if !v.avx512() || !v.f64() {
		return
	}
	name := "loosenBoundsAVX512"
	a.raw("// func " + name + "(n int, labels *int32, upper, lower, xn, own, other, twoHalf *float64, cmax, slack float64) (settled uint64)\n")
	a.raw("TEXT ·" + name + "(SB), NOSPLIT, $0-88\n")
	a.f("MOVQ n+0(FP), CX")
	a.f("MOVQ labels+8(FP), R8")
	a.f("MOVQ upper+16(FP), R9")
	a.f("MOVQ lower+24(FP), R10")
	a.f("MOVQ xn+32(FP), R11")
	a.f("MOVQ own+40(FP), R12")
	a.f("MOVQ other+48(FP), R13")
	a.f("MOVQ twoHalf+56(FP), R14")
	a.f("VBROADCASTSD cmax+64(FP), Z23")
	a.f("VBROADCASTSD slack+72(FP), Z24")
	a.f("MOVQ $0x3ff0000000001000, BX") // roundUp = 1 + 2⁻⁴⁰
	a.f("VPBROADCASTQ BX, Z20")
	a.f("MOVQ $0x3fefffffffffe000, BX") // roundDown = 1 − 2⁻⁴⁰
	a.f("VPBROADCASTQ BX, Z21")
	a.f("VPXORQ Z22, Z22, Z22") // +0
	a.f("XORQ AX, AX")          // the settled rows' bits
	a.f("XORQ DX, DX")          // the first row's bit of this turn
	a.f("MOVL $0xff, BX")
	a.f("KMOVB BX, K7") // the turn's rows: all eight but in the last, partial turn
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_done", name)
	a.label(name + "_turn")
	a.f("CMPQ CX, $8")
	a.f("JGE %s_rows", name)
	a.f("MOVQ $1, BX")
	a.f("SHLQ CX, BX")
	a.f("DECQ BX")
	a.f("KMOVB BX, K7")
	a.label(name + "_rows")
	a.f("VMOVDQU32.Z (R8), K7, Y1")
	// The gathers clear their masks as they go: one copy each. Their targets start at zero so
	// that no lane waits on an older value.
	for i, base := range []string{"R12", "R13", "R14"} {
		a.f("KMOVB K7, K%d", 1+i)
		a.f("VPXORQ Z%d, Z%d, Z%d", 2+i, 2+i, 2+i)
		a.f("VGATHERDPD (%s)(Y1*8), K%d, Z%d", base, 1+i, 2+i)
	}
	// up = (upper + own[a])·roundUp
	a.f("VMOVUPD.Z (R9), K7, Z5")
	a.f("VADDPD Z2, Z5, Z5")
	a.f("VMULPD Z20, Z5, Z5")
	a.f("VMOVUPD Z5, K7, (R9)")
	// low = max(0, (lower − other[a])·roundDown): on equal zeros VMAXPD returns its second
	// source (the +0), as Go's max(0, −0) = +0.
	a.f("VMOVUPD.Z (R10), K7, Z6")
	a.f("VSUBPD Z3, Z6, Z6")
	a.f("VMULPD Z21, Z6, Z6")
	a.f("VMAXPD Z22, Z6, Z6")
	a.f("VMOVUPD Z6, K7, (R10)")
	// lb = max(low, twoHalf[a] − up)
	a.f("VSUBPD Z5, Z4, Z7")
	a.f("VMAXPD Z7, Z6, Z8")
	// 2δ = 2·((slack·s)·s), s = xn + cmax
	a.f("VMOVUPD.Z (R11), K7, Z9")
	a.f("VADDPD Z23, Z9, Z9")
	a.f("VMULPD Z9, Z24, Z10")
	a.f("VMULPD Z9, Z10, Z10")
	a.f("VADDPD Z10, Z10, Z10")
	// settled: lb > up and (lb − up)·(lb + up) > 2δ (ordered: false on NaN, as Go's >)
	a.f("VCMPPD $0x1e, Z5, Z8, K7, K4")
	a.f("VSUBPD Z5, Z8, Z11")
	a.f("VADDPD Z5, Z8, Z12")
	a.f("VMULPD Z12, Z11, Z11")
	a.f("VCMPPD $0x1e, Z10, Z11, K4, K5")
	a.f("KMOVB K5, BX")
	a.f("SHLXQ DX, BX, BX")
	a.f("ORQ BX, AX")
	a.f("ADDQ $8, DX")
	a.f("ADDQ $32, R8")
	a.f("ADDQ $64, R9")
	a.f("ADDQ $64, R10")
	a.f("ADDQ $64, R11")
	a.f("SUBQ $8, CX")
	a.f("JG %s_turn", name)
	a.label(name + "_done")
	a.f("MOVQ AX, settled+80(FP)")
	a.f("VZEROUPPER")
	a.f("RET")
}

package main

// genNorms8 prints, for AVX-512 float64 only, sqNorms8F64AVX512(x *float64, ldx, d int, out
// *float64): out[r] = ‖row r‖² for the 8 rows of d features (d a multiple of 8, ≥ 8) starting
// at x, row stride ldx elements, each value bit for bit what dotF64AVX512(row, row, d) returns.
//
// Each row is summed exactly as the dot kernel sums it: four accumulators over blocks of 32
// features (a fused multiply-add from zero for the first block), further blocks of 8 into the
// first, then (a0+a1)+(a2+a3). The dot kernel then folds that vector per row (upper 256 bits
// onto the lower, then 128, then the two lanes); here the same additions of the same pairs are
// done for eight rows at once, across registers, by 128-bit shuffles and unpacks (addition is
// commutative, so only which pairs are added matters), and one store writes the eight norms.
// The dot kernel's last step adds its scalar tail's accumulator, 0 when d is a multiple of 8,
// and s + 0 = s for a sum of squares (never −0): it is left out.
func genNorms8(a *asm, v variant) {
	if !v.avx512() || !v.f64() {
		return
	}
	name := "sqNorms8F64AVX512"
	a.raw("// func " + name + "(x *float64, ldx, d int, out *float64)\nTEXT ·" + name + "(SB), NOSPLIT, $0-32\n")
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $3, R8") // row stride in bytes
	a.f("MOVQ d+16(FP), R9")
	// Row r's folded vector goes to slot(r) (Z8 + slot): the shuffles below deliver slot order
	// 0,4,1,5,2,6,3,7, so rows 0..7 come out in order.
	slot := [8]int{0, 4, 1, 5, 2, 6, 3, 7}
	for r := 0; r < 8; r++ {
		lbl := name + "_r" + string(rune('0'+r))
		// Z0..Z3 (even rows) or Z4..Z7 (odd rows): two rows' chains in flight.
		b := 4 * (r % 2)
		acc := func(u int) string { return v.reg(b + u) }
		for u := 0; u < 4; u++ {
			v.zero(a, acc(u))
		}
		a.f("MOVQ SI, DI")
		a.f("MOVQ R9, CX")
		a.label(lbl + "_loop4")
		a.f("CMPQ CX, $32")
		a.f("JLT %s_loop1", lbl)
		for u := 0; u < 4; u++ {
			a.f("VMOVUPD %d(DI), Z16", u*64)
			a.f("VFMADD231PD Z16, Z16, %s", acc(u))
		}
		a.f("ADDQ $256, DI")
		a.f("SUBQ $32, CX")
		a.f("JMP %s_loop4", lbl)
		a.label(lbl + "_loop1")
		a.f("CMPQ CX, $8")
		a.f("JLT %s_done", lbl)
		a.f("VMOVUPD (DI), Z16")
		a.f("VFMADD231PD Z16, Z16, %s", acc(0))
		a.f("ADDQ $64, DI")
		a.f("SUBQ $8, CX")
		a.f("JMP %s_loop1", lbl)
		a.label(lbl + "_done")
		z := v.reg(8 + slot[r])
		a.f("VADDPD %s, %s, %s", acc(1), acc(0), acc(0))
		a.f("VADDPD %s, %s, %s", acc(3), acc(2), acc(2))
		a.f("VADDPD %s, %s, %s", acc(2), acc(0), z)
		a.f("ADDQ R8, SI")
	}
	// 256-bit halves: [z(2i).lo256, z(2i+1).lo256] + [z(2i).hi256, z(2i+1).hi256].
	for i := 0; i < 4; i++ {
		lo, hi := v.reg(8+2*i), v.reg(8+2*i+1)
		a.f("VSHUFF64X2 $0x44, %s, %s, Z16", hi, lo)
		a.f("VSHUFF64X2 $0xEE, %s, %s, Z17", hi, lo)
		a.f("VADDPD Z17, Z16, %s", v.reg(20+i))
	}
	// 128-bit halves: W(2j) holds two slots' 4-lane sums, W(2j+1) the next two.
	for j := 0; j < 2; j++ {
		w0, w1 := v.reg(20+2*j), v.reg(20+2*j+1)
		a.f("VSHUFF64X2 $0x88, %s, %s, Z16", w1, w0)
		a.f("VSHUFF64X2 $0xDD, %s, %s, Z17", w1, w0)
		a.f("VADDPD Z17, Z16, %s", v.reg(24+j))
	}
	// The two lanes: [x(i)[0], x(i+4)[0]] + [x(i)[1], x(i+4)[1]] per 128-bit lane i.
	a.f("VUNPCKLPD Z25, Z24, Z16")
	a.f("VUNPCKHPD Z25, Z24, Z17")
	a.f("VADDPD Z17, Z16, Z16")
	a.f("MOVQ out+24(FP), AX")
	a.f("VMOVUPD Z16, (AX)")
	a.f("VZEROUPPER")
	a.f("RET")
}

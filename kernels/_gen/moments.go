package main

import "fmt"

// genMoments prints shiftedMoments<T><ISA>(x *T, ldx, n, d int, c, s1, s2 *float64) for n ≥ 1
// and d a multiple of the float64 lanes of a register: for each column j, over the n rows in
// row order, t = x_ij − c_j in float64 (float32 values widened exactly first), s1[j] += t and
// s2[j] += t² by one fused multiply-add: kernels.ShiftedMomentsF32/F64, bit for bit its
// reference loop (each column's sums are a chain of their own, so a vector of columns adds the
// same terms in the same order). Columns go in strips of four registers, then of one; a
// strip's sums stay in registers while the rows stream past.
func genMoments(a *asm, v variant) {
	name := fmt.Sprintf("shiftedMoments%s%s", v.T, v.ISA)
	lanes := 8 // float64 lanes per register
	if !v.avx512() {
		lanes = 4
	}
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, c, s1, s2 *float64)\nTEXT ·%s(SB), NOSPLIT, $0-56\n", name, goT(v), name))
	rowsArgs(a, v, "s1", "s2")
	for _, w := range []int{4, 1} { // registers per strip
		strip := fmt.Sprintf("%s_strip%d", name, w)
		a.label(strip)
		a.f("CMPQ R11, $%d", w*lanes)
		if w == 4 {
			a.f("JLT %s_strip1", name)
		} else {
			a.f("JLT %s_done", name)
		}
		for u := 0; u < w; u++ {
			a.f("VMOVUPD %d(R12), %s", u*lanes*8, v.reg(8+u))
			a.f("VMOVUPD %d(R13), %s", u*lanes*8, v.reg(u))
			a.f("VMOVUPD %d(R14), %s", u*lanes*8, v.reg(4+u))
		}
		a.f("MOVQ R8, SI")
		a.f("MOVQ R10, CX")
		a.label(strip + "_rows")
		streamAhead(a, "SI")
		for u := 0; u < w; u++ {
			t := v.reg(12 + u)
			if v.f64() {
				a.f("VMOVUPD %d(SI), %s", u*lanes*8, t)
			} else {
				a.f("VCVTPS2PD %d(SI), %s", u*lanes*4, t)
			}
			a.f("VSUBPD %s, %s, %s", v.reg(8+u), t, t)
			a.f("VADDPD %s, %s, %s", t, v.reg(u), v.reg(u))
			a.f("VFMADD231PD %s, %s, %s", t, t, v.reg(4+u))
		}
		a.f("ADDQ R9, SI")
		a.f("DECQ CX")
		a.f("JNZ %s_rows", strip)
		for u := 0; u < w; u++ {
			a.f("VMOVUPD %s, %d(R13)", v.reg(u), u*lanes*8)
			a.f("VMOVUPD %s, %d(R14)", v.reg(4+u), u*lanes*8)
		}
		a.f("ADDQ $%d, R8", w*lanes*v.Size)
		a.f("ADDQ $%d, R12", w*lanes*8)
		a.f("ADDQ $%d, R13", w*lanes*8)
		a.f("ADDQ $%d, R14", w*lanes*8)
		a.f("SUBQ $%d, R11", w*lanes)
		a.f("JMP %s", strip)
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

package main

import "fmt"

// genSqDist prints sqDist16<T><ISA>(a, b *T, n int, s *[16]float64) for n a multiple of 16:
// s[j] = Σ over i ≡ j (mod 16) of (a[i] − b[i])², each difference taken in float64 (float32
// values widened exactly first) and added by one fused multiply-add, in index order: the
// partial sums of kernels.SqDistF32/F64, bit for bit those of its reference loop. Sixteen
// float64 sums are two AVX-512 registers or four AVX2 ones, so both instruction sets (and the
// generic loop) add the same terms in the same order.
func genSqDist(a *asm, v variant) {
	name := fmt.Sprintf("sqDist16%s%s", v.T, v.ISA)
	lanes := 8 // float64 lanes per register
	if !v.avx512() {
		lanes = 4
	}
	acc := 16 / lanes
	in := lanes * v.Size // bytes of input per register of differences
	a.raw(fmt.Sprintf("// func %s(a, b *%s, n int, s *[16]float64)\nTEXT ·%s(SB), NOSPLIT, $0-32\n", name, goT(v), name))
	a.f("MOVQ a+0(FP), SI")
	a.f("MOVQ b+8(FP), DI")
	a.f("MOVQ n+16(FP), CX")
	for u := 0; u < acc; u++ {
		v.zero(a, v.reg(u))
	}
	a.label(name + "_loop")
	a.f("CMPQ CX, $16")
	a.f("JLT %s_done", name)
	for u := 0; u < acc; u++ {
		t, o := v.reg(4+u), v.reg(8+u)
		if v.f64() {
			a.f("VMOVUPD %d(SI), %s", u*in, t)
			a.f("VSUBPD %d(DI), %s, %s", u*in, t, t)
		} else {
			a.f("VCVTPS2PD %d(SI), %s", u*in, t)
			a.f("VCVTPS2PD %d(DI), %s", u*in, o)
			a.f("VSUBPD %s, %s, %s", o, t, t)
		}
		a.f("VFMADD231PD %s, %s, %s", t, t, v.reg(u))
	}
	a.f("ADDQ $%d, SI", 16*v.Size)
	a.f("ADDQ $%d, DI", 16*v.Size)
	a.f("SUBQ $16, CX")
	a.f("JMP %s_loop", name)
	a.label(name + "_done")
	a.f("MOVQ s+24(FP), AX")
	for u := 0; u < acc; u++ {
		a.f("VMOVUPD %s, %d(AX)", v.reg(u), u*lanes*8)
	}
	a.f("VZEROUPPER")
	a.f("RET")
}

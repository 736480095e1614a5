package main

import "fmt"

// genDot prints dot<T><ISA>(a, b *T, n int) T: four vector accumulators over blocks of
// 4·Lanes elements, one vector at a time after that, a scalar FMA loop for the last
// n mod Lanes elements, then the accumulators summed pairwise.
func genDot(a *asm, v variant) {
	ret := 24
	frame := 32
	if !v.f64() {
		frame = 28
	}
	name := fmt.Sprintf("dot%s%s", v.T, v.ISA)
	w := v.Lanes * v.Size // bytes per vector
	mov := "VMOVU" + v.P
	a.raw(fmt.Sprintf("// func %s(a, b *%s, n int) %s\nTEXT ·%s(SB), NOSPLIT, $0-%d\n", name, goT(v), goT(v), name, frame))
	a.f("MOVQ a+0(FP), SI")
	a.f("MOVQ b+8(FP), DI")
	a.f("MOVQ n+16(FP), CX")
	for i := 0; i < 4; i++ {
		v.zero(a, v.reg(i))
	}
	v.zero(a, v.reg(8)) // the scalar tail's accumulator
	a.label(name + "_loop4")
	a.f("CMPQ CX, $%d", 4*v.Lanes)
	a.f("JLT %s_loop1", name)
	for u := 0; u < 4; u++ {
		a.f("%s %d(SI), %s", mov, u*w, v.reg(4+u))
		a.f("VFMADD231%s %d(DI), %s, %s", v.P, u*w, v.reg(4+u), v.reg(u))
	}
	a.f("ADDQ $%d, SI", 4*w)
	a.f("ADDQ $%d, DI", 4*w)
	a.f("SUBQ $%d, CX", 4*v.Lanes)
	a.f("JMP %s_loop4", name)
	a.label(name + "_loop1")
	a.f("CMPQ CX, $%d", v.Lanes)
	a.f("JLT %s_tail", name)
	a.f("%s (SI), %s", mov, v.reg(4))
	a.f("VFMADD231%s (DI), %s, %s", v.P, v.reg(4), v.reg(0))
	a.f("ADDQ $%d, SI", w)
	a.f("ADDQ $%d, DI", w)
	a.f("SUBQ $%d, CX", v.Lanes)
	a.f("JMP %s_loop1", name)
	a.label(name + "_tail")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_reduce", name)
	a.label(name + "_tailloop")
	a.f("VMOV%s (SI), X4", v.S)
	a.f("VFMADD231%s (DI), X4, X8", v.S)
	a.f("ADDQ $%d, SI", v.Size)
	a.f("ADDQ $%d, DI", v.Size)
	a.f("DECQ CX")
	a.f("JNE %s_tailloop", name)
	a.label(name + "_reduce")
	a.f("VADD%s %s, %s, %s", v.P, v.reg(1), v.reg(0), v.reg(0))
	a.f("VADD%s %s, %s, %s", v.P, v.reg(3), v.reg(2), v.reg(2))
	a.f("VADD%s %s, %s, %s", v.P, v.reg(2), v.reg(0), v.reg(0))
	if v.avx512() {
		a.f("VEXTRACTF64X4 $1, Z0, Y1")
		a.f("VADD%s Y1, Y0, Y0", v.P)
	}
	a.f("VEXTRACTF128 $1, Y0, X1")
	a.f("VADD%s X1, X0, X0", v.P)
	if v.f64() {
		a.f("VPERMILPD $1, X0, X1")
		a.f("VADDSD X1, X0, X0")
	} else {
		a.f("VMOVHLPS X0, X0, X1")
		a.f("VADDPS X1, X0, X0")
		a.f("VPERMILPS $1, X0, X1")
		a.f("VADDSS X1, X0, X0")
	}
	a.f("VADD%s X8, X0, X0", v.S)
	a.f("VMOV%s X0, ret+%d(FP)", v.S, ret)
	a.f("VZEROUPPER")
	a.f("RET")
}

func goT(v variant) string {
	if v.f64() {
		return "float64"
	}
	return "float32"
}

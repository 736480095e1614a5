package main

import "fmt"

// genSqDist prints sqDistRows<T><ISA>(x *T, ldx, n, d int, c *T, labels *int32, out *float64):
// out[i] = ‖x_i − c_{labels[i]}‖² for the n rows of x (row stride ldx elements; c is k×d
// contiguous), the value of kernels.SqDistF32/F64 bit for bit: each difference taken in
// float64 (float32 values widened exactly first) and added by one fused multiply-add into
// partial sum i mod 16 in index order, then the sixteen sums folded pairwise (s[j] += s[j+h]
// for h = 8, 4, 2, 1). Sixteen float64 sums are two AVX-512 registers or four AVX2 ones, so
// both instruction sets and the generic loop add the same terms in the same order.
//
// A row's last d mod 16 values are copied into a zeroed block on the stack and summed as one
// more whole block: the zero lanes add (0−0)² = +0 to their sums, which leaves them unchanged
// (a sum of squares is never −0), and nothing past the row is read.
func genSqDist(a *asm, v variant) {
	name := fmt.Sprintf("sqDistRows%s%s", v.T, v.ISA)
	lanes := 8 // float64 lanes per register
	if !v.avx512() {
		lanes = 4
	}
	acc := 16 / lanes
	in := lanes * v.Size // bytes of input per register of differences
	shift := 3
	mov := "MOVQ"
	if !v.f64() {
		shift, mov = 2, "MOVL"
	}
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, c *%s, labels *int32, out *float64)\nTEXT ·%s(SB), NOSPLIT, $256-56\n",
		name, goT(v), goT(v), name))
	a.f("MOVQ x+0(FP), R8")
	a.f("MOVQ ldx+8(FP), R9")
	a.f("SHLQ $%d, R9", shift) // row stride in bytes
	a.f("MOVQ n+16(FP), R10")
	a.f("MOVQ d+24(FP), R11")
	a.f("MOVQ c+32(FP), R12")
	a.f("MOVQ labels+40(FP), R13")
	a.f("MOVQ out+48(FP), R14")
	a.f("MOVQ R11, BX")
	a.f("SHLQ $%d, BX", shift) // a center's bytes
	v.zero(a, v.reg(15))
	block := func() { // one block of 16 values at (SI) and (DI) into the sums
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
	}
	a.label(name + "_row")
	a.f("TESTQ R10, R10")
	a.f("JEQ %s_end", name)
	a.f("MOVLQSX (R13), AX")
	a.f("IMULQ BX, AX")
	a.f("LEAQ (R12)(AX*1), DI")
	a.f("MOVQ R8, SI")
	a.f("MOVQ R11, CX")
	for u := 0; u < acc; u++ {
		v.zero(a, v.reg(u))
	}
	a.label(name + "_loop")
	a.f("CMPQ CX, $16")
	a.f("JLT %s_tail", name)
	block()
	a.f("ADDQ $%d, SI", 16*v.Size)
	a.f("ADDQ $%d, DI", 16*v.Size)
	a.f("SUBQ $16, CX")
	a.f("JMP %s_loop", name)
	a.label(name + "_tail")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_fold", name)
	// Zeroed blocks: the row's rest at 0(SP), the center's at 128(SP).
	for off := 0; off < 256; off += lanes * 8 {
		a.f("VMOVUPD %s, %d(SP)", v.reg(15), off)
	}
	a.f("XORQ DX, DX")
	a.label(name + "_copy")
	a.f("%s (SI)(DX*%d), AX", mov, v.Size)
	a.f("%s AX, (SP)(DX*%d)", mov, v.Size)
	a.f("%s (DI)(DX*%d), AX", mov, v.Size)
	a.f("%s AX, 128(SP)(DX*%d)", mov, v.Size)
	a.f("INCQ DX")
	a.f("CMPQ DX, CX")
	a.f("JLT %s_copy", name)
	a.f("LEAQ (SP), SI")
	a.f("LEAQ 128(SP), DI")
	block()
	a.label(name + "_fold")
	if v.avx512() {
		a.f("VADDPD Z1, Z0, Z0")
		a.f("VEXTRACTF64X4 $1, Z0, Y1")
	} else {
		a.f("VADDPD Y2, Y0, Y0")
		a.f("VADDPD Y3, Y1, Y1")
	}
	a.f("VADDPD Y1, Y0, Y0")
	a.f("VEXTRACTF128 $1, Y0, X1")
	a.f("VADDPD X1, X0, X0")
	a.f("VPERMILPD $1, X0, X1")
	a.f("VADDSD X1, X0, X0")
	a.f("VMOVSD X0, (R14)")
	a.f("ADDQ R9, R8")
	a.f("ADDQ $4, R13")
	a.f("ADDQ $8, R14")
	a.f("DECQ R10")
	a.f("JMP %s_row", name)
	a.label(name + "_end")
	a.f("VZEROUPPER")
	a.f("RET")
}

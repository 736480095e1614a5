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
// A row's last d mod 16 values are loaded under a mask (AVX-512: mask registers; AVX2: masked
// moves, the masks read from a table), so nothing past the row is read; the lanes left out are
// zero and add (0−0)² = +0 to their sums, which leaves them unchanged (a sum of squares is
// never −0).
func genSqDist(a *asm, v variant) {
	genSqDistRows(a, v, false)
	a.raw("\n")
	genSqDistRows(a, v, true)
}

// genSqDistRows prints sqDistRows<T><ISA>, or with indexed sqDistAt<T><ISA>(x *T, ldx, n, d int,
// c *T, labels *int32, out *float64, rows *int32): the same distances for the n rows rows[i] of x
// (row rows[i] at x + rows[i]·ldx), labels[i] and out[i] still the i-th. Hamerly's pass reads
// its scattered rows with it in place: nothing waits between rows, so their misses overlap
// without the copies into a contiguous batch it made before (a memmove call per row).
func genSqDistRows(a *asm, v variant, indexed bool) {
	name := fmt.Sprintf("sqDistRows%s%s", v.T, v.ISA)
	if indexed {
		name = fmt.Sprintf("sqDistAt%s%s", v.T, v.ISA)
	}
	lanes := 8 // float64 lanes per register
	if !v.avx512() {
		lanes = 4
	}
	acc := 16 / lanes
	in := lanes * v.Size // bytes of input per register of differences
	if !v.avx512() && !indexed {
		// 16 lanes on, then 16 off, of the element width: the masks of the last block.
		for i := 0; i < 32; i++ {
			on := "$-1"
			if i >= 16 {
				on = "$0"
			}
			a.raw(fmt.Sprintf("DATA %s+%d(SB)/%d, %s\n", maskTable(v), i*v.Size, v.Size, on))
		}
		a.raw(fmt.Sprintf("GLOBL %s(SB), RODATA|NOPTR, $%d\n\n", maskTable(v), 32*v.Size))
	}
	args, frame := "", 56
	if indexed {
		args, frame = ", rows *int32", 64
	}
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, c *%s, labels *int32, out *float64%s)\nTEXT ·%s(SB), NOSPLIT, $0-%d\n",
		name, goT(v), goT(v), args, name, frame))
	rowsArgs(a, v, "labels", "out")
	a.f("MOVQ R11, BX")
	a.f("SHLQ $%d, BX", elemShift(v)) // a center's bytes
	block := func() {                 // one block of 16 values at (SI) and (DI) into the sums
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
	if indexed {
		// SI = x + rows[i]·ldx; the rows pointer lives in its argument slot (every general
		// register is taken, and R15 is not ours to use in a shared library).
		a.f("MOVQ rows+56(FP), AX")
		a.f("MOVLQSX (AX), SI")
		a.f("ADDQ $4, AX")
		a.f("MOVQ AX, rows+56(FP)")
		a.f("IMULQ R9, SI")
		a.f("ADDQ R8, SI")
	} else {
		streamAhead(a, "R8")
		a.f("MOVQ R8, SI")
	}
	a.f("MOVLQSX (R13), AX")
	a.f("IMULQ BX, AX")
	a.f("LEAQ (R12)(AX*1), DI")
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
	if v.avx512() {
		a.f("MOVQ $1, AX")
		a.f("SHLQ CX, AX")
		a.f("DECQ AX")
		a.f("KMOVW AX, K1")
		a.f("SHRQ $8, AX")
		a.f("KMOVW AX, K2")
	} else {
		a.f("MOVQ $16, DX")
		a.f("SUBQ CX, DX")
		a.f("LEAQ %s(SB), AX", maskTable(v))
		a.f("LEAQ (AX)(DX*%d), AX", v.Size) // lane l of register u is on iff 4u + l < d mod 16
	}
	for u := 0; u < acc; u++ {
		t, o := v.reg(4+u), v.reg(8+u)
		switch {
		case v.avx512() && v.f64():
			a.f("VMOVUPD.Z %d(SI), K%d, %s", u*in, u+1, t)
			a.f("VMOVUPD.Z %d(DI), K%d, %s", u*in, u+1, o)
		case v.avx512():
			a.f("VCVTPS2PD.Z %d(SI), K%d, %s", u*in, u+1, t)
			a.f("VCVTPS2PD.Z %d(DI), K%d, %s", u*in, u+1, o)
		case v.f64():
			a.f("VMOVDQU %d(AX), Y12", u*in)
			a.f("VMASKMOVPD %d(SI), Y12, %s", u*in, t)
			a.f("VMASKMOVPD %d(DI), Y12, %s", u*in, o)
		default:
			a.f("VMOVDQU %d(AX), X12", u*in)
			a.f("VMASKMOVPS %d(SI), X12, X%d", u*in, 4+u)
			a.f("VMASKMOVPS %d(DI), X12, X%d", u*in, 8+u)
			a.f("VCVTPS2PD X%d, %s", 4+u, t)
			a.f("VCVTPS2PD X%d, %s", 8+u, o)
		}
		a.f("VSUBPD %s, %s, %s", o, t, t)
		a.f("VFMADD231PD %s, %s, %s", t, t, v.reg(u))
	}
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
	if !indexed {
		a.f("ADDQ R9, R8")
	}
	a.f("ADDQ $4, R13")
	a.f("ADDQ $8, R14")
	a.f("DECQ R10")
	a.f("JMP %s_row", name)
	a.label(name + "_end")
	a.f("VZEROUPPER")
	a.f("RET")
}

// streamAhead prints, for a row kernel at the row at ptr, prefetches of the two cache lines
// streamAheadBytes further on: rows of a few dozen values are read in runs too short for the
// hardware prefetcher to run far enough ahead of them. Measured on the inertia pass of 10⁶×32
// float32 rows on two threads (128 MB, medians of three runs of 40): 10.9 ms without, 7.0 with
// 2 KB, 6.7 with 4 KB, 7.7 with the lines of the row eight rows on.
func streamAhead(a *asm, ptr string) {
	a.f("PREFETCHT0 %d(%s)", streamAheadBytes, ptr)
	a.f("PREFETCHT0 %d(%s)", streamAheadBytes+64, ptr)
}

// streamAheadBytes is streamAhead's distance.
const streamAheadBytes = 4096

// maskTable names the AVX2 tail's mask table of v's element width.
func maskTable(v variant) string { return fmt.Sprintf("sqDistMask%s<>", v.T) }

// rowsArgs loads the arguments (x *T, ldx, n, d int, c *C, p5, p6 *…) shared by the row kernels
// of this file and moments.go: x in R8, the row stride in bytes in R9, n in R10, d in R11, c in
// R12, and the two pointers named p5 and p6 in R13 and R14.
func rowsArgs(a *asm, v variant, p5, p6 string) {
	a.f("MOVQ x+0(FP), R8")
	a.f("MOVQ ldx+8(FP), R9")
	a.f("SHLQ $%d, R9", elemShift(v)) // row stride in bytes
	a.f("MOVQ n+16(FP), R10")
	a.f("MOVQ d+24(FP), R11")
	a.f("MOVQ c+32(FP), R12")
	a.f("MOVQ %s+40(FP), R13", p5)
	a.f("MOVQ %s+48(FP), R14", p6)
}

// elemShift is log2 of v's element size.
func elemShift(v variant) int {
	if v.f64() {
		return 3
	}
	return 2
}

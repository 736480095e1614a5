package main

import "fmt"

// genSmallKAVX2 prints the AVX2 form of the fused Lloyd pass for k ≤ 8 centers (genSmallK's
// AVX-512 pass): lloydSmallK<T>AVX2, and for float64 also lloydSmallK4F64AVX2 for k ≤ 4, with
// genSmallK's arguments.
//
// The centers run along the lanes and each row is read in place, a feature at a time broadcast
// against the feature's center vector, exactly as in the AVX-512 pass: a fused multiply-add per
// feature in feature order from zero, then cn − 2·dot in one rounding, so every value, and so
// every label, is the nearest tile's bit for bit, and the sums are the reference accumulation.
// What differs is what AVX2 lacks:
//   - 16 vector registers, not 32: groups of 12 rows (6 for float64 with 8 centers, two ymm of
//     center lanes a row) keep 12 FMA chains in flight with room for the centers' vectors and
//     one broadcast scratch; −2 lives in Y15 throughout and the norms are read from memory.
//   - no broadcast operand of FMA: each feature of a row is broadcast into Y14 first (a load).
//   - no mask registers: the label is the lowest set bit of VMOVMSKP of the lanes equal to the
//     minimum; the row's last partial chunk of sums is a VMASKMOV load (nothing past the row is
//     read, faults included) or-ed with a vector holding 1.0 in the weight's lane, both read
//     from tables by the chunk's length.
//
// With k ≤ 4 a float64 row needs one ymm of center lanes, not two: half the FMAs.
func genSmallKAVX2(a *asm, v variant) {
	tables := smallKTablesAVX2(v)
	a.raw(tables)
	if v.f64() {
		smallKFuncAVX2(a, v, "lloydSmallK4F64AVX2", 1)
		a.raw("\n")
		smallKFuncAVX2(a, v, "lloydSmallKF64AVX2", 2)
		return
	}
	smallKFuncAVX2(a, v, "lloydSmallKF32AVX2", 1)
}

// smallKTablesAVX2 prints the tables of the last partial chunk: lane masks of the element width
// (four lanes on, four off: read at 4−r elements in, r lanes on) and, once, a one-hot 1.0 among
// float64 zeros (read at 3−r in, 1.0 in lane r).
func smallKTablesAVX2(v variant) string {
	s := ""
	for i := 0; i < 8; i++ {
		on := "$-1"
		if i >= 4 {
			on = "$0"
		}
		s += fmt.Sprintf("DATA %s+%d(SB)/%d, %s\n", smallKMaskAVX2(v), i*v.Size, v.Size, on)
	}
	s += fmt.Sprintf("GLOBL %s(SB), RODATA|NOPTR, $%d\n\n", smallKMaskAVX2(v), 8*v.Size)
	if v.f64() {
		for i := 0; i < 8; i++ {
			bits := int64(0)
			if i == 3 {
				bits = 0x3FF0000000000000
			}
			s += fmt.Sprintf("DATA smallKOneHot<>+%d(SB)/8, $%d\n", i*8, bits)
		}
		s += "GLOBL smallKOneHot<>(SB), RODATA|NOPTR, $64\n\n"
	}
	return s
}

func smallKMaskAVX2(v variant) string { return fmt.Sprintf("smallKMask%s<>", v.T) }

// smallKAVX2Accs is the accumulator count of a group: rows × center vectors a row.
const smallKAVX2Accs = 12

// smallKFuncAVX2 prints one function: cv ymm of center lanes a row (float64 with 8 centers: 2).
func smallKFuncAVX2(a *asm, v variant, name string, cv int) {
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, ct, cn, w *%s, labels *int32, acc *float64, accStride, pf int)\nTEXT ·%s(SB), NOSPLIT, $%d-88\n",
		name, goT(v), goT(v), name, smallKFrame))
	smallKLastTables(a, v)
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("LEAQ (R8)(R8*2), R9")
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+56(FP), R10")
	a.f("MOVQ w+48(FP), R11")
	v.constBits(a, 0xC000000000000000, 0xC0000000, "Y15", "X15")
	G := smallKAVX2Accs / cv
	a.f("TESTQ R11, R11")
	a.f("JNE %s_w_group", name)
	for _, weighted := range []bool{false, true} {
		tag := name + "_u"
		if weighted {
			tag = name + "_w"
		}
		smallKLoops(a, tag, G, func(lbl string, R int) {
			if R == 1 {
				smallKRowsAVX2(a, v, cv, lbl, R, weighted, false)
				return
			}
			// A group of rows narrower than one chunk of sums (d < 4, checked per group: one
			// compare against a dozen rows) takes a body without the whole chunks' loop, the
			// last chunk's length test or the prefetch catch-up after every row: about a
			// third of a row's instructions at d = 3.
			a.f("CMPQ d+24(FP), $4")
			a.f("JGE %s_wide", lbl)
			a.f("CMPQ accStride+72(FP), $8") // narrow rows' sums: 64 bytes a center
			a.f("JNE %s_wide", lbl)
			smallKRowsAVX2(a, v, cv, lbl+"n", R, weighted, true)
			a.f("JMP %s_end", lbl)
			a.label(lbl + "_wide")
			smallKRowsAVX2(a, v, cv, lbl, R, weighted, false)
			a.label(lbl + "_end")
		})
	}
}

// smallKRowsAVX2 prints the work of R rows (a group, or 1) at SI: dot products, labels, sums;
// it leaves SI, R10 and R11 past the rows. Registers: accumulators Y0…Y(R·cv−1), the feature's
// center vectors Y12 (and Y13), the broadcast row feature Y14, −2 in Y15.
// narrow: d < 4 (the sums' one chunk is the last, partial one).
func smallKRowsAVX2(a *asm, v variant, cv int, lbl string, R int, weighted, narrow bool) {
	acc := func(i, h int) string { return fmt.Sprintf("Y%d", i*cv+h) }
	for i := 0; i < R*cv; i++ {
		v.zero(a, fmt.Sprintf("Y%d", i))
	}
	bases := []string{"AX", "DI", "R12"}
	a.f("MOVQ SI, AX")
	for q := 1; q*4 < R; q++ {
		a.f("LEAQ (%s)(R8*4), %s", bases[q-1], bases[q])
	}
	a.f("MOVQ ct+32(FP), DX")
	a.f("MOVQ d+24(FP), CX")
	a.label(lbl + "_dot")
	for h := 0; h < cv; h++ {
		a.f("VMOVUP%s %d(DX), Y%d", v.P[1:], 32*h, 12+h)
	}
	idx := []string{"", "(R8*1)", "(R8*2)", "(R9*1)"}
	for i := 0; i < R; i++ {
		a.f("VBROADCAST%s (%s)%s, Y14", v.S, bases[i/4], idx[i%4])
		for h := 0; h < cv; h++ {
			a.f("VFMADD231%s Y14, Y%d, %s", v.P, 12+h, acc(i, h))
		}
	}
	for q := 0; q*4 < R; q++ {
		a.f("ADDQ $%d, %s", v.Size, bases[q])
	}
	if R > 1 {
		// A line of the rows pf bytes ahead each feature, caught up row by row below (as in
		// the AVX-512 pass: issued all at once the prefetches ran out of line fill buffers).
		a.f("PREFETCHT0 (R14)")
		a.f("ADDQ $64, R14")
	}
	smallKDotEnd(a, v, lbl)
	// Every row's label first, then every row's sums: a row's sums wait for its label at the
	// end of a long chain of dependent instructions (FMAs, the minimum, the lane mask), and
	// with each row's sums right after its label those waiting instructions filled the
	// reorder buffer, so few rows' chains overlapped. The labels go to memory (where they are
	// due anyway) and are read back by the sums, which add in row order as before: the same
	// bits.
	a.f("MOVQ cn+40(FP), DX")
	for i := 0; i < R; i++ {
		// value = cn − 2·dot, one rounding, as the nearest tile.
		for h := 0; h < cv; h++ {
			a.f("VFMADD213%s %d(DX), Y15, %s", v.P, 32*h, acc(i, h))
		}
		smallKLabelAVX2(a, v, cv, acc(i, 0), acc(i, cv-1))
		a.f("MOVL AX, %d(R10)", 4*i)
	}
	if narrow {
		// Y0–Y11 are free once every label is known: the last chunk's one-hot weight vector
		// and lane mask stay in Y10 and Y11 for the group's rows.
		a.f("VMOVUPD %d(SP), Y10", smallKOneHotSlot)
		if v.f64() {
			a.f("VMOVDQU %d(SP), Y11", smallKMaskSlot)
		} else {
			a.f("VMOVDQU %d(SP), X11", smallKMaskSlot)
		}
	}
	for i := 0; i < R; i++ {
		a.f("MOVL %d(R10), AX", 4*i)
		smallKAccRowAVX2(a, v, fmt.Sprintf("%s_%d", lbl, i), weighted, narrow)
		if R > 1 && (!narrow || i == R-1) {
			smallKCatchUp(a, lbl, i)
		}
	}
	a.f("ADDQ $%d, R10", 4*R)
}

// smallKLabelAVX2 leaves in AX the lowest center lane equal to the minimum of the row's values
// (lo, and hi for the upper four centers when cv = 2); none (only with NaN values) gives 0.
// Float32 and one-vector float64 reduce in the AVX-512 pass's order; two-vector float64 takes
// the minimum of the halves first (the minimum of values that are not NaN is the same).
func smallKLabelAVX2(a *asm, v variant, cv int, lo, hi string) {
	src := lo
	if cv == 2 {
		a.f("VMINPD %s, %s, Y12", hi, lo)
		src = "Y12"
	}
	if v.f64() {
		a.f("VPERMILPD $0x5, %s, Y13", src)
		a.f("VMINPD %s, Y13, Y12", src)
	} else {
		a.f("VPERMILPS $0xB1, %s, Y13", src)
		a.f("VMINPS %s, Y13, Y12", src)
		a.f("VPERMILPS $0x4E, Y12, Y13")
		a.f("VMINPS Y13, Y12, Y12")
	}
	a.f("VPERMPD $0x4E, Y12, Y13")
	a.f("VMIN%s Y13, Y12, Y12", v.P)
	a.f("VCMP%s $0, Y12, %s, Y13", v.P, lo)
	a.f("VMOVMSK%s Y13, AX", v.P)
	lanes := 32 / v.Size
	if cv == 2 {
		a.f("VCMPPD $0, Y12, %s, Y13", hi)
		a.f("VMOVMSKPD Y13, CX")
		a.f("SHLL $4, CX")
		a.f("ORL CX, AX")
		lanes = 8
	}
	a.f("ORL $%d, AX", 1<<lanes)
	a.f("TZCNTL AX, AX")
	a.f("ANDL $%d, AX", lanes-1)
}

// The frame of the AVX2 passes: the last partial chunk's one-hot weight vector and lane mask and
// its length r = d mod 4, the same for every row, set once by smallKLastTables (from the tables,
// by r) instead of by every row (a dozen instructions of about sixty a row at d = 3).
const (
	smallKOneHotSlot = 0  // 32 bytes: 1.0 in lane r, zeros elsewhere
	smallKMaskSlot   = 32 // 32 bytes (float64) or 16 (float32): lanes below r on
	smallKRestSlot   = 64 // r
	smallKFrame      = 72
)

// smallKLastTables fills the frame's slots for d (clobbers CX, DI, Y12, Y14).
func smallKLastTables(a *asm, v variant) {
	a.f("MOVQ d+24(FP), CX")
	a.f("ANDQ $3, CX")
	a.f("MOVQ CX, %d(SP)", smallKRestSlot)
	a.f("LEAQ smallKOneHot<>+24(SB), DI")
	a.f("SHLQ $3, CX")
	a.f("SUBQ CX, DI")
	a.f("VMOVUPD (DI), Y12")
	a.f("VMOVUPD Y12, %d(SP)", smallKOneHotSlot)
	if !v.f64() {
		a.f("SHRQ $1, CX") // r float32 elements in bytes
	}
	a.f("LEAQ %s+%d(SB), DI", smallKMaskAVX2(v), 4*v.Size)
	a.f("SUBQ CX, DI")
	mask := "Y14" // the mask's width: a float32 one is read as 16 bytes, all its table holds there
	if !v.f64() {
		mask = "X14"
	}
	a.f("VMOVDQU (DI), %s", mask)
	a.f("VMOVDQU %s, %d(SP)", mask, smallKMaskSlot)
}

// smallKAccRowAVX2 adds the row at SI (then moves SI on by R8) and its weight (unit, or at R11,
// then moved on) into the padded sums of center AX (R12 = acc, R13 = its stride in bytes), four
// float64 lanes at a time: the reference's operations, so the same bits. The whole chunks are
// the AVX-512 pass's code with ymm registers. Clobbers AX, CX, DX, DI, Y12–Y14 (Y13 holds the
// weight).
// With narrow (d < 4) the row is only that last chunk, of d ≥ 1 features; smallKRowsAVX2 has
// put the one-hot weight vector in Y10 and the lane mask in Y11 (X11) for the group, whose check
// made the sums' stride 64 bytes.
func smallKAccRowAVX2(a *asm, v variant, lbl string, weighted, narrow bool) {
	r := smallKRegisters{row: "Y12", row2: "Y14", w: "Y13", wx: "X13", lanes: 4}
	if narrow {
		a.f("SHLQ $6, AX") // the stride of 8 float64, checked for the group
		a.f("ADDQ R12, AX")
		a.f("MOVQ SI, DX")
		a.f("ADDQ R8, SI")
		if weighted {
			broadcastWeight(a, v, "R11", r.w, r.wx)
		}
		if v.f64() {
			a.f("VMASKMOVPD (DX), Y11, Y14")
		} else {
			a.f("VMASKMOVPS (DX), X11, X14")
			a.f("VCVTPS2PD X14, Y14")
		}
		a.f("VORPD Y14, Y10, Y12")
	} else {
		smallKAccRowWide(a, v, r, lbl, weighted)
	}
	if weighted {
		a.f("VMULPD Y13, Y12, Y12")
	}
	a.f("VADDPD (AX), Y12, Y12")
	a.f("VMOVUPD Y12, (AX)")
}

// smallKAccRowWide is smallKAccRowAVX2's row of any width up to the weight: the whole chunks,
// then the last chunk's features and 1.0 in Y12.
func smallKAccRowWide(a *asm, v variant, r smallKRegisters, lbl string, weighted bool) {
	smallKRowStart(a, v, r, weighted)
	smallKWholeChunks(a, v, r, lbl, lbl+"_last", weighted)
	// The last chunk: r = d mod 4 features (maybe none), 1.0 in lane r for the weight, zeros
	// after it (the sums' padding).
	a.label(lbl + "_last")
	a.f("VMOVUPD %d(SP), Y12", smallKOneHotSlot)
	a.f("CMPQ %d(SP), $0", smallKRestSlot)
	a.f("JEQ %s_weight", lbl)
	if v.f64() {
		a.f("VMOVDQU %d(SP), Y14", smallKMaskSlot)
		a.f("VMASKMOVPD (DX), Y14, Y14")
	} else {
		a.f("VMOVDQU %d(SP), X14", smallKMaskSlot)
		a.f("VMASKMOVPS (DX), X14, X14")
		a.f("VCVTPS2PD X14, Y14")
	}
	a.f("VORPD Y14, Y12, Y12")
	a.label(lbl + "_weight")
}

package main

import "fmt"

// sumRowsMaxV is the most vectors of padded sums a center has: d ≤ 64 features and the weight.
const sumRowsMaxV = 9

// genSumRows prints sumRowsF64V<V>AVX512(x *float64, ldx, n, d int, labels *int32, w *float64,
// acc *float64, accStride, pf int) (accPadded's arguments) for V = 1…sumRowsMaxV: n labelled
// rows at x (stride ldx) of d features, 8(V−1) ≤ d < 8V, weights w (nil: unit), added row by
// row in row order into the padded sums acc (stride accStride = 8V: d sums, the weight sum,
// zeros) — the reference accumulation's operations, so
// bitwise its sums: the row with 1.0 in the weight's lane, times the weight if there is one
// (w·x rounded, and w·1 = w), added to the center's vectors. Each row's V lines are
// prefetched pf bytes ahead (the next block's, while this one's sums take their time).
//
// It is the padded sums' accumulation (accPadded) with the loop over whole vectors unrolled for
// V, and so a quarter of its instructions at d = 3: a row is its label, V loads, adds and
// stores (the last load masked to the row's features and blended with the 1.0).
func genSumRows(a *asm) {
	for V := 1; V <= sumRowsMaxV; V++ {
		if V > 1 {
			a.raw("\n")
		}
		genSumRowsV(a, V)
	}
}

func genSumRowsV(a *asm, V int) {
	name := fmt.Sprintf("sumRowsF64V%dAVX512", V)
	a.raw(fmt.Sprintf("// func %s(x *float64, ldx, n, d int, labels *int32, w *float64, acc *float64, accStride, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-72\n", name, name))
	accRowsArgs(a, variant{T: "F64", Size: 8})
	// Z31: 1.0; K2: the data lanes of the last vector, K3: the weight's lane.
	smallKMasks(a, variant{T: "F64"}, smallKRegisters{one: "Z31", lanes: 8})
	accRowsDispatch(a, name, name+"_w")
	for _, weighted := range []bool{false, true} {
		lbl := name + "_u"
		if weighted {
			lbl = name + "_w"
		}
		a.label(lbl)
		for i := 0; i < V; i++ {
			a.f("PREFETCHT0 %d(SI)(R9*1)", 64*i)
		}
		a.f("MOVLQSX (R10), AX")
		a.f("IMULQ R13, AX")
		if weighted {
			a.f("VBROADCASTSD (R11), Z30")
			a.f("ADDQ $8, R11")
		}
		for i := 0; i < V; i++ {
			z := fmt.Sprintf("Z%d", i)
			if i < V-1 {
				a.f("VMOVUPD %d(SI), %s", 64*i, z)
			} else {
				a.f("VMOVUPD.Z %d(SI), K2, %s", 64*i, z)
				a.f("VMOVAPD Z31, K3, %s", z)
			}
			if weighted {
				a.f("VMULPD Z30, %s, %s", z, z)
			}
			a.f("VADDPD %d(R12)(AX*1), %s, %s", 64*i, z, z)
			a.f("VMOVUPD %s, %d(R12)(AX*1)", z, 64*i)
		}
		a.f("ADDQ R8, SI")
		a.f("ADDQ $4, R10")
		a.f("DECQ BX")
		a.f("JNE %s", lbl)
		if !weighted {
			a.f("JMP %s_done", name)
		}
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// sumRegsMaxK is the most centers sumRegsF64K<k>AVX512 keeps in registers (kernels'
// useSumRegs: past three centers the compares and masked adds cost more than they save).
const sumRegsMaxK = 3

// genSumRegs prints sumRegsF64K<k>AVX512(x *float64, ldx, n, d int, labels *int32, acc *float64,
// accStride int) for k = 1…sumRegsMaxK: genSumRowsV's unit-weight sums for rows of d < 8
// features (one vector of padded sums a center, accStride 8), with the k centers' sums held in
// registers for the whole call instead of read and written in memory at every row. A row goes to
// its center's register by a merge-masked add: its label broadcast, compared with each center's
// index (k compares into mask registers) and added under the mask, so every center's chain
// takes its rows in row order with the very operations of genSumRowsV (the row with 1.0 in the
// weight's lane, added to the center's vector): the same sums, bit for bit. The padded sums'
// loop waits on each row's store being forwarded to the next row of the same center; here a
// center's chain waits on one add a row.
func genSumRegs(a *asm) {
	for k := 1; k <= sumRegsMaxK; k++ {
		a.raw("\n")
		genSumRegsK(a, k)
	}
}

func genSumRegsK(a *asm, k int) {
	name := fmt.Sprintf("sumRegsF64K%dAVX512", k)
	a.raw(fmt.Sprintf("// func %s(x *float64, ldx, n, d int, labels *int32, acc *float64, accStride int)\nTEXT ·%s(SB), NOSPLIT, $0-56\n", name, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+32(FP), R10")
	a.f("MOVQ acc+40(FP), R12")
	a.f("MOVQ accStride+48(FP), R13")
	a.f("SHLQ $3, R13")
	// Z31: 1.0; K2: the data lanes, K3: the weight's lane.
	smallKMasks(a, variant{T: "F64"}, smallKRegisters{one: "Z31", lanes: 8})
	a.f("TESTQ BX, BX")
	a.f("JEQ %s_done", name)
	// Center j's sums in Z(8+j), its index in every lane of Z(16+j).
	a.f("MOVQ R12, AX")
	for j := 0; j < k; j++ {
		a.f("VMOVUPD (AX), Z%d", 8+j)
		a.f("ADDQ R13, AX")
		a.f("MOVQ $%d, DX", j)
		a.f("VPBROADCASTQ DX, Z%d", 16+j)
	}
	a.label(name + "_row")
	a.f("MOVLQSX (R10), AX")
	a.f("VPBROADCASTQ AX, Z30")
	a.f("VMOVUPD.Z (SI), K2, Z29")
	a.f("VMOVAPD Z31, K3, Z29")
	for j := 0; j < k; j++ {
		m := fmt.Sprintf("K%d", 4+j%4)
		a.f("VPCMPEQQ Z%d, Z30, %s", 16+j, m)
		// The row as the first source, as genSumRowsV adds it: of two NaNs the row's is kept.
		a.f("VADDPD Z%d, Z29, %s, Z%d", 8+j, m, 8+j)
	}
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, R10")
	a.f("DECQ BX")
	a.f("JNE %s_row", name)
	a.f("MOVQ R12, AX")
	for j := 0; j < k; j++ {
		a.f("VMOVUPD Z%d, (AX)", 8+j)
		a.f("ADDQ R13, AX")
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

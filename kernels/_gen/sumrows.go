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

// sumRegsMaxK and sumRegsMaxV bound genSumRegs' functions: up to 4 centers and 5 vectors of
// padded sums a center (d < 40), at most sumRegsMaxAcc of those vectors in registers (the
// others hold the centers' indices, the row's label, 1.0 and the row's vectors). Which of them
// run is kernels' useSumRegs, by measurement.
const (
	sumRegsMaxK   = 4
	sumRegsMaxV   = 5
	sumRegsMaxAcc = 20
)

// genSumRegs prints sumRegsF64V<V>AVX512(x *float64, ldx, n, d, k int, labels *int32,
// acc *float64, accStride, pf int) for V = 1…sumRegsMaxV: genSumRowsV's (accPadded's)
// unit-weight sums for rows of 8(V−1) ≤ d < 8V features (V vectors of padded sums a center,
// accStride 8V), with the k centers' sums held in registers for the whole call instead of read
// and written in memory at every row. A row goes to its center's
// registers by merge-masked adds: its label broadcast, compared with each center's index (k
// compares into mask registers) and each of its vectors added under the mask, so every
// center's chains take their rows in row order with the very operations of the padded sums
// (the row, widened, with 1.0 in the weight's lane, added to the center's vector): the same
// sums, bit for bit. The padded sums' loop waits on each row's stores being forwarded to the
// next row of the same center (about 14 cycles a link on AMD Zen 5, so at d = 32, k = 3 a
// float32 row took 3.5–4 ns with labels at random against 2.1 with eight centers in turn);
// here a center's chain waits on one add a row, and a row costs k·V masked adds. Each row's
// lines pf bytes ahead are prefetched, as sumRows and accPadded do (rows from DRAM on two threads
// lost 10–15% without).
//
// Float64 only: a float32 form (each vector widened as read) served the float32 tiles at
// d = 16…39, k ≤ 3 until session 33, when the rows sorted by center (genAccRegsUnit) took
// them, 0.75–0.9× its time: each float32 vector cost a widening convert besides its k masked
// adds.
func genSumRegs(a *asm, v variant) {
	for V := 1; V <= sumRegsMaxV; V++ {
		a.raw("\n")
		genSumRegsV(a, v, V)
	}
}

// sumRegsAcc is the register of center j's vector i of sums: Z0 on, V a center.
func sumRegsAcc(j, i, V int) string { return fmt.Sprintf("Z%d", j*V+i) }

// genSumRegsV prints one genSumRegs function: for each k in 1…sumRegsMaxK with k·V ≤
// sumRegsMaxAcc, its own loop (the k outside those returns at once: the caller checks). Center
// j's index is in every lane of Z(20+j), its mask K(4+j); the row's label in Z30, 1.0 in Z31,
// the row's vectors go through Z24 and Z25.
func genSumRegsV(a *asm, v variant, V int) {
	name := fmt.Sprintf("sumRegsF64V%dAVX512", V)
	a.raw(fmt.Sprintf("// func %s(x *float64, ldx, n, d, k int, labels *int32, acc *float64, accStride, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-72\n",
		name, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+40(FP), R10")
	a.f("MOVQ acc+48(FP), R12")
	a.f("MOVQ accStride+56(FP), R13")
	a.f("SHLQ $3, R13")
	a.f("MOVQ pf+64(FP), R9")
	// Z31: 1.0; K2: the data lanes of the last vector, K3: the weight's lane.
	smallKMasks(a, v, smallKRegisters{one: "Z31", lanes: 8})
	a.f("TESTQ BX, BX")
	a.f("JEQ %s_done", name)
	a.f("MOVQ k+32(FP), AX")
	ks := 0
	for k := 1; k <= sumRegsMaxK && k*V <= sumRegsMaxAcc; k++ {
		a.f("CMPQ AX, $%d", k)
		a.f("JEQ %s_k%d", name, k)
		ks = k
	}
	a.f("JMP %s_done", name)
	for k := 1; k <= ks; k++ {
		genSumRegsLoop(a, fmt.Sprintf("%s_k%d", name, k), V, k)
		a.f("JMP %s_done", name)
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// genSumRegsLoop prints genSumRegsV's code for k centers from label lbl: the sums into
// registers, the row loop, the sums back.
func genSumRegsLoop(a *asm, lbl string, V, k int) {
	a.label(lbl)
	a.f("MOVQ R12, AX")
	for j := 0; j < k; j++ {
		for i := 0; i < V; i++ {
			a.f("VMOVUPD %d(AX), %s", 64*i, sumRegsAcc(j, i, V))
		}
		a.f("ADDQ R13, AX")
		a.f("MOVQ $%d, DX", j)
		a.f("VPBROADCASTQ DX, Z%d", 20+j)
	}
	a.label(lbl + "_row")
	// As many lines as 8V features take from the row's start (d < 8V).
	for l := 0; l < V; l++ {
		a.f("PREFETCHT0 %d(SI)(R9*1)", 64*l)
	}
	a.f("MOVLQSX (R10), AX")
	a.f("VPBROADCASTQ AX, Z30")
	for j := 0; j < k; j++ {
		a.f("VPCMPEQQ Z%d, Z30, K%d", 20+j, 4+j)
	}
	for i := 0; i < V; i++ {
		z := fmt.Sprintf("Z%d", 24+i%2)
		if i < V-1 {
			a.f("VMOVUPD %d(SI), %s", 64*i, z)
		} else {
			a.f("VMOVUPD.Z %d(SI), K2, %s", 64*i, z)
			a.f("VMOVAPD Z31, K3, %s", z)
		}
		for j := 0; j < k; j++ {
			// The row as the first source, as genSumRowsV adds it: of two NaNs the row's is kept.
			acc := sumRegsAcc(j, i, V)
			a.f("VADDPD %s, %s, K%d, %s", acc, z, 4+j, acc)
		}
	}
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, R10")
	a.f("DECQ BX")
	a.f("JNE %s_row", lbl)
	a.f("MOVQ R12, AX")
	for j := 0; j < k; j++ {
		for i := 0; i < V; i++ {
			a.f("VMOVUPD %s, %d(AX)", sumRegsAcc(j, i, V), 64*i)
		}
		a.f("ADDQ R13, AX")
	}
}

// sumLanesMaxD is the widest row genSumLanes specialises for.
const sumLanesMaxD = 7

// genSumLanes prints sumLanesF64D<D>AVX512(x *float64, ldx, n int, labels *int32, acc *float64,
// pf int) for D = 1…sumLanesMaxD: genSumRowsV's unit-weight sums for rows of D features and up
// to 8 centers with the centers along the lanes: acc holds feature f's sums of the 8 centers in
// one vector (acc[8f + j], f = D the weight sums), kept in a register for the whole call. A row
// broadcasts each feature and adds it under the mask of its label's lane (1.0 into the weight
// vector): each center's sums take their rows in row order with the padded sums' operations
// (the row's value first, added to the center's sum), so the same bits. The padded sums' loop
// waits on each row's store being forwarded to the next row of the same center, about 14
// cycles; here every row waits on one add a feature vector (4 cycles), whatever k.
func genSumLanes(a *asm) {
	for D := 1; D <= sumLanesMaxD; D++ {
		a.raw("\n")
		genSumLanesD(a, D)
	}
}

// genSumLanesD prints one genSumLanes function: feature f's sums in Z(f), the row's broadcast
// feature f in Z(8+f) (the weight's 1.0 in Z31), the row's lane mask in K1.
func genSumLanesD(a *asm, D int) {
	name := fmt.Sprintf("sumLanesF64D%dAVX512", D)
	a.raw(fmt.Sprintf("// func %s(x *float64, ldx, n int, labels *int32, acc *float64, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-48\n", name, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+24(FP), R10")
	a.f("MOVQ acc+32(FP), R12")
	a.f("MOVQ pf+40(FP), R9")
	a.f("TESTQ BX, BX")
	a.f("JEQ %s_done", name)
	a.f("MOVQ $%d, AX", int64(0x3FF0000000000000))
	a.f("VPBROADCASTQ AX, Z31")
	for f := 0; f <= D; f++ {
		a.f("VMOVUPD %d(R12), Z%d", 64*f, f)
	}
	a.label(name + "_row")
	a.f("PREFETCHT0 (SI)(R9*1)")
	a.f("MOVL (R10), CX")
	a.f("MOVL $1, DX")
	a.f("SHLL CX, DX")
	a.f("KMOVB DX, K1")
	for f := 0; f < D; f++ {
		a.f("VBROADCASTSD %d(SI), Z%d", 8*f, 8+f)
		// The row's value as the first source, as genSumRowsV adds it: of two NaNs the row's
		// is kept.
		a.f("VADDPD Z%d, Z%d, K1, Z%d", f, 8+f, f)
	}
	a.f("VADDPD Z%d, Z31, K1, Z%d", D, D)
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, R10")
	a.f("DECQ BX")
	a.f("JNE %s_row", name)
	for f := 0; f <= D; f++ {
		a.f("VMOVUPD Z%d, %d(R12)", f, 64*f)
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

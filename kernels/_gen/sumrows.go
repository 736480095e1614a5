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

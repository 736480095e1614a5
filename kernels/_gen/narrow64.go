package main

import "fmt"

// Narrow float64 rows in lanes: the labels of contiguous rows of d ≤ 4 features against k ≤ 8
// centers, 8 rows to a zmm (genSmallK prints them into smallk_amd64.s; the Go side adds the
// sums with the sum lists, sumlists.go).
//
// With centers in lanes (lloydSmallK) every row costs d + 1 FMAs on 8 lanes however few the
// centers, and a horizontal minimum of 3 shuffles, 3 minimums and a compare: about 11 vector
// instructions a row at d = 3. With rows in lanes 8 rows cost k·d + k FMAs and a vertical
// minimum of k − 1 compares and blends, plus putting the rows into lanes: 8 contiguous rows are
// d vectors, and feature f of row r, element r·d + f of them, comes out with one two-table
// permute per pair of those vectors (VPERMI2PD/VPERMT2PD; a lone last vector, one permute),
// merged under the lanes each pair holds. For every (row, center) the instructions are the
// nearest tile's — a fused multiply-add per feature in feature order from zero, then cn − 2·dot
// in one rounding — and the label is the first strict minimum, as the reference compares
// (v < best: a NaN value never wins), so the labels are NearestF64's bit for bit.

// narrow64MaxD is the widest row printed.
const narrow64MaxD = 4

// genNearestNarrow64 prints nearestNarrowF64D<d>AVX512(x *float64, n int, c *float64, k int,
// cn *float64, labels *int32, pf int) for d = 1…narrow64MaxD: labels of n rows (n a positive
// multiple of 8) at x, contiguous (stride d), against k centers c (k×d, row-major) with norms
// cn, 1 ≤ k ≤ 8; x is prefetched pf bytes ahead.
func genNearestNarrow64(a *asm) {
	for d := 1; d <= narrow64MaxD; d++ {
		if d > 1 {
			a.raw("\n")
		}
		genNearestNarrow64D(a, d)
	}
}

// Registers: F_f = Z0…Z3 (feature f of the 8 rows), Z4/Z5 the first and third vector of the
// rows, Z8+j the values of center j, Z16+f the permute indices r·d + f, Z20 = −2, Y22 the
// labels, Y22+j = j, Z31 scratch; K1… the merge masks of the permutes, K7 the compare.
func genNearestNarrow64D(a *asm, d int) {
	name := fmt.Sprintf("nearestNarrowF64D%dAVX512", d)
	a.raw(fmt.Sprintf("// func %s(x *float64, n int, c *float64, k int, cn *float64, labels *int32, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-56\n", name, name))
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ n+8(FP), BX")
	a.f("MOVQ c+16(FP), R8")
	a.f("MOVQ k+24(FP), DX")
	a.f("MOVQ cn+32(FP), R9")
	a.f("MOVQ labels+40(FP), R10")
	a.f("MOVQ pf+48(FP), R11")
	a.f("MOVQ $%d, AX", int64(-0x4000000000000000)) // −2.0
	a.f("VPBROADCASTQ AX, Z20")
	if d > 1 {
		a.f("MOVQ $0x0706050403020100, AX")
		a.f("VMOVQ AX, X16")
		a.f("VPMOVZXBQ X16, Z16")
		a.f("MOVQ $%d, AX", d)
		a.f("VPBROADCASTQ AX, Z31")
		a.f("VPMULLQ Z31, Z16, Z16")
		for f := 1; f < d; f++ {
			a.f("MOVQ $%d, AX", f)
			a.f("VPBROADCASTQ AX, Z31")
			a.f("VPADDQ Z31, Z16, Z%d", 16+f)
		}
	}
	for j := 1; j < 8; j++ {
		a.f("MOVL $%d, AX", j)
		a.f("VPBROADCASTD AX, Y%d", 22+j)
	}
	// The merge masks: lanes r of feature f whose element r·d + f lies in pair p ≥ 1 of vectors.
	pairLanes := func(f, p int) (m int) {
		for r := 0; r < 8; r++ {
			if (r*d+f)/16 == p {
				m |= 1 << r
			}
		}
		return m
	}
	masks := map[int]string{}
	for f := 0; f < d; f++ {
		for p := 1; 2*p < d; p++ {
			m := pairLanes(f, p)
			if _, ok := masks[m]; m != 0 && !ok {
				masks[m] = fmt.Sprintf("K%d", len(masks)+1)
				a.f("MOVQ $%d, AX", m)
				a.f("KMOVW AX, %s", masks[m])
			}
		}
	}
	a.label(name + "_loop")
	for i := 0; i < d; i++ { // the 8 rows are d lines
		a.f("PREFETCHT0 %d(SI)(R11*1)", 64*i)
	}
	if d == 1 {
		a.f("VMOVUPD (SI), Z0")
	} else {
		a.f("VMOVUPD (SI), Z4")
		if d > 3 {
			a.f("VMOVUPD 128(SI), Z5")
		}
		for f := 0; f < d; f++ {
			F := fmt.Sprintf("Z%d", f)
			idx := fmt.Sprintf("Z%d", 16+f)
			a.f("VMOVDQA64 %s, %s", idx, F)
			a.f("VPERMI2PD 64(SI), Z4, %s", F)
			for p := 1; 2*p < d; p++ {
				m := pairLanes(f, p)
				if m == 0 {
					continue
				}
				if 2*p+1 < d { // two vectors: C (Z5 at p = 1) and D
					a.f("VMOVAPD Z5, Z31")
					a.f("VPERMT2PD %d(SI), %s, Z31", 64*(2*p+1), idx)
					a.f("VMOVAPD Z31, %s, %s", masks[m], F)
				} else {
					a.f("VPERMPD %d(SI), %s, %s, %s", 64*2*p, idx, masks[m], F)
				}
			}
		}
	}
	// The values of center j: a chain of FMAs over the features from zero, then cn − 2·dot.
	for j := 0; j < 8; j++ {
		if j > 0 {
			a.f("CMPQ DX, $%d", j)
			a.f("JLE %s_valued", name)
		}
		z := fmt.Sprintf("Z%d", 8+j)
		a.f("VPXORQ %s, %s, %s", z, z, z)
		for f := 0; f < d; f++ {
			a.f("VFMADD231PD.BCST %d(R8), Z%d, %s", 8*(j*d+f), f, z)
		}
		a.f("VFMADD213PD.BCST %d(R9), Z20, %s", 8*j, z)
	}
	a.label(name + "_valued")
	// The first strict minimum, centers in order: Z8 the best value, Y22 its center.
	a.f("VPXORD Y22, Y22, Y22")
	for j := 1; j < 8; j++ {
		a.f("CMPQ DX, $%d", j)
		a.f("JLE %s_labelled", name)
		a.f("VCMPPD $1, Z8, Z%d, K7", 8+j) // value of j < best
		a.f("VMOVAPD Z%d, K7, Z8", 8+j)
		a.f("VMOVDQA32 Y%d, K7, Y22", 22+j)
	}
	a.label(name + "_labelled")
	a.f("VMOVDQU32 Y22, (R10)")
	a.f("ADDQ $%d, SI", 64*d)
	a.f("ADDQ $32, R10")
	a.f("SUBQ $8, BX")
	a.f("JGT %s_loop", name)
	a.f("VZEROUPPER")
	a.f("RET")
}

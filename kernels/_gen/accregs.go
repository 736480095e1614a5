package main

import "fmt"

// Register sums: the few-center pass's accumulation of a block of labelled float32 rows, each
// center's float64 sums held in registers instead of memory (genSmallK prints them into
// smallk_amd64.s; the rows-in-lanes tile, transpose_amd64.go, calls them).
//
// The padded sums in memory (smallKAccRow, accPadded) make one dependency chain per center
// through a store and a load: each row of a center waits for the previous row's store to
// forward and for its add. In registers a step of the chain is one add; and the rows of a block
// are first sorted by center, into lists of row offsets in row order, so that the k chains
// advance side by side, each on its own rows only: step j adds the j-th row of every center's
// list. A center with fewer rows than the longest list adds a row of −0.0 instead, which changes
// nothing bit for bit (x + (−0) = x for every x, −0 + −0 = −0, a quiet NaN comes back as it
// was), so each center's sums are still its rows added one by one in row order from the sums
// given: the reference accumulation's operations.
//
// Three phases per block of at most accRegsBlock rows, in a frame of the function's own:
//  1. widen every row to float64 into a scratch row of V vectors, the weight (1 or w[i]) in the
//     lane after the data and the row times the weight, as the reference computes them;
//  2. per center, compress the scratch offsets of its rows (16 labels at a time) into its list,
//     and pad every list to the longest with the offset of the −0.0 row;
//  3. load the sums, add list after list step by step, store the sums.
//
// Measured against the padded sums in memory (fastest of 300 interleaved runs of a 1024-row
// block, in cache): the accumulation alone at d=3, k=3 1.34 against 1.78 ns a row, but 1.69
// against 1.49 at k=8 and 8.9 against 3.5 at d=32 (phase 1's stores of widened rows grow with
// d, and phase 3's padded steps with k), so the Go side takes them for d < 16 and k ≤ 4 only.

// accRegsBlock is the most rows one call takes: the scratch in the frame is sized for it.
const accRegsBlock = 128

// accRegsMaxK is the most centers served (and so the lists and loops printed).
const accRegsMaxK = 4

// genAccRegs prints, for float32 rows (AVX-512 only),
// accRegsF32<W>AVX512(x *float32, ldx, n, d, k int, labels *int32, w *float32, acc *float64):
// n ≤ accRegsBlock rows at x (stride ldx) of d features, labels in [0, k), k ≤ accRegsMaxK,
// weights w (nil: unit), added into the padded sums acc (k rows of smallKStride(d) float64: d
// sums, the weight sum, zeros). W is Narrow for d < 4 (sums in ymm), V1 for d < 8 and V2 for
// d < 16 (sums in one or two zmm); the unit-weight forms (genAccRegsUnit) go on to V5, d < 40,
// with a W<V> form for each d = 8·(V−1).
func genAccRegs(a *asm, v variant) {
	if !v.avx512() || v.f64() {
		return
	}
	genAccRegsV(a, v, "Narrow", 1, 4)
	a.raw("\n")
	genAccRegsV(a, v, "V1", 1, 8)
	a.raw("\n")
	genAccRegsV(a, v, "V2", 2, 8)
	for _, w := range []struct {
		tag        string
		V, L       int
		weightOnly bool
	}{{"Narrow", 1, 4, false}, {"V1", 1, 8, false}, {"V2", 2, 8, false}, {"W2", 2, 8, true},
		{"V3", 3, 8, false}, {"W3", 3, 8, true}, {"V4", 4, 8, false}, {"W4", 4, 8, true},
		{"V5", 5, 8, false}, {"W5", 5, 8, true}} {
		a.raw("\n")
		genAccRegsUnit(a, v, w.tag, w.V, w.L, w.weightOnly)
	}
}

// sumsReg names the vector registers of L float64 sums: zmm for 8, ymm for 4.
func sumsReg(L int) func(i int) string {
	R := "Z"
	if L == 4 {
		R = "Y"
	}
	return func(i int) string { return fmt.Sprintf("%s%d", R, i) }
}

// genAccRegsV prints one of them: V vectors of L float64 sums per center.
func genAccRegsV(a *asm, v variant, tag string, V, L int) {
	name := fmt.Sprintf("accRegs%s%sAVX512", v.T, tag)
	vb := 8 * L // bytes of one vector of sums
	reg := sumsReg(L)
	B, K := accRegsBlock, accRegsMaxK
	rowBytes := vb * V            // one widened row
	scratch := (B + 1) * rowBytes // the widened rows, then the −0.0 row at index B
	listBytes := (B + 16) * 4     // per center: row offsets, room past the 16 a store writes
	lists := scratch
	lens := lists + K*listBytes
	frame := lens + 8*K + 64 // and room to align the base to 64 bytes
	// Not NOSPLIT: the frame is large, so the assembler adds the stack check.
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d, k int, labels *int32, w *%s, acc *float64)\nTEXT ·%s(SB), $%d-64\n",
		name, goT(v), goT(v), name, frame))
	a.f("MOVQ w+48(FP), R11")
	accRegsStart(a, v, name, reg(30), L)
	a.f("MOVQ $%d, AX", int64(-0x8000000000000000))
	a.f("VPBROADCASTQ AX, %s", reg(31))
	for i := 0; i < V; i++ {
		a.f("VMOVAPD %s, %d(R13)", reg(31), B*rowBytes+vb*i)
	}
	// Phase 1.
	a.f("MOVQ R13, DI")
	a.f("MOVQ BX, CX")
	a.f("TESTQ R11, R11")
	a.f("JNE %s_wrow", name)
	for _, weighted := range []bool{false, true} {
		lbl := name + "_urow"
		if weighted {
			lbl = name + "_wrow"
		}
		a.label(lbl)
		if weighted {
			broadcastWeight(a, v, "R11", reg(29), "X29")
		}
		for i := 0; i < V; i++ {
			z := reg(i)
			if i < V-1 { // whole vectors of data (d ≥ L·(V−1))
				a.f("VCVTPS2PD %d(SI), %s", L*i*v.Size, z)
			} else {
				a.f("VCVTPS2PD.Z %d(SI), K2, %s", L*i*v.Size, z)
				a.f("VMOVAPD %s, K3, %s", reg(30), z)
			}
			if weighted {
				a.f("VMULPD %s, %s, %s", reg(29), z, z)
			}
			a.f("VMOVAPD %s, %d(DI)", z, vb*i)
		}
		a.f("ADDQ R8, SI")
		a.f("ADDQ $%d, DI", rowBytes)
		a.f("DECQ CX")
		a.f("JNE %s", lbl)
		if !weighted {
			a.f("JMP %s_lists", name)
		}
	}
	// Phase 2. Z16: the scratch offsets of 16 consecutive rows, Z17: 16 rows' worth to add.
	a.label(name + "_lists")
	a.f("MOVQ k+32(FP), DX")
	laneIndices(a)
	a.f("VPSLLD $%d, Z16, Z16", log2(rowBytes)) // rowBytes: 32, 64 or 128
	a.f("MOVL $%d, AX", 16*rowBytes)
	a.f("VPBROADCASTD AX, Z17")
	centerLists(a, name, "DX", K, lists, listBytes, lens)
	// R12: the longest list; the others are padded to it with the −0.0 row's offset.
	a.f("XORQ R12, R12")
	for c := 0; c < K; c++ {
		a.f("CMPQ DX, $%d", c)
		a.f("JLE %s_maxed", name)
		a.f("MOVQ %d(R13), AX", lens+8*c)
		a.f("CMPQ AX, R12")
		a.f("CMOVQGT AX, R12")
	}
	a.label(name + "_maxed")
	a.f("MOVL $%d, AX", B*rowBytes)
	a.f("VPBROADCASTD AX, Z1")
	for c := 0; c < K; c++ {
		a.f("CMPQ DX, $%d", c)
		a.f("JLE %s_padded", name)
		a.f("MOVQ %d(R13), AX", lens+8*c)
		a.label(fmt.Sprintf("%s_pad%d", name, c))
		a.f("CMPQ AX, R12")
		a.f("JGE %s_pad%d_done", name, c)
		a.f("VMOVDQU32 Z1, %d(R13)(AX*4)", lists+c*listBytes)
		a.f("ADDQ $16, AX")
		a.f("JMP %s_pad%d", name, c)
		a.label(fmt.Sprintf("%s_pad%d_done", name, c))
	}
	a.label(name + "_padded")
	// Phase 3: one loop per center count.
	a.f("MOVQ acc+56(FP), R9")
	for k := 1; k <= K; k++ {
		a.f("CMPQ DX, $%d", k)
		a.f("JEQ %s_k%d", name, k)
	}
	a.f("JMP %s_ret", name) // k outside 1…K: the Go side never passes it
	gprs := []string{"AX", "BX", "CX", "DI"}
	accOff := func(c, i int) int { return c*64*V + i*vb } // the acc stride, smallKStride(d), is 8·V
	for k := 1; k <= K; k++ {
		lbl := fmt.Sprintf("%s_k%d", name, k)
		a.label(lbl)
		for c := 0; c < k; c++ {
			for i := 0; i < V; i++ {
				a.f("VMOVUPD %d(R9), %s", accOff(c, i), reg(c*V+i))
			}
		}
		a.f("XORQ DX, DX")
		a.f("TESTQ R12, R12")
		a.f("JEQ %s_store", lbl)
		a.label(lbl + "_step")
		for c := 0; c < k; c++ {
			a.f("MOVLQSX %d(R13)(DX*4), %s", lists+c*listBytes, gprs[c])
		}
		for c := 0; c < k; c++ {
			for i := 0; i < V; i++ {
				a.f("VADDPD %d(R13)(%s*1), %s, %s", vb*i, gprs[c], reg(c*V+i), reg(c*V+i))
			}
		}
		a.f("INCQ DX")
		a.f("CMPQ DX, R12")
		a.f("JLT %s_step", lbl)
		a.label(lbl + "_store")
		for c := 0; c < k; c++ {
			for i := 0; i < V; i++ {
				a.f("VMOVUPD %s, %d(R9)", reg(c*V+i), accOff(c, i))
			}
		}
		a.f("JMP %s_ret", name)
	}
	a.label(name + "_ret")
	a.f("VZEROUPPER")
	a.f("RET")
}

// laneIndices puts 0, 1, …, 15 into the int32 lanes of Z16 (clobbers AX, X1).
func laneIndices(a *asm) {
	a.f("MOVQ $0x0706050403020100, AX")
	a.f("VMOVQ AX, X1")
	a.f("MOVQ $0x0f0e0d0c0b0a0908, AX")
	a.f("VPINSRQ $1, AX, X1, X1")
	a.f("VPMOVZXBD X1, Z16")
}

// centerLists prints the register sums' sorting of BX rows by center (labels at R10): for
// each center c below the count in kReg (c ≤ K−1), the values of Z16 of its rows, in row order,
// into its list at lists + c·listBytes (R13-relative) and their number into lens + 8·c. Z16
// holds the values of 16 consecutive rows and Z17 what to add for the next 16. (No legacy SSE
// instruction here: one with the upper halves dirty cost a fifth of the pass.) Clobbers AX,
// CX, DI, K1, K4, Z0, Z8…Z8+K−1, Z20…Z20+K−1, R10.
func centerLists(a *asm, name, kReg string, K, lists, listBytes, lens int) {
	for c := 0; c < K; c++ { // Z8+c: c in every lane
		a.f("MOVQ $0, %d(R13)", lens+8*c)
		a.f("MOVL $%d, AX", c)
		a.f("VPBROADCASTD AX, Z%d", 8+c)
	}
	a.f("MOVQ BX, CX") // rows left
	a.label(name + "_group")
	a.f("MOVQ $0xFFFF, AX") // K1: the rows of this group, min(16, CX)
	a.f("CMPQ CX, $16")
	a.f("JGE %s_full", name)
	a.f("MOVQ $1, AX")
	a.f("SHLQ CX, AX")
	a.f("DECQ AX")
	a.label(name + "_full")
	a.f("KMOVW AX, K1")
	a.f("VMOVDQU32.Z (R10), K1, Z0")
	for c := 0; c < K; c++ {
		a.f("CMPQ %s, $%d", kReg, c)
		a.f("JLE %s_gnext", name)
		a.f("VPCMPEQD Z%d, Z0, K1, K4", 8+c)
		a.f("VPCOMPRESSD.Z Z16, K4, Z%d", 20+c)
		a.f("MOVQ %d(R13), AX", lens+8*c)
		a.f("VMOVDQU32 Z%d, %d(R13)(AX*4)", 20+c, lists+c*listBytes)
		a.f("KMOVW K4, DI")
		a.f("POPCNTL DI, DI")
		a.f("ADDQ DI, AX")
		a.f("MOVQ AX, %d(R13)", lens+8*c)
	}
	a.label(name + "_gnext")
	a.f("VPADDD Z17, Z16, Z16")
	a.f("ADDQ $64, R10")
	a.f("SUBQ $16, CX")
	a.f("JGT %s_group", name)
}

// accRegsStart prints the register sums' common start: SI = x, R8 = ldx bytes, BX = n, R10 =
// labels, R13 = the frame's base rounded up to 64 bytes; returns (to name_ret) when n = 0; 1.0
// in one, K2: the data lanes of a row's last vector of L (d mod L), K3: the lane after them
// (the weight).
func accRegsStart(a *asm, v variant, name, one string, L int) {
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+40(FP), R10")
	a.f("MOVQ SP, R13")
	a.f("ADDQ $63, R13")
	a.f("ANDQ $-64, R13")
	a.f("TESTQ BX, BX")
	a.f("JEQ %s_ret", name)
	smallKMasks(a, v, smallKRegisters{one: one, lanes: L})
}

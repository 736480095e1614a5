package main

import "fmt"

// genSmallK prints lloydSmallK<T>AVX512(x *T, ldx, n, d int, ct, cn, w *T, labels *int32,
// acc *float64, accStride, pf int): the fused Lloyd pass for k ≤ 8 centers (the AVX2 variants
// print genSmallKAVX2's form of it).
//
// Centers run along the lanes instead of rows: ct is the k×d centers transposed and padded to 8
// lanes (ct[f·8 + j] = feature f of center j, 0 for j ≥ k) and cn their norms (+Inf for j ≥ k,
// so a pad lane never wins). Each row is read from memory once, where it lies, one feature at a
// time broadcast against the feature's center vector: no gather, no transposition. For every
// (row, center) the instructions are those of the nearest tile — a fused multiply-add per
// feature in feature order from zero, then cn − 2·dot in one rounding — so every value, and so
// every label, is bit for bit the one NearestF64/F32 computes. Sixteen rows go together so that
// sixteen independent FMA chains hide the latency (with eight, d=32 ran 25% slower).
//
// The label is the lowest lane equal to the row's minimum (a horizontal min; for values that
// are not NaN this is the reference's strict first minimum). The row is then added, widened to
// float64, into acc[label·accStride : +d] and its weight (1 or w[i]) into acc[label·accStride+d]:
// row by row in row order, the reference accumulation's operations, so the sums are bitwise
// equal to it. acc is the caller's padded, aligned copy of the sums (accStride = d+1 rounded up
// to the sum lanes, see smallKSumLanes): each update is whole vectors, which store-forward to
// the next row of the same center, where the masked stores of an unpadded layout would not.
func genSmallK(a *asm, v variant) {
	if !v.avx512() {
		genSmallKAVX2(a, v)
		return
	}
	name := fmt.Sprintf("lloydSmallK%sAVX512", v.T)
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, ct, cn, w *%s, labels *int32, acc *float64, accStride, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-88\n",
		name, goT(v), goT(v), name))
	r := smallKRegs(v)
	shift := log2(v.Size)
	a.f("MOVQ x+0(FP), SI")
	a.f("MOVQ ldx+8(FP), R8")
	a.f("SHLQ $%d, R8", shift)
	a.f("LEAQ (R8)(R8*2), R9")
	a.f("MOVQ n+16(FP), BX")
	a.f("MOVQ labels+56(FP), R10")
	a.f("MOVQ w+48(FP), R11")
	v.constBits(a, 0xC000000000000000, 0xC0000000, r.m2, "")
	a.f("MOVQ cn+40(FP), AX")
	a.f("VMOVUP%s (AX), %s", v.P[1:], r.cn)
	smallKMasks(a, v, r)
	// Four copies of the loops: unit weights or given weights (R11 walks w), rows narrower than
	// one vector of sums or not (the narrow ones skip the loop over whole chunks, a fifth of the
	// instructions of a row at d=3).
	a.f("MOVQ d+24(FP), CX")
	a.f("CMPQ CX, $%d", r.lanes)
	a.f("JGE %s_wide", name)
	a.f("TESTQ R11, R11")
	a.f("JNE %s_nw_group", name)
	a.f("JMP %s_nu_group", name)
	a.label(name + "_wide")
	a.f("TESTQ R11, R11")
	a.f("JNE %s_ww_group", name)
	a.f("JMP %s_wu_group", name)
	for _, narrow := range []bool{true, false} {
		rr, tag := r, "_w"
		if narrow {
			rr.narrow, tag = true, "_n"
		}
		for _, weighted := range []bool{false, true} {
			suffix := "u"
			if weighted {
				suffix = "w"
			}
			smallKLoops(a, name+tag+suffix, smallKGroup, func(lbl string, R int) { smallKRows(a, v, rr, lbl, R, weighted) })
		}
	}
	a.raw("\n")
	genAccRegs(a, v)
	if v.f64() {
		genSumRegs(a, v)
		// Rows in lanes for narrow float64 rows and the sums that go with them.
		a.raw("\n")
		genNearestNarrow64(a)
		a.raw("\n")
		genNearestRows64(a)
		a.raw("\n")
		genSumRows(a)
		genSumLanes(a)
	}
}

// smallKGroup is how many rows go through the dot products together: 16 independent FMA
// chains per feature, enough to keep both FMA ports busy through the 4-cycle latency.
const smallKGroup = 16

// smallKRegs names the vector registers: acc[r] for row r of the group (8 center lanes of T:
// ymm for float32, zmm for float64), then the rest, all past the 16 accumulators (EVEX only).
type smallKRegisters struct {
	acc                  []string
	cvec, m2, cn, t1, t2 string // current feature of the centers, −2, norms, min scratch
	one, row, row2, w    string // float64 sums' width: 1.0, two row chunks, the row's weight
	lanes                int    // float64 lanes of those
	narrow               bool   // rows have fewer features than lanes: only the last chunk
	wx                   string // the xmm of w
}

func smallKRegs(v variant) smallKRegisters {
	cv := "Z"
	if !v.f64() {
		cv = "Y"
	}
	var r smallKRegisters
	for i := 0; i < smallKGroup; i++ {
		r.acc = append(r.acc, fmt.Sprintf("%s%d", cv, i))
	}
	c := func(i int) string { return fmt.Sprintf("%s%d", cv, i) }
	r.cvec, r.m2, r.cn, r.t1, r.t2 = c(16), c(17), c(18), c(19), c(20)
	// The sums are float64: zmm (8 lanes) for float64 data; for float32 data ymm (4 lanes), so
	// that nothing in the float32 kernel is 512 bits wide and the third vector port stays open
	// (Intel fuses ports 0 and 1 while 512-bit instructions are in flight).
	a := "Z"
	if !v.f64() {
		a = "Y"
	}
	r.one, r.row, r.w, r.wx, r.row2 = a+"21", a+"22", a+"23", "X23", a+"24"
	r.lanes = smallKSumLanes(v)
	return r
}

// wideSums switches the accumulation registers to zmm (8 float64 lanes), for code that runs
// 512-bit instructions anyway.
func (r smallKRegisters) wideSums() smallKRegisters {
	r.one, r.row, r.w, r.row2, r.lanes = "Z21", "Z22", "Z23", "Z24", 8
	return r
}

// smallKLoops prints the group loop, then the one-row loop for the rest, ending in RET: rows
// prints the work of R rows (group, or 1) under labels starting with lbl.
func smallKLoops(a *asm, name string, group int, rows func(lbl string, R int)) {
	a.label(name + "_group")
	a.f("CMPQ BX, $%d", group)
	a.f("JLT %s_tail", name)
	// Prefetch the group pf bytes ahead (a prefetch never faults, so running past the matrix is
	// harmless): the dot products come in bursts that leave the hardware prefetcher behind, which
	// left the rows that stream from memory well below the bandwidth. R14 walks the lines to
	// prefetch; the dot loop takes them a few at a time (see smallKRows).
	a.f("MOVQ pf+80(FP), R14")
	a.f("ADDQ SI, R14")
	rows(name+"_g", group)
	a.f("SUBQ $%d, BX", group)
	a.f("JMP %s_group", name)
	a.label(name + "_tail")
	a.f("TESTQ BX, BX")
	a.f("JEQ %s_done", name)
	rows(name+"_t", 1)
	a.f("DECQ BX")
	a.f("JMP %s_tail", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// smallKRows prints the work of R rows (smallKGroup or 1) starting at SI: dot products,
// labels, sums; it leaves SI, R10 (labels) and R11 (weights) past the R rows.
func smallKRows(a *asm, v variant, r smallKRegisters, lbl string, R int, weighted bool) {
	for i := 0; i < R; i++ {
		v.zero(a, r.acc[i])
	}
	// Rows 4q..4q+3 are addressed from bases[q] (+0, +ldx, +2·ldx, +3·ldx with R8 = ldx and
	// R9 = 3·ldx in bytes), the bases walking along the features; DX walks ct.
	bases := []string{"AX", "DI", "R12", "R13"}
	a.f("MOVQ SI, AX")
	for q := 1; q*4 < R; q++ {
		a.f("LEAQ (%s)(R8*4), %s", bases[q-1], bases[q])
	}
	a.f("MOVQ ct+32(FP), DX")
	a.f("MOVQ d+24(FP), CX")
	a.label(lbl + "_dot")
	a.f("VMOVUP%s (DX), %s", v.P[1:], r.cvec)
	idx := []string{"", "(R8*1)", "(R8*2)", "(R9*1)"}
	for i := 0; i < R; i++ {
		a.f("VFMADD231%s.BCST (%s)%s, %s, %s", v.P, bases[i/4], idx[i%4], r.cvec, r.acc[i])
	}
	for q := 0; q*4 < R; q++ {
		a.f("ADDQ $%d, %s", v.Size, bases[q])
	}
	if R == smallKGroup {
		// One group's rows, when contiguous, are smallKGroup·d elements: for float32 rows as
		// many bytes as the one line a turn of this loop prefetches, for float64 rows twice as
		// many, the other half prefetched row by row in the accumulation below (spread over
		// both phases the pass from DRAM took 21.6 instead of 23.6 ns a row at 10⁶×32, k=8,
		// than with two lines a turn here). Issued a few at a time the prefetches keep memory
		// busy while the FMAs run; issued all at once at the group's start (as they were), the
		// line fill buffers ran out and the loads behind them waited on memory.
		a.f("PREFETCHT0 (R14)")
		a.f("ADDQ $64, R14")
	}
	smallKDotEnd(a, v, lbl)
	for i := 0; i < R; i++ {
		acc := r.acc[i]
		// value = cn − 2·dot, one rounding, as the nearest tile.
		a.f("VFMADD213%s %s, %s, %s", v.P, r.cn, r.m2, acc)
		// Horizontal minimum of the 8 lanes into every lane of t1.
		if v.f64() {
			a.f("VPERMILPD $0x55, %s, %s", acc, r.t1)
			a.f("VMINPD %s, %s, %s", acc, r.t1, r.t1)
			a.f("VPERMPD $0x4E, %s, %s", r.t1, r.t2)
			a.f("VMINPD %s, %s, %s", r.t2, r.t1, r.t1)
			a.f("VSHUFF64X2 $0x4E, %s, %s, %s", r.t1, r.t1, r.t2)
			a.f("VMINPD %s, %s, %s", r.t2, r.t1, r.t1)
			a.f("VCMPPD $0, %s, %s, K1", r.t1, acc)
		} else {
			a.f("VPERMILPS $0xB1, %s, %s", acc, r.t1)
			a.f("VMINPS %s, %s, %s", acc, r.t1, r.t1)
			a.f("VPERMILPS $0x4E, %s, %s", r.t1, r.t2)
			a.f("VMINPS %s, %s, %s", r.t2, r.t1, r.t1)
			a.f("VPERMPD $0x4E, %s, %s", r.t1, r.t2)
			a.f("VMINPS %s, %s, %s", r.t2, r.t1, r.t1)
			a.f("VCMPPS $0, %s, %s, K1", r.t1, acc)
		}
		// The lowest lane equal to the minimum; none (only with NaN values) gives 8, masked to 0.
		a.f("KMOVW K1, AX")
		a.f("ORL $0x100, AX")
		a.f("TZCNTL AX, AX")
		a.f("ANDL $7, AX")
		a.f("MOVL AX, (R10)")
		a.f("ADDQ $4, R10")
		smallKAccRow(a, v, r, lbl, i, weighted)
		if R == smallKGroup {
			smallKCatchUp(a, lbl, i)
		}
	}
}

// smallKMasks sets up what the accumulation needs: the unit weight in r.one, K2 = the data
// lanes of a row's last (partial) chunk, d mod (sum lanes) of them, K3 = the lane after them,
// where the weight goes. d is the argument at d+24(FP) in every function that uses it.
func smallKMasks(a *asm, v variant, r smallKRegisters) {
	a.f("MOVQ $%d, AX", int64(0x3FF0000000000000))
	a.f("VPBROADCASTQ AX, %s", r.one)
	a.f("MOVQ d+24(FP), CX")
	a.f("ANDQ $%d, CX", r.lanes-1)
	a.f("MOVQ $1, AX")
	a.f("SHLQ CX, AX")
	a.f("KMOVW AX, K3")
	a.f("DECQ AX")
	a.f("KMOVW AX, K2")
}

// smallKAccRow adds the row at SI (then moves SI to the next row, R8 = ldx bytes) and its
// weight (unit, or at R11, then moved on) into the padded sums of center AX (R12 = acc,
// R13 = accStride bytes). Clobbers AX, CX, DX.
func smallKAccRow(a *asm, v variant, r smallKRegisters, lbl string, i int, weighted bool) {
	smallKRowStart(a, v, r, weighted)
	if r.narrow {
		smallKLastChunk(a, v, r, weighted)
		return
	}
	last := fmt.Sprintf("%s_%d_last", lbl, i)
	smallKWholeChunks(a, v, r, fmt.Sprintf("%s_%d", lbl, i), last, weighted)
	a.label(last)
	smallKLastChunk(a, v, r, weighted)
}

// smallKRowStart points AX at the padded sums of center AX (R12 = acc, R13 = accStride bytes)
// and DX at the row at SI, moves SI to the next row (R8 = ldx bytes) and, for weighted rows,
// broadcasts the row's weight at R11 as float64 into r.w and moves R11 on.
func smallKRowStart(a *asm, v variant, r smallKRegisters, weighted bool) {
	// AX = this center's padded sums; DX walks the row.
	a.f("IMULQ R13, AX")
	a.f("ADDQ R12, AX")
	a.f("MOVQ SI, DX")
	a.f("ADDQ R8, SI")
	if weighted {
		broadcastWeight(a, v, "R11", r.w, r.wx)
	}
}

// broadcastWeight broadcasts the row weight at (ptr) as float64 into z (x: z's low lanes, where
// a float32 weight is widened) and moves ptr to the next weight.
func broadcastWeight(a *asm, v variant, ptr, z, x string) {
	if v.f64() {
		a.f("VBROADCASTSD (%s), %s", ptr, z)
	} else {
		a.f("VCVTSS2SD (%s), %s, %s", ptr, x, x)
		a.f("VBROADCASTSD %s, %s", x, z)
	}
	a.f("ADDQ $%d, %s", v.Size, ptr)
}

// smallKWholeChunks adds the row's d / r.lanes whole chunks at DX (weighted by r.w) into the
// sums at AX, two per loop turn (CX counts them), then one, and jumps to done; labels start
// with lbl. DX and AX are left past the chunks.
func smallKWholeChunks(a *asm, v variant, r smallKRegisters, lbl, done string, weighted bool) {
	L := r.lanes
	chunk := func(k int, reg string) {
		if v.f64() {
			a.f("VMOVUPD %d(DX), %s", k*L*v.Size, reg)
		} else {
			a.f("VCVTPS2PD %d(DX), %s", k*L*v.Size, reg)
		}
		if weighted {
			a.f("VMULPD %s, %s, %s", r.w, reg, reg)
		}
		a.f("VADDPD %d(AX), %s, %s", k*L*8, reg, reg)
		a.f("VMOVUPD %s, %d(AX)", reg, k*L*8)
	}
	a.f("MOVQ d+24(FP), CX")
	a.f("SHRQ $%d, CX", log2(L))
	a.label(lbl + "_pair")
	a.f("CMPQ CX, $2")
	a.f("JLT %s_one", lbl)
	chunk(0, r.row)
	chunk(1, r.row2)
	a.f("ADDQ $%d, DX", 2*L*v.Size)
	a.f("ADDQ $%d, AX", 2*L*8)
	a.f("SUBQ $2, CX")
	a.f("JMP %s_pair", lbl)
	a.label(lbl + "_one")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s", done)
	chunk(0, r.row)
	a.f("ADDQ $%d, DX", L*v.Size)
	a.f("ADDQ $%d, AX", L*8)
}

// smallKLastChunk adds the last d mod (sum lanes) features at DX (a masked load reads nothing
// past them, faults included) and the weight into the sums at AX.
func smallKLastChunk(a *asm, v variant, r smallKRegisters, weighted bool) {
	if v.f64() {
		a.f("VMOVUPD.Z (DX), K2, %s", r.row)
	} else {
		a.f("VCVTPS2PD.Z (DX), K2, %s", r.row)
	}
	a.f("VMOVAPD %s, K3, %s", r.one, r.row)
	if weighted {
		a.f("VMULPD %s, %s, %s", r.w, r.row, r.row)
	}
	a.f("VADDPD (AX), %s, %s", r.row, r.row)
	a.f("VMOVUPD %s, (AX)", r.row)
}

// smallKSumLanes is how many float64 sums one accumulate instruction updates (see smallKRegs);
// the Go side pads each center's sums to a multiple of 8 (smallKStride).
func smallKSumLanes(v variant) int {
	if v.f64() {
		return 8
	}
	return 4
}

// smallKDotEnd closes the dot loop of a group (DX walks the transposed centers, CX counts the
// features) and loads the padded sums' base into R12 and their stride in bytes into R13.
func smallKDotEnd(a *asm, v variant, lbl string) {
	a.f("ADDQ $%d, DX", 8*v.Size)
	a.f("DECQ CX")
	a.f("JNE %s_dot", lbl)
	a.f("MOVQ acc+64(FP), R12")
	a.f("MOVQ accStride+72(FP), R13")
	a.f("SHLQ $3, R13")
}

// smallKCatchUp catches R14 up with pf bytes past the next row (SI) after row i of a group:
// what the dot loop left of this group's lines (half of them for float64 rows, the rest of
// strided rows), a few lines a row. After the last row R14 is where the next group starts it.
func smallKCatchUp(a *asm, lbl string, i int) {
	catch := fmt.Sprintf("%s_%d_prefetch", lbl, i)
	a.f("MOVQ pf+80(FP), CX")
	a.f("ADDQ SI, CX")
	a.label(catch)
	a.f("CMPQ R14, CX")
	a.f("JGE %s_done", catch)
	a.f("PREFETCHT0 (R14)")
	a.f("ADDQ $64, R14")
	a.f("JMP %s", catch)
	a.label(catch + "_done")
}

package main

import "fmt"

// accRegsUnitMaxK is the most centers accRegsUnit serves, accRegsMaxK at a time (the Go side,
// unitAccRegs, takes all eight only for rows of 4…7 features). Session 5 printed up to 8
// centers and d ≤ 32 (3…5 vectors of sums) and took them out again: in one Lloyd iteration on
// two threads they took 1.08–1.42× the time of the padded sums at 65 536 and 10⁶ rows, though
// the kernels alone won in cache (0.64–0.90×). Session 33 found the missing piece, the
// prefetch (see body): with it, one iteration on two threads, medians of five paired rounds
// against the padded sums or sumRegs, AMD Zen 5: 65 536 rows d = 32 k = 3 / 4 0.75 / 0.76×,
// d = 24 k = 3 0.78×, d = 20 k = 2 0.87×; 10⁶ rows d = 16 k = 3 0.72×, d = 24 k = 4 0.87×,
// d = 32 k = 2 / 3 / 4 0.95 / 0.87–0.94 / 0.90× (one thread's CPU time 0.75 / 0.77–0.81 / –),
// d = 36 k = 3 0.96×; d = 7 k = 8 0.76× at 65 536 rows and 0.87× at 10⁶, d = 4 k = 5 0.70×.
// Still slower: d = 32 k = 8 (0.90× at 65 536 rows but 1.02–1.08× at 10⁶, whatever the prefetch
// distance from 8 to 64 KB), and d = 10 k = 8 through the tiles instead of centers in lanes
// gained at 65 536 rows (0.90×) but not at 10⁶ (1.00×).
const accRegsUnitMaxK = 2 * accRegsMaxK

// Register sums for unit weights, rows widened where they lie (accRegsUnit): genAccRegs's job
// for w = nil without its scratch of widened rows and without padding the lists.
//
// genAccRegs widens every row into a scratch first (two 64-byte stores a row at d ≥ 8) and pads
// every center's list to the longest with a −0.0 row, so that the busiest center's chain sets
// the number of steps for all of them. Here the lists hold the rows' byte offsets in x itself,
// and each step converts its rows from x as it adds them: the conversions are the same ones,
// moved next to the adds whose 4-cycle chains leave the ports idle anyway. Without a −0.0 row
// (the unit weight lane would add 1.0 to it) the lists are not padded: the steps run in stages,
// each stage a loop printed for the set S of centers whose lists still have rows (bit c of S:
// center c), up to the shortest of them; then S shrinks. With k ≤ accRegsMaxK that is at most
// 15 loops, entered at most k times a block; more centers go through the lists K at a time.
// Each center's sums are still its rows added one by
// one in row order from the sums given: the reference accumulation's operations.
//
// accRegsUnitF32<W>AVX512(x *float32, ldx, n, d, k int, labels *int32, acc *float64, pf int):
// as accRegsF32<W>AVX512 with w = nil (V vectors of L sums a center, V up to 5: d < 40),
// k ≤ accRegsUnitMaxK, prefetching pf bytes ahead of each row; ldx·4·accRegsBlock must stay
// below 2³¹ (32-bit offsets).
//
// With weightOnly (d = L·(V−1): the last vector holds only the weight lane) that vector is the
// constant 1.0, 0, 0, … in reg(31), added without a conversion.
func genAccRegsUnit(a *asm, v variant, tag string, V, L int, weightOnly bool) {
	name := fmt.Sprintf("accRegsUnit%s%sAVX512", v.T, tag)
	vb := 8 * L // bytes of one vector of sums
	reg := sumsReg(L)
	// K: the most centers of the stages, KK: the most centers served, K at a time.
	B, K, KK := accRegsBlock, accRegsMaxK, accRegsUnitMaxK
	listBytes := (B + 16) * 4 // per center: row offsets, room past the 16 a store writes
	lists := 0
	lens := lists + KK*listBytes
	frame := lens + 8*KK + 64 // and room to align the base to 64 bytes
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d, k int, labels *int32, acc *float64, pf int)\nTEXT ·%s(SB), $%d-64\n",
		name, goT(v), name, frame))
	accRegsStart(a, v, name, reg(30), L) // R13: the lists
	// R14 = x + pf: see prefetchLines (R8 keeps ldx bytes throughout).
	a.f("MOVQ pf+56(FP), R14")
	a.f("ADDQ SI, R14")
	a.f("VMOVAPD.Z %s, K3, %s", reg(30), reg(31)) // 1.0 in the weight lane only
	// The lists, as genAccRegs's phase 2 but of byte offsets in x: Z16 = the offsets of 16
	// consecutive rows, Z17 = 16 rows' worth to add.
	a.f("MOVQ k+32(FP), R11")
	laneIndices(a)
	a.f("VPBROADCASTD R8, Z17")
	a.f("VPMULLD Z17, Z16, Z16")
	a.f("VPSLLD $4, Z17, Z17")
	centerLists(a, name, "R11", KK, lists, listBytes, lens)
	accOff := func(c, i int) int { return c*64*V + i*vb } // the acc stride, smallKStride(d), is 8·V
	// sums loads (or stores) the sums of centers g0 … g0+m−1 below k from (into) acc, center c
	// in registers reg((c−g0)·V …), then goes on at label done.
	sums := func(g0, m int, store bool, done string) {
		a.f("MOVQ acc+48(FP), R9")
		for c := g0; c < g0+m; c++ {
			a.f("CMPQ R11, $%d", c)
			a.f("JLE %s", done)
			for i := 0; i < V; i++ {
				if store {
					a.f("VMOVUPD %s, %d(R9)", reg((c-g0)*V+i), accOff(c, i))
				} else {
					a.f("VMOVUPD %d(R9), %s", accOff(c, i), reg((c-g0)*V+i))
				}
			}
		}
		a.label(done)
	}
	gprs := []string{"AX", "BX", "CX", "DI", "R8", "R10", "R9", "R15"}
	// As each row is added, the lines of one row pf bytes ahead are prefetched, in row order
	// (R14 walks from x + pf by ldx bytes a row added, whichever row that was): the padded sums'
	// way. The tiles' transposition prefetches only the next tile, and without this the register
	// sums lost to the padded sums from DRAM (see accRegsUnitMaxK). Prefetching the added row's
	// own offset pf ahead instead (in the lists' order) measured the same at k ≤ 4 and worse at
	// k = 8, d = 32 (10⁶ rows, two threads: 1.08× the padded sums' time, row order 1.02×). Rows
	// of fewer than 8 features take none: several rows share a line, and 10⁶ rows at d = 3, 5
	// and 7, k = 3 took 1.07, 1.02 and 1.01× the time with it.
	prefetchLines := 0
	if L == 8 && V >= 2 {
		prefetchLines = (4*L*V + 63) / 64 // the widest row of V vectors: 4·8·V bytes
	}
	// The conversions' registers: past the sums (and Z16…, which phase 2 used), before 1.0 in
	// reg(30) and the weight-lane constant in reg(31); reused round-robin (renaming makes the
	// reuse free).
	tbase := max(16, K*V)
	// body prints one step (DX) of the centers cs of the group from g0: each adds its row of
	// the step.
	body := func(g0 int, cs []int) {
		for _, c := range cs {
			a.f("MOVLQSX %d(R13)(DX*4), %s", lists+c*listBytes, gprs[c-g0])
		}
		for range cs {
			for l := 0; l < prefetchLines; l++ {
				a.f("PREFETCHT0 %d(R14)", 64*l)
			}
			if prefetchLines > 0 {
				a.f("ADDQ R8, R14")
			}
		}
		for _, c := range cs {
			for i := 0; i < V; i++ {
				j := (c-g0)*V + i
				t, sum := reg(tbase+j%(30-tbase)), reg(j)
				src := fmt.Sprintf("%d(SI)(%s*1)", L*i*v.Size, gprs[c-g0])
				if i == V-1 && weightOnly {
					a.f("VADDPD %s, %s, %s", reg(31), sum, sum)
					continue
				}
				if i < V-1 { // whole vectors of data (d ≥ L·(V−1))
					a.f("VCVTPS2PD %s, %s", src, t)
				} else if L == 8 {
					// The data converted into a copy of reg(31), merged: the move is
					// eliminated at renaming, where a blend of the weight after a
					// zeroing conversion takes a vector port (d = 10, k = 3: 1.65 →
					// 1.49 ns a row for the accumulation alone). For the ymm sums
					// (d < 4) it measured no better.
					a.f("VMOVAPD %s, %s", reg(31), t)
					a.f("VCVTPS2PD %s, K2, %s", src, t)
				} else {
					a.f("VCVTPS2PD.Z %s, K2, %s", src, t)
					a.f("VMOVAPD %s, K3, %s", reg(30), t)
				}
				a.f("VADDPD %s, %s, %s", t, sum, sum)
			}
		}
	}
	// stages prints the stages of the group of centers g0 … g0+K−1 (below k), then goes on at
	// label exit. DX: the step (the same index into every list); AX: S, the centers of the
	// group whose lists are longer than DX; R12: the shortest of those lists, where the stage
	// ends.
	stages := func(g0 int, exit string) {
		p := fmt.Sprintf("%s_g%d", name, g0)
		a.f("XORQ DX, DX")
		a.label(p + "_stage")
		a.f("XORQ AX, AX")
		a.f("MOVQ $%d, R12", B+1)
		for c := g0; c < g0+K; c++ {
			a.f("CMPQ R11, $%d", c)
			a.f("JLE %s_staged", p)
			a.f("MOVQ %d(R13), CX", lens+8*c)
			a.f("CMPQ CX, DX")
			a.f("JLE %s_stage%d", p, c)
			a.f("ORQ $%d, AX", 1<<(c-g0))
			a.f("CMPQ CX, R12")
			a.f("CMOVQLT CX, R12")
			a.label(fmt.Sprintf("%s_stage%d", p, c))
		}
		a.label(p + "_staged")
		for s := 1; s < 1<<K; s++ {
			a.f("CMPQ AX, $%d", s)
			a.f("JEQ %s_s%d", p, s)
		}
		a.f("JMP %s", exit) // S empty: every list of the group done
		for s := 1; s < 1<<K; s++ {
			lbl := fmt.Sprintf("%s_s%d", p, s)
			a.label(lbl)
			var cs []int
			for c := 0; c < K; c++ {
				if s>>c&1 == 1 {
					cs = append(cs, g0+c)
				}
			}
			body(g0, cs)
			a.f("INCQ DX")
			a.f("CMPQ DX, R12")
			a.f("JLT %s", lbl)
			a.f("JMP %s_stage", p)
		}
	}
	// The centers in groups of K, each group's sums in registers while it goes through the
	// block's lists (a center's additions are the same whatever group it is in).
	for g0 := 0; g0 < KK; g0 += K {
		if g0 > 0 {
			a.f("CMPQ R11, $%d", g0)
			a.f("JLE %s_ret", name)
		}
		p := fmt.Sprintf("%s_g%d", name, g0)
		sums(g0, K, false, p+"_loaded")
		stages(g0, p+"_done")
		a.label(p + "_done")
		sums(g0, K, true, p+"_stored")
	}
	a.label(name + "_ret")
	a.f("VZEROUPPER")
	a.f("RET")
}

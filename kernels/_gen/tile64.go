package main

import "fmt"

// genNearestTile64 prints nearestTile64F32AVX512(d int, a *float32, lda, n int, panel, cnorm
// *float32, labels *int32, minima *float32): for each of the n rows of a (row i at a + i·lda
// elements, d values), the products with 64 centers packed p-major in panel (panel[p·64 + j] is
// feature p of center j), each one FMA chain in feature order from zero, then the value cnorm[j]
// − 2·product in one rounding and its argmin: label the lowest j holding the least value
// (leastLane's rule, NaN values passed over, label 0 when the first value is NaN), minimum the
// value at the label. These are gemm.MulRows' products and NearestProducts' labels and minima,
// bit for bit; centers past k are packed as zeros with a norm of +Inf and never win.
//
// Why a tile of its own: on the GEMM path a block's products are stored (64 per row) and read
// back by NearestProducts, and the micro-kernel's 12×32 tile runs only d steps per call at
// d = 32 before storing its 24 vectors. Here six rows × 64 centers (24 accumulators, 4 vector
// loads of the panel and 6 broadcasts per step: 24 FMAs against 10 loads) take their argmin
// straight from the registers. Only AVX-512 float32 has the registers for it: float64 would need
// 8 vectors per row, AVX2 float32 as many of 16 registers.
func genNearestTile64(a *asm, v variant) {
	if !v.avx512() || v.f64() {
		return
	}
	genTile64(a, v, "nearestTile64F32AVX512", false)
	a.raw("\n")
	genTile64(a, v, "leastTwoTile64F32AVX512", true)
}

// genTile64 prints one tile: nearestTile64's, or with second its least-two variant (Hamerly's
// fresh bounds), which takes one more argument, second *float32, and writes there the least
// value of the other centers: the least with the label's lane left out, NaN values passed over
// (what NearestProducts gives once the label's product is made −∞, as cluster's settleLeastTwo
// did; a zero may differ in sign, which no bound formed from it can tell).
func genTile64(a *asm, v variant, name string, second bool) {
	args, sig := 64, ""
	if second {
		args, sig = 72, ", second *float32"
	}
	a.raw(fmt.Sprintf("// func %s(d int, a *float32, lda, n int, panel, cnorm *float32, labels *int32, minima *float32%s)\n", name, sig))
	// 256 bytes of frame: a row's 64 values, read back at the label for the minimum.
	a.raw(fmt.Sprintf("TEXT ·%s(SB), NOSPLIT, $256-%d\n", name, args))
	// The panel's vectors and the argmin's scratch in Z0–Z3 (hmin's VEXTRACTF128 takes only
	// the low sixteen), the broadcasts in Z4–Z5, −2 in Z6, zero in Z7, the accumulators in Z8–Z31.
	acc := func(i, g int) string { return v.reg(8 + i*4 + g) }
	bv := func(g int) string { return v.reg(g) }
	m2 := "Z6"
	a.f("MOVQ lda+16(FP), R8")
	a.f("SHLQ $2, R8")
	a.f("MOVQ n+24(FP), DX")
	a.f("MOVQ cnorm+40(FP), R10")
	a.f("XORQ BX, BX")                      // the tile's first row
	v.constBits(a, 0, 0xC0000000, m2, "X6") // −2
	v.zero(a, "Z7")
	tile := func(mr int) {
		tag := fmt.Sprintf("%s_%d", name, mr)
		a.label(tag + "_tile")
		a.f("MOVQ BX, SI")
		a.f("IMULQ R8, SI")
		a.f("ADDQ a+8(FP), SI")
		if mr > 3 {
			a.f("LEAQ (SI)(R8*2), R11")
			a.f("ADDQ R8, R11")
			// R9: the next tile's rows, asked for two lines per four steps (prefetch below).
			a.f("LEAQ (R11)(R8*2), R9")
			a.f("ADDQ R8, R9")
		}
		a.f("MOVQ panel+32(FP), DI")
		a.f("MOVQ d+0(FP), CX")
		for i := 0; i < mr*4; i++ {
			v.zero(a, v.reg(8+i))
		}
		addr := func(i, u int) string {
			base := "SI"
			if i >= 3 {
				base, i = "R11", i-3
			}
			switch i {
			case 0:
				return fmt.Sprintf("%d(%s)", 4*u, base)
			case 1:
				return fmt.Sprintf("%d(%s)(R8*1)", 4*u, base)
			}
			return fmt.Sprintf("%d(%s)(R8*2)", 4*u, base)
		}
		step := func(u int) {
			for g := 0; g < 4; g++ {
				a.f("VMOVUPS %d(DI), %s", u*256+g*64, bv(g))
			}
			for i := 0; i < mr; i++ {
				t := v.reg(4 + i%2)
				a.f("VBROADCASTSS %s, %s", addr(i, u), t)
				for g := 0; g < 4; g++ {
					a.f("VFMADD231PS %s, %s, %s", bv(g), t, acc(i, g))
				}
			}
		}
		advance := func(steps int) {
			a.f("ADDQ $%d, SI", 4*steps)
			if mr > 3 {
				a.f("ADDQ $%d, R11", 4*steps)
			}
			a.f("ADDQ $%d, DI", 256*steps)
		}
		a.f("CMPQ CX, $4")
		a.f("JLT %s_one", tag)
		a.label(tag + "_four")
		if mr > 3 {
			// The next six rows, lines in address order from their first: 128 bytes per
			// four steps reach 32·d bytes by the end, the six rows' 24·d (more where the
			// stride passes d), for rows shorter than tile64PrefetchBelow. Without it, rows
			// from memory (65536×256 float32) ran at 80–87 GFLOP/s against 104–139 in
			// cache: six interleaved streams in a page are more than the hardware
			// prefetcher follows.
			a.f("CMPQ R8, $%d", tile64PrefetchBelow)
			a.f("JAE %s_fetched", tag)
			a.f("PREFETCHT0 (R9)")
			a.f("PREFETCHT0 64(R9)")
			a.f("ADDQ $128, R9")
			a.label(tag + "_fetched")
		}
		for u := 0; u < 4; u++ {
			step(u)
		}
		advance(4)
		a.f("SUBQ $4, CX")
		a.f("CMPQ CX, $4")
		a.f("JGE %s_four", tag)
		a.label(tag + "_one")
		a.f("TESTQ CX, CX")
		a.f("JEQ %s_argmin", tag)
		step(0)
		advance(1)
		a.f("DECQ CX")
		a.f("JMP %s_one", tag)
		a.label(tag + "_argmin")
		for i := 0; i < mr; i++ {
			vals := []string{acc(i, 0), acc(i, 1), acc(i, 2), acc(i, 3)}
			for g, val := range vals {
				a.f("VFMADD213PS %d(R10), %s, %s", g*64, m2, val) // cnorm − 2·product, one rounding
			}
			row := fmt.Sprintf("%s_row%d", tag, i)
			leastLane(a, v, vals, bv(0), bv(1), bv(2), bv(3), "", row)
			a.f("MOVQ labels+48(FP), AX")
			a.f("MOVL R13, %d(AX)(BX*4)", 4*i)
			a.f("MOVQ minima+56(FP), AX")
			// The least value (X2, hmin's low lane) is the value at the label unless it is a
			// zero (VMINPS may have kept the other sign) or NaN: then the value is read back
			// from the row's lanes, stored in the frame.
			a.f("VUCOMISS X7, X2")
			a.f("JEQ %s_exact", row)
			a.f("VMOVSS X2, %d(AX)(BX*4)", 4*i)
			a.f("JMP %s_stored", row)
			a.label(row + "_exact")
			for g, val := range vals {
				a.f("VMOVUPS %s, %d(SP)", val, g*64)
			}
			a.f("VMOVSS (SP)(R13*4), X4")
			a.f("VMOVSS X4, %d(AX)(BX*4)", 4*i)
			a.label(row + "_stored")
			if second {
				leastOthers(a, v, vals, i, row+"_others")
			}
		}
		a.f("ADDQ $%d, BX", mr)
		a.f("SUBQ $%d, DX", mr)
	}
	a.f("CMPQ DX, $6")
	a.f("JLT %s_1_rows", name)
	tile(6)
	a.f("CMPQ DX, $6")
	a.f("JGE %s_6_tile", name)
	a.label(name + "_1_rows")
	a.f("TESTQ DX, DX")
	a.f("JEQ %s_done", name)
	tile(1)
	a.f("JMP %s_1_rows", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// leastOthers prints the least-two tile's second value for row i of the tile (its values in
// vals, its label in R13, the norms at R10): the reference's second pass starts from the first
// value with the label's product made −∞, so from cnorm[0] + ∞ when the label is 0 (NaN if that
// norm is) and otherwise from the first value, which is then not NaN and no less than the least,
// so +Inf gives the same; then the VMINPS of every lane but the label's (a write mask without
// the label's bit; NaN values passed over as in leastLane), reduced by hmin into X1 and stored.
// Uses AX, CX, Z0–Z2 and K2.
func leastOthers(a *asm, v variant, vals []string, i int, skip string) {
	a.f("MOVL $0x7F800000, AX")
	a.f("VPBROADCASTD AX, Z0")
	a.f("TESTQ R13, R13")
	a.f("JNE %s", skip)
	a.f("VADDSS (R10), X0, X0")
	a.f("VBROADCASTSS X0, Z0")
	a.label(skip)
	a.f("MOVQ R13, CX")
	a.f("MOVL $1, AX")
	a.f("SHLQ CX, AX") // the label's bit among the 64 lanes
	for g, val := range vals {
		if g > 0 {
			a.f("SHRQ $16, AX")
		}
		a.f("KMOVW AX, K2")
		a.f("KNOTW K2, K2")
		a.f("VMINPS Z0, %s, K2, Z0", val)
	}
	hmin(a, v, "Z0", "Z1", "Z2")
	a.f("MOVQ second+64(FP), AX")
	a.f("VMOVSS X1, %d(AX)(BX*4)", 4*i)
}

// tile64PrefetchBelow is the row stride in bytes from which the tile leaves the next rows to the
// hardware prefetcher: rows of a page or more are streams it follows. On the Ice Lake-SP of
// session 37 (the tile alone on 65536 rows from memory, paired rounds): prefetching took d = 256
// from 82 to 95 GFLOP/s (1.16×, 8 rounds) and d = 512 1.10× (6 rounds), but d = 1024 0.90× (6).
const tile64PrefetchBelow = 4096

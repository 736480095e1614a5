package main

import "fmt"

// genWide prints, for AVX-512 only, the two pieces of the streaming few-center pass for wide
// rows (see kernels/wide_amd64.go for how they are put together):
//
// dotsWide<T>AVX512(pack *T, w int, c *T, d, k int, acc *T) continues the k dot products of a
// tile's rows over one window of w features: pack holds the window's rows feature-major (as
// transpose<T>AVX512 writes it: feature f of row r at pack[f·R + r], R = 2 vectors of rows), c
// points at feature f0 of center 0 (center j at +j·d), and acc holds, for each center j, the
// two row vectors of its running dot products (acc[j·R + r]). Per feature and center one
// broadcast of the center's value and one fused multiply-add per row vector: each (row, center)
// chain is one FMA per feature in feature order, carried across windows through acc — the
// nearest tile's chain, so the values (and the labels) are NearestF64/F32's bit for bit.
// With lab != nil (the last window) it takes the argmin instead of storing acc: labels into
// lab, and each row's least value cnorm[j] − 2·dot into acc[r] (see wideArgmin).
//
// accChunks<T>AVX512(x *T, ldx, n, d int, labels *int32, w *T, acc *float64, accStride, pf int)
// prefetches the 64 features pf bytes after each row and adds d features (d = 64) of each of the n rows, widened to float64 and times the
// row's weight if w != nil, into the padded sums acc[labels[i]·accStride : +d], row by row in
// row order: genSmallK's accumulation without the weight (the last window of a row goes
// through accPadded<T>AVX512, which adds it).
func genWide(a *asm, v variant) {
	if !v.avx512() {
		return
	}
	genDotsWide(a, v)
	a.raw("\n")
	genDotsSumsWide(a, v)
	a.raw("\n")
	genAccChunks(a, v)
}

func genDotsWide(a *asm, v variant) {
	name := fmt.Sprintf("dotsWide%sAVX512", v.T)
	a.raw(fmt.Sprintf("// func %s(pack *%s, w int, c *%s, d, k int, acc *%s, pf uintptr, pfstep int, cnorm *%s, lab *int32)\nTEXT ·%s(SB), NOSPLIT, $0-80\n",
		name, goT(v), goT(v), goT(v), goT(v), name))
	a.f("MOVQ w+8(FP), CX")
	wideDotsArgs(a, v, 16)
	a.f("MOVQ pfstep+56(FP), R11")
	a.f("MOVQ $%d, R12", 2*v.Lanes) // rows of the tile left to prefetch
	wideJumpK(a, name, 32)
	acc := func(j, h int) string { return fmt.Sprintf("Z%d", 2*j+h) }
	for k := 1; k <= 8; k++ {
		lbl := fmt.Sprintf("%s_k%d", name, k)
		a.label(lbl)
		for j := 0; j < k; j++ {
			for h := 0; h < 2; h++ {
				a.f("VMOVUP%s %d(DI), %s", v.P[1:], (2*j+h)*64, acc(j, h))
			}
		}
		a.label(lbl + "_feature")
		wideFeature(a, v, k)
		// The next window's part of one row (64 features: 4 lines of float32, 8 of float64) per
		// feature until every row of the tile has had it: into L2 (a line in L1 would be
		// evicted before its turn: at d = 1024 float32 the tile's rows share their L1 sets).
		a.f("TESTQ R12, R12")
		a.f("JEQ %s_nopf", lbl)
		for l := 0; l < v.Size; l++ {
			a.f("PREFETCHT1 %d(R10)", 64*l)
		}
		a.f("ADDQ R11, R10")
		a.f("DECQ R12")
		a.label(lbl + "_nopf")
		wideFeatureNext(a, v, k)
		a.f("DECQ CX")
		a.f("JNE %s_feature", lbl)
		a.f("MOVQ lab+72(FP), R13")
		a.f("TESTQ R13, R13")
		a.f("JEQ %s_store", lbl)
		wideArgmin(a, v, k)
		a.f("VZEROUPPER")
		a.f("RET")
		a.label(lbl + "_store")
		for j := 0; j < k; j++ {
			for h := 0; h < 2; h++ {
				a.f("VMOVUP%s %s, %d(DI)", v.P[1:], acc(j, h), (2*j+h)*64)
			}
		}
		a.f("VZEROUPPER")
		a.f("RET")
	}
}

func genAccChunks(a *asm, v variant) {
	name := fmt.Sprintf("accChunks%sAVX512", v.T)
	a.raw(fmt.Sprintf("// func %s(x *%s, ldx, n, d int, labels *int32, w *%s, acc *float64, accStride, pf int)\nTEXT ·%s(SB), NOSPLIT, $0-72\n",
		name, goT(v), goT(v), name))
	// Chunks of 8 float64 sums (zmm: the tile's 512-bit work has closed the third vector port
	// anyway), two per loop turn; d/8 of them: genSmallK's row accumulation without its last,
	// partial chunk (the last window's accPadded adds that and the weight).
	r := smallKRegs(v).wideSums()
	accRowsArgs(a, v)
	accRowsDispatch(a, name, name+"_w_row")
	for _, weighted := range []bool{false, true} {
		lbl := name + "_u"
		if weighted {
			lbl = name + "_w"
		}
		a.label(lbl + "_row")
		// The row's d features pf bytes ahead (the same row of the next tile) into L2, so the
		// memory keeps streaming while the sums are added.
		for l := 0; l < v.Size; l++ {
			a.f("PREFETCHT1 %d(SI)(R9*1)", 64*l)
		}
		a.f("MOVLQSX (R10), AX")
		a.f("ADDQ $4, R10")
		smallKRowStart(a, v, r, weighted)
		smallKWholeChunks(a, v, r, lbl, lbl+"_next", weighted)
		a.label(lbl + "_next")
		a.f("DECQ BX")
		a.f("JNE %s_row", lbl)
		a.f("JMP %s_done", name)
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// wideArgmin ends the last window of a tile (lab at R13 not nil): the values cnorm[j] − 2·dot
// (one fused multiply-add, as the nearest tile) of the two row vectors in Z0…Z2k−1 and, per
// row, the first center of least value (a strict less-than, center by center: nearestGeneric's
// choice), stored as the tile's int32 labels, and its value (the nearest pass's part) stored
// over the tile's first two vectors of acc (DI): acc[r] for row r.
func wideArgmin(a *asm, v variant, k int) {
	acc := func(j, h int) string { return fmt.Sprintf("Z%d", 2*j+h) }
	v.constBits(a, 0xC000000000000000, 0xC0000000, "Z22", "") // −2
	a.f("MOVQ cnorm+64(FP), R14")
	bcast := "VBROADCASTSD"
	if !v.f64() {
		bcast = "VBROADCASTSS"
	}
	for j := 0; j < k; j++ {
		a.f("%s %d(R14), Z23", bcast, j*v.Size)
		for h := 0; h < 2; h++ {
			a.f("VFMADD213%s Z23, Z22, %s", v.P, acc(j, h))
		}
	}
	// Labels: int32 lanes, as many as rows per vector (zmm for float32, ymm for float64).
	lab := []string{"Z26", "Z27"}
	if v.f64() {
		lab = []string{"Y26", "Y27"}
	}
	for h := 0; h < 2; h++ {
		a.f("VPXORD %s, %s, %s", lab[h], lab[h], lab[h])
	}
	for j := 1; j < k; j++ {
		a.f("MOVL $%d, AX", j)
		for h := 0; h < 2; h++ {
			// acc(0, h) holds the best value so far.
			a.f("VCMP%s $1, %s, %s, K1", v.P, acc(0, h), acc(j, h))
			a.f("VMOVAP%s %s, K1, %s", v.P[1:], acc(j, h), acc(0, h))
			a.f("VPBROADCASTD AX, K1, %s", lab[h])
		}
	}
	step := 64
	if v.f64() {
		step = 32
	}
	a.f("VMOVDQU32 %s, (R13)", lab[0])
	a.f("VMOVDQU32 %s, %d(R13)", lab[1], step)
	// The minima (the nearest pass's part) over the first two row vectors of acc (DI).
	for h := 0; h < 2; h++ {
		a.f("VMOVUP%s %s, %d(DI)", v.P[1:], acc(0, h), h*64)
	}
}

// wideFeature prints the dot products of one feature of the window: the tile's two row vectors
// of it from SI (into Z16, Z17), then per center j one broadcast of its value (centers 0…3 at
// AX, AX+d, AX+2d, AX+3d with R8 = d bytes, R9 = 3·d bytes; 4…7 the same from BX) and one FMA
// per row vector into Z2j, Z2j+1.
func wideFeature(a *asm, v variant, k int) {
	bcast := "VBROADCASTSD"
	if !v.f64() {
		bcast = "VBROADCASTSS"
	}
	a.f("VMOVUP%s (SI), Z16", v.P[1:])
	a.f("VMOVUP%s 64(SI), Z17", v.P[1:])
	for j := 0; j < k; j++ {
		b := "AX"
		if j >= 4 {
			b = "BX"
		}
		addr := fmt.Sprintf("(%s)%s", b, []string{"", "(R8*1)", "(R8*2)", "(R9*1)"}[j%4])
		a.f("%s %s, Z%d", bcast, addr, 18+j%4)
		a.f("VFMADD231%s Z%d, Z16, Z%d", v.P, 18+j%4, 2*j)
		a.f("VFMADD231%s Z%d, Z17, Z%d", v.P, 18+j%4, 2*j+1)
	}
}

// wideFeatureNext moves SI and the center pointers on to the next feature.
func wideFeatureNext(a *asm, v variant, k int) {
	a.f("ADDQ $%d, SI", 2*v.Lanes*v.Size)
	a.f("ADDQ $%d, AX", v.Size)
	if k > 4 {
		a.f("ADDQ $%d, BX", v.Size)
	}
}

// genDotsSumsWide prints dotsSumsWide<T>AVX512(pack *T, c *T, d, k int, acc *T, pf uintptr,
// x *T, ldx int, labels *int32, w *T, sums *float64, sumStride int): dotsWide's work on a
// whole window (wideWindow features, not the last of the row: no argmin) with, interleaved,
// accChunks' work on the same window of the previous tile, whose labels are known by now: its
// rows x, x+ldx, … (a tile of them) are added, widened to float64 and weighted if w != nil, into
// sums[labels[r]·sumStride : +wideWindow], row by row in row order (bitwise accChunks). The
// dot products keep the FMA ports busy while the rows come from L2 for the sums, which alone
// are bound by those reads; each row of the loop takes wideWindow/tile features of the dots
// and one row of the sums. The same row of the next window (pf, stride ldx) is prefetched into
// L2 once per row, as dotsWide does.
func genDotsSumsWide(a *asm, v variant) {
	name := fmt.Sprintf("dotsSumsWide%sAVX512", v.T)
	a.raw(fmt.Sprintf("// func %s(pack *%s, c *%s, d, k int, acc *%s, pf uintptr, x *%s, ldx int, labels *int32, w *%s, sums *float64, sumStride int)\nTEXT ·%s(SB), NOSPLIT, $0-96\n",
		name, goT(v), goT(v), goT(v), goT(v), goT(v), name))
	const window = 64 // wideWindow
	rows := 2 * v.Lanes
	fpr := window / rows // features of the dots per row of the sums
	chunks := window / 8 // float64 chunks of a row's window
	cpf := chunks / fpr  // chunks per feature
	wideDotsArgs(a, v, 8)
	a.f("MOVQ x+48(FP), R12")
	a.f("MOVQ ldx+56(FP), R11")
	a.f("SHLQ $%d, R11", log2(v.Size))
	a.f("MOVQ labels+64(FP), R13")
	a.f("MOVQ w+72(FP), R14")
	a.f("MOVQ $%d, CX", rows)
	wideJumpK(a, name, 24)
	for k := 1; k <= 8; k++ {
		lbl := fmt.Sprintf("%s_k%d", name, k)
		a.label(lbl)
		for j := 0; j < 2*k; j++ {
			a.f("VMOVUP%s %d(DI), Z%d", v.P[1:], j*64, j)
		}
		a.f("TESTQ R14, R14")
		a.f("JNE %s_w_row", lbl)
		for _, weighted := range []bool{false, true} {
			l := lbl + "_u"
			if weighted {
				l = lbl + "_w"
			}
			a.label(l + "_row")
			// DX = the sums of this row's center; the row's weight into Z23.
			a.f("MOVLQSX (R13), DX")
			a.f("ADDQ $4, R13")
			a.f("IMULQ sumStride+88(FP), DX")
			a.f("SHLQ $3, DX")
			a.f("ADDQ sums+80(FP), DX")
			if weighted {
				broadcastWeight(a, v, "R14", "Z23", "X23")
			}
			// Two rows of the next window per row in the first half of the loop: early, as
			// dotsWide's one row per feature (spread over the whole window, the lead was too
			// short for memory at d = 128).
			a.f("CMPQ CX, $%d", rows/2)
			a.f("JLE %s_nopf", l)
			for r := 0; r < 2; r++ {
				for l := 0; l < v.Size; l++ {
					a.f("PREFETCHT1 %d(R10)", 64*l)
				}
				a.f("ADDQ R11, R10")
			}
			a.label(l + "_nopf")
			for q := 0; q < fpr; q++ {
				wideFeature(a, v, k)
				for c := q * cpf; c < (q+1)*cpf; c++ {
					reg := []string{"Z22", "Z24", "Z25", "Z26"}[c%4]
					if v.f64() {
						a.f("VMOVUPD %d(R12), %s", c*64, reg)
					} else {
						a.f("VCVTPS2PD %d(R12), %s", c*32, reg)
					}
					if weighted {
						a.f("VMULPD Z23, %s, %s", reg, reg)
					}
					a.f("VADDPD %d(DX), %s, %s", c*64, reg, reg)
					a.f("VMOVUPD %s, %d(DX)", reg, c*64)
				}
				wideFeatureNext(a, v, k)
			}
			a.f("ADDQ R11, R12")
			a.f("DECQ CX")
			a.f("JNE %s_row", l)
			a.f("JMP %s_store", lbl)
		}
		a.label(lbl + "_store")
		for j := 0; j < 2*k; j++ {
			a.f("VMOVUP%s Z%d, %d(DI)", v.P[1:], j, j*64)
		}
		a.f("VZEROUPPER")
		a.f("RET")
	}
}

// wideDotsArgs loads the arguments the dot products of a window share, the centers' c at byte
// c0 of the frame and then d, k, acc and pf a word apart each (k skipped): SI = pack (at 0),
// AX = c (centers 0…3, +0, +d, +2d, +3d with R8 = d bytes, R9 = 3·d bytes), BX = centers
// 4…7, DI = acc, R10 = pf.
func wideDotsArgs(a *asm, v variant, c0 int) {
	a.f("MOVQ pack+0(FP), SI")
	a.f("MOVQ c+%d(FP), AX", c0)
	a.f("MOVQ d+%d(FP), R8", c0+8)
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("LEAQ (R8)(R8*2), R9")
	a.f("LEAQ (AX)(R8*4), BX") // centers 4…7
	a.f("MOVQ acc+%d(FP), DI", c0+24)
	a.f("MOVQ pf+%d(FP), R10", c0+32)
}

// wideJumpK jumps to name_k<k> for k (at byte kOff of the frame) in 1…8, or returns.
func wideJumpK(a *asm, name string, kOff int) {
	a.f("MOVQ k+%d(FP), DX", kOff)
	for k := 1; k <= 8; k++ {
		a.f("CMPQ DX, $%d", k)
		a.f("JEQ %s_k%d", name, k)
	}
	a.f("RET")
}

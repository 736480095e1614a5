package main

import "fmt"

// genDistances prints distances<OUT><ISA>(prod *float64, ldp int, cnorm, xnorm *float64, rows,
// cols int, out *OUT, ldo int, root int): for r < rows and j < cols (cols a multiple of the
// float64 lanes), out[r·ldo + j] = √(max(0, xnorm[r] + (cnorm[j] − 2·prod[r·ldp + j]))) rounded
// once to OUT (the root only when root ≠ 0); for float32 output the clipped value is rounded to
// float32 first and its root taken in float32 (genDistancesF32Body). Computed in float64; the
// variant's T names the output type.
//
// Each step is one IEEE operation with the reference loop's operands: the FMA gives
// cnorm − 2·prod in one rounding (2·prod is exact), then the add, then MAXPD with 0 as its
// second source, which returns +0 for −0 and for anything not above 0 (the clip), the square
// root and the conversion, both correctly rounded; so every value is the reference's bit for bit.
//
// Then distancesStream<OUT><ISA>, the same with non-temporal stores (out 64-byte aligned at
// every row, see genDistancesFn).
func genDistances(a *asm, v variant) {
	genDistancesFn(a, v, false)
	a.raw("\n")
	genDistancesFn(a, v, true)
	genSqrtNudged(a, v)
}

// genDistancesFn prints distances<OUT><ISA>, or with stream distancesStream<OUT><ISA>: the same
// values stored with non-temporal stores, which write whole lines to memory without reading them
// first (an output of hundreds of MB written once: a plain store reads every line before
// writing it). Each row of out must start 64-byte aligned (a vector store never splits a line
// and two or four of them fill one), and the function ends with SFENCE, so its stores are
// ordered before whatever the caller writes next, e.g. the end of a parallel chunk.
func genDistancesFn(a *asm, v variant, stream bool) {
	name := fmt.Sprintf("distances%s%s", v.T, v.ISA)
	if stream {
		name = fmt.Sprintf("distancesStream%s%s", v.T, v.ISA)
	}
	out := "float64"
	if !v.f64() {
		out = "float32"
	}
	a.raw(fmt.Sprintf("// func %s(prod *float64, ldp int, cnorm, xnorm *float64, rows, cols int, out *%s, ldo int, root int)\nTEXT ·%s(SB), NOSPLIT, $0-72\n",
		name, out, name))
	if !v.f64() {
		genDistancesF32Body(a, v, name, stream)
		return
	}
	lanes := 4
	V := "Y"
	if v.avx512() {
		lanes, V = 8, "Z"
	}
	r := func(i int) string { return fmt.Sprintf("%s%d", V, i) }
	val, m2, zero, xi := r(0), r(1), r(2), r(3)
	distancesPrologue(a, v, name, lanes, 8, m2, zero)
	if v.avx512() {
		sqrtConstants(a)
	}
	distancesRowStart(a, name+"_row", xi)
	store := map[bool]string{false: "VMOVUPD", true: "VMOVNTPD"}[stream]
	if v.avx512() {
		// Two vectors at a time while there are: the first's root by the estimate (sqrtAVX512,
		// on the vector ports), the second's by VSQRTPD (on the divider), which run side by side.
		second := r(14)
		a.label(name + "_pair")
		a.f("CMPQ R13, $2")
		a.f("JLT %s_col", name)
		distanceValue(a, val, 0, m2, xi, zero)
		distanceValue(a, second, lanes*8, m2, xi, zero)
		a.f("CMPQ root+64(FP), $0")
		a.f("JEQ %s_pairnoroot", name)
		a.f("VSQRTPD %s, %s", second, second)
		sqrtAVX512(a, name+"_pair")
		a.label(name + "_pairnoroot")
		a.f("%s %s, %s", store, val, at(0, "DX"))
		a.f("%s %s, %s", store, second, at(lanes*8, "DX"))
		a.f("ADDQ $%d, AX", 2*lanes*8)
		a.f("ADDQ $%d, BX", 2*lanes*8)
		a.f("ADDQ $%d, DX", 2*lanes*8)
		a.f("SUBQ $2, R13")
		a.f("JNE %s_pair", name)
		a.f("JMP %s_rowend", name)
	}
	a.label(name + "_col")
	distanceValue(a, val, 0, m2, xi, zero)
	a.f("CMPQ root+64(FP), $0")
	a.f("JEQ %s_noroot", name)
	if v.avx512() {
		sqrtAVX512(a, name)
	} else {
		a.f("VSQRTPD %s, %s", val, val)
	}
	a.label(name + "_noroot")
	a.f("%s %s, (DX)", store, val)
	distancesColEnd(a, lanes, 8, name+"_col")
	if v.avx512() {
		a.label(name + "_rowend")
	}
	distancesRowEnd(a, name+"_row")
	distancesDone(a, name, stream)
}

// distancesRowStart begins a row of the distances kernels at label: its xnorm in every lane of
// xi, AX / BX / DX at the row's products, the norms and its output, R13 its vectors.
func distancesRowStart(a *asm, label, xi string) {
	a.label(label)
	a.f("VBROADCASTSD (R11), %s", xi)
	a.f("MOVQ SI, AX")
	a.f("MOVQ R10, BX")
	a.f("MOVQ DI, DX")
	a.f("MOVQ R9, R13")
}

// distanceValue loads the products at off bytes past AX into reg and takes them to the clipped
// squared distances: max(xnorm + (cnorm − 2·prod), +0), m2 holding −2 and zero +0.
func distanceValue(a *asm, reg string, off int, m2, xi, zero string) {
	a.f("VMOVUPD %s, %s", at(off, "AX"), reg)
	a.f("VFMADD213PD %s, %s, %s", at(off, "BX"), m2, reg) // cnorm − 2·prod, one rounding
	a.f("VADDPD %s, %s, %s", xi, reg, reg)
	a.f("VMAXPD %s, %s, %s", zero, reg, reg) // max(val, +0): +0 unless val > 0
}

// at is off(base), or (base) for off 0.
func at(off int, base string) string {
	if off == 0 {
		return "(" + base + ")"
	}
	return fmt.Sprintf("%d(%s)", off, base)
}

// distancesColEnd moves the distances kernels past a vector of lanes values (outSize-byte
// outputs) and loops to col while the row has vectors left.
func distancesColEnd(a *asm, lanes, outSize int, col string) {
	a.f("ADDQ $%d, AX", lanes*8)
	a.f("ADDQ $%d, BX", lanes*8)
	a.f("ADDQ $%d, DX", lanes*outSize)
	a.f("DECQ R13")
	a.f("JNE %s", col)
}

// distancesRowEnd moves the distances kernels to the next row and loops to row while rows remain.
func distancesRowEnd(a *asm, row string) {
	a.f("ADDQ R8, SI")
	a.f("ADDQ $8, R11")
	a.f("ADDQ R12, DI")
	a.f("DECQ CX")
	a.f("JNE %s", row)
}

// distancesDone ends the distances kernels (SFENCE after non-temporal stores).
func distancesDone(a *asm, name string, stream bool) {
	a.label(name + "_done")
	if stream {
		a.f("SFENCE")
	}
	a.f("VZEROUPPER")
	a.f("RET")
}

// genDistancesF32Body is the body of distances<F32><ISA> (and its streaming form): the clipped
// squared distance in float64 as above, rounded to float32, then (with root) its square root
// in float32, VSQRTPS, correctly rounded — scikit-learn's order for float32 input, which
// widens each chunk to float64 for the expansion, stores it into the float32 output and takes
// the root of that. (The root of the float64 value, rounded once, used the divider's float64
// square root at 8 lanes a vector, or an estimate refined with FMAs: 28% of the CPU time of
// euclidean_distances on 10⁵×32 float32 rows against 64 on AMD Zen 4, against the product
// GEMM's 52%.) Two loop nests, with and without the root, chosen once per call.
func genDistancesF32Body(a *asm, v variant, name string, stream bool) {
	lanes, V, half, cvt := 4, "Y", "X", "VCVTPD2PSY" // Go's name for the ymm → xmm form
	if v.avx512() {
		lanes, V, half, cvt = 8, "Z", "Y", "VCVTPD2PS"
	}
	val, m2, zero, xi := V+"0", V+"1", V+"2", V+"3"
	h := half + "0"
	distancesPrologue(a, v, name, lanes, 4, m2, zero)
	a.f("CMPQ root+64(FP), $0")
	a.f("JEQ %s_plain_row", name)
	store := map[bool]string{false: "VMOVUPS", true: "VMOVNTPS"}[stream]
	for _, root := range []bool{true, false} {
		tag := name + "_root"
		if !root {
			tag = name + "_plain"
		}
		distancesRowStart(a, tag+"_row", xi)
		a.label(tag + "_col")
		distanceValue(a, val, 0, m2, xi, zero)
		a.f("%s %s, %s", cvt, val, h)
		if root {
			a.f("VSQRTPS %s, %s", h, h)
		}
		a.f("%s %s, (DX)", store, h)
		distancesColEnd(a, lanes, 4, tag+"_col")
		distancesRowEnd(a, tag+"_row")
		a.f("JMP %s_done", name)
	}
	distancesDone(a, name, stream)
}

// distancesPrologue loads the distances kernels' arguments (SI prod, R8 its row stride in bytes,
// R10 cnorm, R11 xnorm, CX rows, R9 the vectors of lanes float64 a row, DI out, R12 its row
// stride in bytes for outSize-byte elements), puts −2 in every lane of m2 and 0 in zero, and
// jumps to name_done when there are no rows or no vectors.
func distancesPrologue(a *asm, v variant, name string, lanes, outSize int, m2, zero string) {
	a.f("MOVQ prod+0(FP), SI")
	a.f("MOVQ ldp+8(FP), R8")
	a.f("SHLQ $3, R8")
	a.f("MOVQ cnorm+16(FP), R10")
	a.f("MOVQ xnorm+24(FP), R11")
	a.f("MOVQ rows+32(FP), CX")
	a.f("MOVQ cols+40(FP), R9")
	a.f("SHRQ $%d, R9", log2(lanes))
	a.f("MOVQ out+48(FP), DI")
	a.f("MOVQ ldo+56(FP), R12")
	a.f("SHLQ $%d, R12", log2(outSize))
	a.f("MOVQ $%d, AX", int64(-0x4000000000000000)) // −2.0
	if v.avx512() {
		a.f("VPBROADCASTQ AX, %s", m2)
		a.f("VPXORQ %s, %s, %s", zero, zero, zero)
	} else {
		a.f("VMOVQ AX, X%s", m2[1:]) // VEX: see bcastGPR
		a.f("VPBROADCASTQ X%s, %s", m2[1:], m2)
		a.f("VPXOR %s, %s, %s", zero, zero, zero)
	}
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_done", name)
	a.f("TESTQ R9, R9")
	a.f("JEQ %s_done", name)
}

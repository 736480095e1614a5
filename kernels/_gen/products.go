package main

import "fmt"

// genProducts prints nearestProducts<T><ISA>(prod *T, ld, n, k int, cnorm *T, labels *int32,
// part *T), the argmin of NearestProducts* for k a multiple of Lanes: for each of the n rows
// (row i at prod + i·ld elements) the minimum over j of cnorm[j] − 2·prod[j] and the lowest j
// attaining it, the reference loop's labels and minima bit for bit, NaN and signed zeros
// included.
//
// A row takes two sweeps over its values, each value formed by one FMA (one rounding, as in the
// tiles). The first takes the least value m: the lanes start from the row's first value v_0 and
// each vector enters by VMINP with the running minimum as the second operand, so a NaN value is
// passed over (as the reference's strict v < best passes it over) while a NaN v_0 keeps m NaN
// (the reference keeps label 0 then). The second forms the same values again and gathers the
// mask of those equal to m, 64 lanes at a time, into a general register: its lowest set bit is
// the lowest j attaining m, the reference's tie rule; no bit at all (m NaN) means label 0. The
// minimum stored is the value at the label, formed once more by the scalar FMA: the reference's
// best exactly, the sign of a zero included. (The sweep this replaced carried an index per lane
// through compare-and-blend and took two horizontal minima; it also let a NaN v_0 lose to a
// later value. Measured at productsInRegisters.)
func genProducts(a *asm, v variant) {
	name := fmt.Sprintf("nearestProducts%s%s", v.T, v.ISA)
	a.raw(fmt.Sprintf("// func %s(prod *%s, ld, n, k int, cnorm *%s, labels *int32, part *%s)\nTEXT ·%s(SB), NOSPLIT, $0-56\n",
		name, goT(v), goT(v), goT(v), name))
	r := v.reg
	m, val, eq, mb, t1, t2, val2, m2 := r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(8)
	x := func(reg string) string { return "X" + reg[1:] }
	a.f("MOVQ prod+0(FP), SI")
	a.f("MOVQ ld+8(FP), R8")
	a.f("SHLQ $%d, R8", log2(v.Size))
	a.f("MOVQ n+16(FP), DX")
	a.f("MOVQ k+24(FP), R9")
	a.f("MOVQ cnorm+32(FP), R10")
	a.f("MOVQ labels+40(FP), DI")
	a.f("MOVQ part+48(FP), R11")
	v.constBits(a, 0xC000000000000000, 0xC0000000, m2, x(m2)) // −2
	a.f("TESTQ DX, DX")
	a.f("JEQ %s_done", name)
	if v.avx512() || !v.f64() {
		a.f("CMPQ R9, $32")
		a.f("JLE %s_row", name)
		a.f("CMPQ R9, $64")
		a.f("JLE %s_regs", name)
	}
	a.label(name + "_row")
	// First sweep: m = min(v_0, every value), NaN values passed over.
	a.f("VMOVU%s (SI), %s", v.P, val)
	a.f("VFMADD213%s (R10), %s, %s", v.P, m2, val) // cnorm − 2·prod, one rounding
	a.f("VBROADCAST%s %s, %s", v.S, x(val), m)
	a.f("VMIN%s %s, %s, %s", v.P, m, val, m)
	// Two running minima, so that the VMIN chain is half as long (both start from v_0: NaN
	// alike, and both the same when v_0 is NaN).
	a.f("VMOVAP%s %s, %s", v.P[1:], m, mb)
	a.f("MOVQ $%d, AX", v.Lanes)
	a.label(name + "_min2")
	a.f("LEAQ %d(AX), BX", 2*v.Lanes)
	a.f("CMPQ BX, R9")
	a.f("JG %s_min1", name)
	a.f("VMOVU%s (SI)(AX*%d), %s", v.P, v.Size, val)
	a.f("VFMADD213%s (R10)(AX*%d), %s, %s", v.P, v.Size, m2, val)
	a.f("VMIN%s %s, %s, %s", v.P, m, val, m)
	a.f("VMOVU%s %d(SI)(AX*%d), %s", v.P, v.Lanes*v.Size, v.Size, val2)
	a.f("VFMADD213%s %d(R10)(AX*%d), %s, %s", v.P, v.Lanes*v.Size, v.Size, m2, val2)
	a.f("VMIN%s %s, %s, %s", v.P, mb, val2, mb)
	a.f("ADDQ $%d, AX", 2*v.Lanes)
	a.f("JMP %s_min2", name)
	a.label(name + "_min1")
	a.f("CMPQ AX, R9")
	a.f("JGE %s_least", name)
	a.f("VMOVU%s (SI)(AX*%d), %s", v.P, v.Size, val)
	a.f("VFMADD213%s (R10)(AX*%d), %s, %s", v.P, v.Size, m2, val)
	a.f("VMIN%s %s, %s, %s", v.P, m, val, m)
	a.label(name + "_least")
	a.f("VMIN%s %s, %s, %s", v.P, mb, m, m)
	hmin(a, v, m, t1, t2)
	// Second sweep: the lanes equal to m, 64 at a time, into R12 (lane j at bit j mod 64):
	// whole 64 lanes unrolled (constant shifts), then a vector at a time.
	a.f("XORQ AX, AX")
	a.f("XORQ R12, R12")
	a.label(name + "_eq64")
	a.f("LEAQ 64(AX), BX")
	a.f("CMPQ BX, R9")
	a.f("JG %s_eq", name)
	for g := 0; g < 64/v.Lanes; g++ {
		a.f("VMOVU%s %d(SI)(AX*%d), %s", v.P, g*v.Lanes*v.Size, v.Size, val)
		a.f("VFMADD213%s %d(R10)(AX*%d), %s, %s", v.P, g*v.Lanes*v.Size, v.Size, m2, val)
		equalLanes(a, v, t2, val, eq)
		if g > 0 {
			a.f("SHLQ $%d, R13", g*v.Lanes)
		}
		a.f("ORQ R13, R12")
	}
	a.f("MOVQ BX, AX")
	a.f("TESTQ R12, R12")
	a.f("JNE %s_found", name)
	a.f("CMPQ AX, R9")
	a.f("JLT %s_eq64", name)
	a.f("JMP %s_last", name)
	a.label(name + "_eq")
	a.f("VMOVU%s (SI)(AX*%d), %s", v.P, v.Size, val)
	a.f("VFMADD213%s (R10)(AX*%d), %s, %s", v.P, v.Size, m2, val)
	equalLanes(a, v, t2, val, eq)
	a.f("MOVQ AX, CX")
	a.f("SHLQ CX, R13") // by AX mod 64
	a.f("ORQ R13, R12")
	a.f("ADDQ $%d, AX", v.Lanes)
	a.f("CMPQ AX, R9")
	a.f("JGE %s_last", name)
	a.f("TESTQ $63, AX")
	a.f("JNE %s_eq", name)
	a.f("TESTQ R12, R12") // a whole 64 lanes: stop at the first that holds m
	a.f("JEQ %s_eq", name)
	a.f("JMP %s_found", name)
	a.label(name + "_last")
	a.f("TESTQ R12, R12")
	a.f("JNE %s_found", name)
	a.f("XORQ R13, R13") // m is NaN: v_0 is, label 0
	a.f("JMP %s_store", name)
	a.label(name + "_found")
	a.f("DECQ AX")
	a.f("ANDQ $-64, AX") // the first lane of the 64 that hold m
	a.f("BSFQ R12, R13")
	a.f("ADDQ AX, R13")
	a.label(name + "_store")
	storeLabel(a, v, name+"_row", x(val), x(m2))
	if v.avx512() || !v.f64() {
		a.f("JMP %s_done", name)
		productsInRegisters(a, v, name)
	}
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

// productsInRegisters prints genProducts' AVX-512 rows for 32 < k ≤ 64 (jumped to from the
// top, R9 = k, DX = n > 0): the same two sweeps with a row's values held in registers, and the
// norms too for the whole call, so the second sweep compares without forming the values again
// and no norm is loaded per row. The vectors past k (k < 64) hold +Inf: they never take part in
// the least value unless it is +Inf, and the lanes below k come first in the mask. Each sweep
// then has no loop: 64 lanes, 4 float32 or 8 float64 vectors.
//
// Measured on Zen 4 (BenchmarkNearestProducts: 512 rows of products in L1, one thread, two
// rounds): at k = 64 a row took
// 6.9 ns here against 10.3–11.3 with the loops and 11.7 with the index-carrying sweep (float64;
// float32 4.3–4.4, 5.9–6.2 and 8.2); at k = 16 the loops 3.8 / 3.0 against 5.0 / 4.9, at k = 256
// 33–35 / 16–18 against 48 / 25. In Lloyd's GEMM-tile pass at 65 536×32, k = 64 (one thread)
// that took 4–5% off the float64 pass and 6–7% off the float32 one.
//
// AVX2 float32 (k a multiple of 8 here, see nearestProductsSIMD) holds the eight vectors of a
// row's values in Y8–Y15 and reads the norms by the FMAs from L1: sixteen registers hold no more.
// (Float64 would need sixteen for the values alone and keeps the loops.) On Zen 3 (AVX2),
// BenchmarkNearestProducts f32 k = 64, four alternating rounds: 10.7–16.0 ns a row with the loops,
// 8.4–11.7 here.
func productsInRegisters(a *asm, v variant, name string) {
	r := v.reg
	m, mb, t1, t2, m2, inf := r(0), r(3), r(4), r(5), r(8), r(9)
	x := func(reg string) string { return "X" + reg[1:] }
	groups := 64 / v.Lanes
	val := func(g int) string { return r(16 + g) }
	cn := func(g int) string { return r(16 + groups + g) }
	eq := ""
	if !v.avx512() {
		m, m2, mb, t1, t2, eq, inf = r(0), r(1), r(3), r(4), r(5), r(6), r(7)
		val = func(g int) string { return r(8 + g) }
	}
	a.label(name + "_regs")
	v.constBits(a, 0x7FF0000000000000, 0x7F800000, inf, x(inf))
	if !v.avx512() {
		v.constBits(a, 0xC000000000000000, 0xC0000000, m2, x(m2)) // −2 (the loops' is in Y8)
	}
	present := func(g int, reg, skip string, body func()) { presentVector(a, v, g, reg, inf, skip, body) }
	norm := func(g int) string { return fmt.Sprintf("%d(R10)", g*v.Lanes*v.Size) } // AVX2: from L1
	if v.avx512() {
		for g := 0; g < groups; g++ { // the norms
			present(g, cn(g), fmt.Sprintf("%s_norms%d", name, g), func() {
				a.f("VMOVU%s %d(R10), %s", v.P, g*v.Lanes*v.Size, cn(g))
			})
		}
		norm = cn
	}
	a.label(name + "_rrow")
	for g := 0; g < groups; g++ { // the row's values
		present(g, val(g), fmt.Sprintf("%s_vals%d", name, g), func() {
			a.f("VMOVU%s %d(SI), %s", v.P, g*v.Lanes*v.Size, val(g))
			a.f("VFMADD213%s %s, %s, %s", v.P, norm(g), m2, val(g)) // cnorm − 2·prod, one rounding
		})
	}
	vals := make([]string, groups)
	for g := range vals {
		vals[g] = val(g)
	}
	leastLane(a, v, vals, m, mb, t1, t2, eq, name+"_rstore")
	storeLabel(a, v, name+"_rrow", x(t1), x(m2))
}

// leastLane prints the in-register argmin of a row whose values fill vals (64 lanes, +Inf past
// k): the least value from v_0 by two running minima (VMIN with the running minimum second, so a
// NaN value is passed over; m and mb scratch), t2 = it in every lane (t1 scratch), and R13 = the
// lowest lane holding it (0 when none does: v_0 is NaN), then the label done, where the caller
// goes on (R12 is left holding the mask of the lanes equal to it; eq: AVX2's scratch vector for
// the comparisons).
func leastLane(a *asm, v variant, vals []string, m, mb, t1, t2, eq, done string) {
	x := func(reg string) string { return "X" + reg[1:] }
	a.f("VBROADCAST%s %s, %s", v.S, x(vals[0]), m)
	a.f("VMOVAP%s %s, %s", v.P[1:], m, mb)
	for g, val := range vals {
		acc := m
		if g%2 == 1 {
			acc = mb
		}
		a.f("VMIN%s %s, %s, %s", v.P, acc, val, acc)
	}
	a.f("VMIN%s %s, %s, %s", v.P, mb, m, m)
	hmin(a, v, m, t1, t2)
	a.f("XORQ R12, R12")
	for g, val := range vals {
		equalLanes(a, v, t2, val, eq)
		if g > 0 {
			a.f("SHLQ $%d, R13", g*v.Lanes)
		}
		a.f("ORQ R13, R12")
	}
	a.f("XORQ R13, R13") // no lane holds m (it is NaN: v_0 is): label 0
	a.f("TESTQ R12, R12")
	a.f("JEQ %s", done)
	a.f("BSFQ R12, R13")
	a.label(done)
}

// storeLabel prints the end of a row of genProducts: the label (R13) stored, the minimum formed
// again at the label by the scalar FMA (tmp, m2: −2 in the low lane) and stored, the pointers
// moved to the next row and the loop back to next while rows (DX) remain.
func storeLabel(a *asm, v variant, next, tmp, m2 string) {
	a.f("MOVL R13, (DI)")
	a.f("VMOV%s (SI)(R13*%d), %s", v.S, v.Size, tmp)
	a.f("VFMADD213%s (R10)(R13*%d), %s, %s", v.S, v.Size, m2, tmp)
	a.f("VMOV%s %s, (R11)", v.S, tmp)
	a.f("ADDQ R8, SI")
	a.f("ADDQ $4, DI")
	a.f("ADDQ $%d, R11", v.Size)
	a.f("DECQ DX")
	a.f("JNE %s", next)
}

// equalLanes prints the mask of the lanes of val equal to all (ordered: false for NaN) into R13
// (eq: AVX2's scratch vector).
func equalLanes(a *asm, v variant, all, val, eq string) {
	if v.avx512() {
		a.f("VCMP%s $0, %s, %s, K1", v.P, all, val)
		a.f("KMOVW K1, R13")
		return
	}
	a.f("VCMP%s $0, %s, %s, %s", v.P, all, val, eq)
	a.f("VMOVMSK%s %s, R13", v.P, eq)
}

// hmin puts the least lane of src into the low lane of lo and into every lane of all.
func hmin(a *asm, v variant, src, lo, all string) {
	x := func(reg string) string { return "X" + reg[1:] }
	y := func(reg string) string { return "Y" + reg[1:] }
	if v.avx512() {
		a.f("VEXTRACTF64X4 $1, %s, %s", src, y(lo))
		a.f("VMIN%s %s, %s, %s", v.P, y(lo), y(src), y(lo))
	} else {
		a.f("VMOVAP%s %s, %s", v.P[1:], src, lo)
	}
	a.f("VEXTRACTF128 $1, %s, %s", y(lo), x(all))
	a.f("VMIN%s %s, %s, %s", v.P, x(all), x(lo), x(lo))
	if v.f64() {
		a.f("VPERMILPD $1, %s, %s", x(lo), x(all))
		a.f("VMINSD %s, %s, %s", x(all), x(lo), x(lo))
		a.f("VBROADCASTSD %s, %s", x(lo), all)
		return
	}
	a.f("VPERMILPS $0x4E, %s, %s", x(lo), x(all))
	a.f("VMINPS %s, %s, %s", x(all), x(lo), x(lo))
	a.f("VPERMILPS $0xB1, %s, %s", x(lo), x(all))
	a.f("VMINSS %s, %s, %s", x(all), x(lo), x(lo))
	a.f("VBROADCASTSS %s, %s", x(lo), all)
}

// presentVector prints vector g of a row's 64 lanes (k = R9 > 32): body, which fills reg, where
// the vector has lanes below k (a vector below 32 lanes always has), else +Inf (inf) in reg,
// branching to skip past body.
func presentVector(a *asm, v variant, g int, reg, inf, skip string, body func()) {
	if g*v.Lanes < 32 {
		body()
		return
	}
	a.f("VMOVAP%s %s, %s", v.P[1:], inf, reg)
	a.f("CMPQ R9, $%d", g*v.Lanes)
	a.f("JLE %s", skip)
	body()
	a.label(skip)
}

package main

import (
	"fmt"
	"math"
)

// The square root of the distances kernels on AVX-512, correctly rounded like VSQRTPD, without
// the divider: VSQRTPD takes it ≈ 3 cycles a value here, the largest single cost of
// euclidean_distances at 10⁶×32 against 64 rows (64 M roots).
//
// y is computed from VRSQRT14PD's estimate g₀ ≈ 1/√s (relative error < 2⁻¹⁴) by two
// Goldschmidt steps on g ≈ √s, h ≈ 1/(2√s) (r = ½ − g·h; g += g·r; h += h·r; each squares the
// error) and a last correction y = g + (s − g²)·h, all with FMAs. That y is nearly always the
// correctly rounded √s, and the kernel checks that it is, exactly, before keeping it:
//
// Let u⁺ = succ(y) − y and u⁻ = y − pred(y) (its ulps above and below, differences of
// neighbours: exact), and e = s − y² by one FMA. y is √s rounded to nearest iff
// (y − u⁻/2)² < s < (y + u⁺/2)² (no tie is possible: a midpoint's square has too many bits to be
// a double), that is −y·u⁻ + u⁻²/4 < e < y·u⁺ + u⁺²/4. With s ≥ y²/2 (else e < −y·u⁻ anyway) s
// and y² are whole multiples of u⁻² (and of u⁺² ≥ u⁻²), so e is one too and the quarters can go:
// −y·u⁻ < e ≤ y·u⁺. Within those bounds |e| ≤ y·u⁺ < 2⁵³·u⁺², so the FMA's e is exact; outside
// them the rounded e stays outside (rounding is monotonic and y·u± are doubles). The products
// y·u± are exact (u± are powers of two) and nothing over- or underflows for s > 2⁻⁹⁰⁰ (up to
// the largest double: e is one FMA, not y² then a difference). A vector with a lane at or below
// 2⁻⁹⁰⁰ (0 from the clip, tiny values) or NaN, or failing the check (+Inf: g = +Inf·0 is NaN),
// takes VSQRTPD instead: the same bits either way.
//
// The estimate is ≈ 27 vector operations for 8 values, on the two ports that run 512-bit
// operations; VSQRTPD is one, but the divider takes ≈ 3 cycles a value. They use different
// units, so genDistances roots every other vector each way, side by side. The kernel at 256×64
// in cache, with the root: 1.10 ns of CPU a value with VSQRTPD only, 0.62 so (without the root
// 0.25; one thread, medians of 6 interleaved runs on a loaded machine).

// sqrtLo is the exponent of the bound below which the estimate is not used.
const sqrtLo = -900

// sqrtConstants loads the constants of sqrtAVX512: Z4 = ½, Z5 = 2^sqrtLo, Z7 = 1 in every
// int64 lane.
func sqrtConstants(a *asm) {
	for _, c := range []struct {
		bits uint64
		reg  string
	}{
		{math.Float64bits(0.5), "Z4"},
		{math.Float64bits(math.Ldexp(1, sqrtLo)), "Z5"},
		{1, "Z7"},
	} {
		a.f("MOVQ $0x%016x, AX", c.bits)
		a.f("VPBROADCASTQ AX, %s", c.reg)
	}
}

// sqrtAVX512 replaces Z0 (≥ +0 or NaN) by its square root, as described above, using Z8–Z13,
// K1 and K2 and the constants of sqrtConstants (and Z2 = +0); labels are made from name.
func sqrtAVX512(a *asm, name string) { sqrtNudgeable(a, name, "") }

// sqrtNudgeable is sqrtAVX512; with nudge (a register of int64 lanes) it moves the estimate y
// by nudge's lanes in ulps before the exact check, so that a test can feed the check roots that
// are not correctly rounded (the estimate itself never gives one) and see every such vector
// go to VSQRTPD (genSqrtNudged).
func sqrtNudgeable(a *asm, name, nudge string) {
	a.f("VCMPPD $0x1e, Z5, Z0, K2") // s > 2^lo (ordered: false for NaN)
	a.f("VRSQRT14PD Z0, Z8")        // g₀ ≈ 1/√s
	a.f("VMULPD Z8, Z0, Z9")        // g = s·g₀
	a.f("VMULPD Z8, Z4, Z10")       // h = g₀/2
	for i := 0; i < 2; i++ {
		a.f("VMOVAPD Z4, Z11")
		a.f("VFNMADD231PD Z10, Z9, Z11") // r = ½ − g·h
		a.f("VFMADD231PD Z11, Z9, Z9")   // g += g·r
		if i == 0 {
			a.f("VFMADD231PD Z11, Z10, Z10") // h += h·r (h's error, times s − g², hardly counts in the last step)
		}
	}
	a.f("VMOVAPD Z0, Z11")
	a.f("VFNMADD231PD Z9, Z9, Z11") // s − g²
	a.f("VFMADD231PD Z11, Z10, Z9") // y = g + (s − g²)·h
	if nudge != "" {
		a.f("VPADDQ %s, Z9, Z9", nudge) // y moved by whole ulps (positive y: its bits count them)
	}
	a.f("VMOVAPD Z0, Z11")
	a.f("VFNMADD231PD Z9, Z9, Z11") // e = s − y²
	a.f("VPADDQ Z7, Z9, Z12")       // succ(y)
	a.f("VPSUBQ Z7, Z9, Z13")       // pred(y)
	a.f("VSUBPD Z9, Z12, Z12")      // u⁺
	a.f("VSUBPD Z13, Z9, Z13")      // u⁻
	a.f("VMULPD Z12, Z9, Z12")      // y·u⁺
	a.f("VMULPD Z13, Z9, Z13")
	a.f("VSUBPD Z13, Z2, Z13")            // −y·u⁻ (Z2 is +0)
	a.f("VCMPPD $0x12, Z12, Z11, K2, K2") // e ≤ y·u⁺
	a.f("VCMPPD $0x1e, Z13, Z11, K2, K2") // e > −y·u⁻
	a.f("KORTESTB K2, K2")
	a.f("JCS %s_rooted", name) // every lane checked
	a.f("VSQRTPD Z0, Z9")
	a.label(name + "_rooted")
	a.f("VMOVAPD Z9, Z0")
}

// genSqrtNudged prints sqrtNudgedAVX512(s *float64, n int, nudge *int64) (AVX-512 float64 only):
// the n values at s (n a multiple of 8) replaced in place by their roots as the distances
// kernels take them, with the estimate moved by nudge[j] ulps in lane j before its check
// (sqrtNudgeable). It is the tests' way into the check: a nudged lane of a value the estimate
// serves is no longer the correctly rounded root, so its vector must take VSQRTPD and come out
// as math.Sqrt all the same.
func genSqrtNudged(a *asm, v variant) {
	if !v.avx512() || !v.f64() {
		return
	}
	name := "sqrtNudgedAVX512"
	a.raw(fmt.Sprintf("\n// func %s(s *float64, n int, nudge *int64)\nTEXT ·%s(SB), NOSPLIT, $0-24\n", name, name))
	a.f("MOVQ s+0(FP), SI")
	a.f("MOVQ n+8(FP), CX")
	a.f("MOVQ nudge+16(FP), DX")
	a.f("VMOVDQU64 (DX), Z14")
	a.f("VPXORQ Z2, Z2, Z2")
	sqrtConstants(a)
	a.label(name + "_vector")
	a.f("TESTQ CX, CX")
	a.f("JEQ %s_done", name)
	a.f("VMOVUPD (SI), Z0")
	sqrtNudgeable(a, name, "Z14")
	a.f("VMOVUPD Z0, (SI)")
	a.f("ADDQ $64, SI")
	a.f("SUBQ $8, CX")
	a.f("JMP %s_vector", name)
	a.label(name + "_done")
	a.f("VZEROUPPER")
	a.f("RET")
}

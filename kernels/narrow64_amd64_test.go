//go:build !purego && !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// rowsInLanesF64 runs lloydBlocksF64 as lloydSmallK sets it up (narrow: the contiguous
// kernels, otherwise the transposing one) on sums and weight sums, whatever the routing.
func rowsInLanesF64(narrow bool, x []float64, ldx, n, d int, c []float64, k int, cnorm, w []float64, labels []int32, sums, wsum []float64) {
	var ct [smallKMaxD * smallKCenters]float64
	var cn [smallKCenters]float64
	centersInLanes(c, cnorm, k, d, ct[:], &cn)
	st := smallKStride(d)
	acc := make([]float64, k*st)
	for j := 0; j < k; j++ {
		copy(acc[j*st:], sums[j*d:j*d+d])
		acc[j*st+d] = wsum[j]
	}
	r := rowLabeler{narrow: narrow, d: d, k: k, c: &c[0], cnorm: &cnorm[0], ct: &ct[0]}
	if !narrow {
		r.cnorm = &cn[0]
	}
	lloydBlocksF64(x, ldx, n, d, w, labels, acc, &r)
	for j := 0; j < k; j++ {
		copy(sums[j*d:j*d+d], acc[j*st:j*st+d])
		wsum[j] = acc[j*st+d]
	}
}

// The rows-in-lanes kernels for every shape they are written for, not only those the routing
// gives them today: the transposing one for d = 1…64 (whole and partial blocks of 8 features,
// every sum width), strided and contiguous rows, every k, both weightings; the narrow ones for
// d ≤ 4. Labels NearestF64's, sums the reference's, bit for bit.
func TestRowsInLanesF64Kernels(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	rng := rand.New(rand.NewPCG(64, 5))
	for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 24, 31, 32, 33, 40, 48, 57, 63, 64} {
		for k := 1; k <= 8; k++ {
			for _, narrow := range []bool{false, true} {
				if narrow && d > narrowF64MaxD {
					continue
				}
				n := []int{8, 13, 263, 520}[(d+k)%4]
				ldx := d
				if !narrow && (d+k)%2 == 1 {
					ldx += 3
				}
				exact := (d+k)%3 == 0
				_, x := matrix[float64](rng, n, d, ldx, exact)
				_, c := matrix[float64](rng, k, d, d, exact)
				cnorm := make([]float64, k)
				sqNormsGeneric(c, d, k, d, cnorm)
				w := weights[float64](rng, n, k%2 == 0)
				labels, sums, wsum := make([]int32, n), make([]float64, k*d), make([]float64, k)
				for j := range sums {
					sums[j] = float64(j%5) - 1.5
				}
				want, wantW := slices.Clone(sums), slices.Clone(wsum)
				rowsInLanesF64(narrow, x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum)
				ref := make([]int32, n)
				NearestF64(x, ldx, n, d, c, k, cnorm, ref, make([]float64, n))
				if !slices.Equal(labels, ref) {
					t.Fatalf("narrow=%v n=%d d=%d k=%d ldx=%d: labels differ from NearestF64's", narrow, n, d, k, ldx)
				}
				accumulateGeneric(x, ldx, n, d, labels, w, want, wantW)
				if !bitsEqual(sums, want) || !bitsEqual(wsum, wantW) {
					t.Fatalf("narrow=%v n=%d d=%d k=%d ldx=%d: sums differ from the reference's", narrow, n, d, k, ldx)
				}
			}
		}
	}
}

// With −0.0, ±Inf and NaN in the rows and the centers the rows-in-lanes kernels must still do
// exactly what the reference does (lloydGeneric; its dot products are exact here, small
// integers): the first strict minimum (a NaN value never wins, a row of NaN values keeps center
// 0) and the same sums, signed zeros and NaNs included.
func TestRowsInLanesF64Specials(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	rng := rand.New(rand.NewPCG(64, 4))
	special := []float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), math.NaN(), 1, -2, 0.5}
	pick := func() float64 {
		if rng.IntN(4) == 0 {
			return special[rng.IntN(len(special))]
		}
		return float64(rng.IntN(5) - 2)
	}
	for trial := 0; trial < 400; trial++ {
		narrow := trial%2 == 0
		n, d, k := 1+rng.IntN(300), 1+rng.IntN(12), 1+rng.IntN(8)
		ldx := d + rng.IntN(3)
		if narrow {
			d = 1 + rng.IntN(narrowF64MaxD)
			ldx = d
		}
		x := make([]float64, (n-1)*ldx+d)
		for i := range x {
			x[i] = pick()
		}
		c := make([]float64, k*d)
		for i := range c {
			c[i] = float64(rng.IntN(5) - 2)
			if trial%3 == 0 && rng.IntN(8) == 0 {
				c[i] = pick()
			}
		}
		cnorm := make([]float64, k)
		sqNormsGeneric(c, d, k, d, cnorm)
		w := weights[float64](rng, n, trial%4 < 2)
		labels, sums, wsum := make([]int32, n), make([]float64, k*d), make([]float64, k)
		for j := range sums {
			sums[j] = math.Copysign(0, -1) // −0 stays −0 only where nothing is added
		}
		want, wantL, wantW := slices.Clone(sums), make([]int32, n), slices.Clone(wsum)
		rowsInLanesF64(narrow, x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum)
		lloydGeneric(x, ldx, n, d, c, k, cnorm, w, wantL, want, wantW, nil)
		if !slices.Equal(labels, wantL) {
			t.Fatalf("trial %d narrow=%v n=%d d=%d k=%d ldx=%d: labels differ from the reference's", trial, narrow, n, d, k, ldx)
		}
		if !bitsEqual(sums, want) || !bitsEqual(wsum, wantW) {
			t.Fatalf("trial %d narrow=%v n=%d d=%d k=%d ldx=%d: sums differ from the reference's", trial, narrow, n, d, k, ldx)
		}
	}
}

// bitsEqual says whether a and b hold the same float64 bits (NaN payloads and zero signs too).
func bitsEqual(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(u, v float64) bool { return math.Float64bits(u) == math.Float64bits(v) })
}

// sumSpecials are the special values the register and lane sums' tests mix into rows and sums:
// signed zeros, infinities and NaNs with and without a payload.
var sumSpecials = []float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0x7ff8000000000abc)}

// labelledRowsF64 draws n rows of d features at a stride of d…d+2 (quarters in −1…1, one value
// in 16 special) and a label in [0, k) for each (one label when n = 0, so that &labels[0] is
// valid).
func labelledRowsF64(rng *rand.Rand, n, d, k int) (x []float64, ldx int, labels []int32) {
	ldx = d + rng.IntN(3)
	x = make([]float64, max(0, (n-1)*ldx+d))
	for i := range x {
		x[i] = float64(rng.IntN(9)-4) / 4
		if rng.IntN(16) == 0 {
			x[i] = sumSpecials[rng.IntN(len(sumSpecials))]
		}
	}
	labels = make([]int32, max(n, 1))
	for i := range labels {
		labels[i] = int32(rng.IntN(k))
	}
	return x, ldx, labels
}

// firstOrNil is &x[0], or nil for an empty x.
func firstOrNil(x []float64) *float64 {
	if len(x) == 0 {
		return nil
	}
	return &x[0]
}

// sumRegs (the sums in registers) adds the rows as the padded sums do (accPadded, and so the
// reference), bit for bit, every d < 8·sumRegsMaxV, every k it takes and row counts around its
// blocks, special values included, and writes nothing past the k centers' padded sums.
func TestSumRegsEqualsPaddedSums(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	rng := rand.New(rand.NewPCG(81, 8))
	const guard = 777.25
	for d := 1; d < 8*sumRegsMaxV; d++ {
		for k := 1; sumRegsTakes(d, k); k++ {
			for _, n := range []int{0, 1, 2, 7, 64, 301} {
				x, ldx, labels := labelledRowsF64(rng, n, d, k)
				st := smallKStride(d)
				acc := make([]float64, k*st+8)
				for i := range acc {
					acc[i] = float64(rng.IntN(7)-3) / 2
					if i >= k*st {
						acc[i] = guard
					}
				}
				want := slices.Clone(acc)
				xp := firstOrNil(x)
				if n > 0 {
					accPaddedF64AVX512(xp, ldx, n, d, &labels[0], nil, &want[0], st, 0)
				}
				sumRegs(xp, ldx, n, d, k, &labels[0], &acc[0], 0)
				if !bitsEqual(acc, want) {
					t.Fatalf("d=%d k=%d n=%d ldx=%d: register sums differ from the padded sums'", d, k, n, ldx)
				}
				for _, v := range acc[k*st:] {
					if v != guard {
						t.Fatalf("d=%d k=%d n=%d: wrote past the sums", d, k, n)
					}
				}
			}
		}
	}
}

// sumLanes (the centers along the lanes) adds the rows as sumRows does, bit for bit on every
// center's d sums and weight sum, for every d ≤ sumLanesMaxD, k ≤ 8 and row count, special
// values included.
func TestSumLanesEqualsSumRows(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	rng := rand.New(rand.NewPCG(82, 8))
	for d := 1; d <= sumLanesMaxD; d++ {
		for k := 1; k <= 8; k++ {
			for _, n := range []int{0, 1, 2, 7, 64, 301} {
				x, ldx, labels := labelledRowsF64(rng, n, d, k)
				acc := make([]float64, 8*k)
				for i := range acc {
					if i%8 <= d {
						acc[i] = float64(rng.IntN(7)-3) / 2
					}
					if rng.IntN(16) == 0 {
						acc[i] = sumSpecials[rng.IntN(len(sumSpecials))]
					}
				}
				want := slices.Clone(acc)
				xp := firstOrNil(x)
				sumRows(xp, ldx, n, d, &labels[0], nil, &want[0], 0)
				sumLanes(xp, ldx, n, d, k, &labels[0], acc, 0)
				for j := 0; j < k; j++ {
					if !bitsEqual(acc[8*j:8*j+d+1], want[8*j:8*j+d+1]) {
						t.Fatalf("d=%d k=%d n=%d ldx=%d: center %d's lane sums differ from sumRows'", d, k, n, ldx, j)
					}
				}
			}
		}
	}
}

//go:build !purego && !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// fmaT is a fused multiply-add in T: exact for float64; for float32 the float64 FMA rounded to
// float32, which can differ from the hardware's single rounding by one unit in rare cases.
func fmaT[T Float](a, b, c T) T { return T(math.FMA(float64(a), float64(b), float64(c))) }

// streamModel is the streaming pass's value for row x and center c (d features) in its order of
// additions (_gen/stream.go): step lanes chained by FMA, then added pairwise, then cn − 2·dot.
func streamModel[T Float](x, c []T, cn T, step int) T {
	lanes := make([]T, step)
	for f := range x {
		lanes[f%step] = fmaT(x[f], c[f], lanes[f%step])
	}
	for h := step / 2; h >= 1; h /= 2 {
		for l := 0; l < h; l++ {
			lanes[l] += lanes[l+h]
		}
	}
	return fmaT(-2, lanes[0], cn)
}

// The streaming labels pass: labels, minima and values against streamModel, for d across the
// steps and chunks (from streamMinD, and a few wider), k in 1…8, row counts ending in each of the
// pass's groups (fours, a pair, a lone row), row strides longer than d, guards past the outputs.
// The float64 values are the model's bit for bit; float32 within one unit of the model's (its
// double rounding), labels the model's but on near-ties. Without the caller's scratch, and as
// values, the pass gives the same bits.
func TestStreamNearestEqualsModel(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	testStreamNearest(t, simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2})
	testStreamNearest(t, simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2})
}

// normalCenters draws k centers of d standard normal features and their squared norms.
func normalCenters[T Float](rng *rand.Rand, k, d int) (c, cn []T) {
	c, cn = make([]T, k*d), make([]T, k)
	for j := range c {
		c[j] = T(rng.NormFloat64())
	}
	for j := 0; j < k; j++ {
		cn[j] = dotGeneric(c[j*d:j*d+d], c[j*d:j*d+d])
	}
	return c, cn
}

// sameFloat says whether a and b are the same float, bit for bit.
func sameFloat[T Float](a, b T) bool {
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b)) || (a != a && b != b)
}

func testStreamNearest[T Float, I lane](t *testing.T, s simdSet[T, I]) {
	rng := rand.New(rand.NewPCG(22, 1))
	step := s.streamStep()
	ds := []int{streamMinD, streamMinD + 1, streamMinD + step - 1, streamMinD + step, streamMinD + 2*step + 3, 255, 256, streamMaxD}
	for _, d := range ds {
		for k := 1; k <= 8; k++ {
			for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 33} {
				ldx := d + rng.IntN(3)
				x := make([]T, (n-1)*ldx+d)
				for i := range x {
					x[i] = T(rng.NormFloat64())
				}
				c, cn := normalCenters[T](rng, k, d)
				labels := make([]int32, n+1)
				part := make([]T, n+1)
				labels[n], part[n] = -7, 777
				pack := make([]T, PackLen(d))
				if !s.nearestStream(x, ldx, n, d, c, k, cn, labels[:n], part[:n], pack) {
					t.Fatalf("d=%d k=%d: the streaming pass did not take the shape", d, k)
				}
				if labels[n] != -7 || part[n] != 777 {
					t.Fatalf("d=%d k=%d n=%d: wrote past the outputs", d, k, n)
				}
				// Without the scratch (the centers on the stack) and as values: the same bits.
				lab2, part2 := make([]int32, n), make([]T, n)
				s.nearestStream(x, ldx, n, d, c, k, cn, lab2, part2, nil)
				vals := make([]T, n*k+1)
				vals[n*k] = 555
				if !s.valuesStream(x, ldx, n, d, c, k, cn, vals[:n*k], pack) || vals[n*k] != 555 {
					t.Fatalf("d=%d k=%d n=%d: values not taken, or written past", d, k, n)
				}
				for i := 0; i < n; i++ {
					if lab2[i] != labels[i] || !sameFloat(part2[i], part[i]) || !sameFloat(vals[i*k+int(labels[i])], part[i]) {
						t.Fatalf("d=%d k=%d n=%d row %d: without scratch %d %v, values %v; with %d %v",
							d, k, n, i, lab2[i], part2[i], vals[i*k:i*k+k], labels[i], part[i])
					}
				}
				for i := 0; i < n; i++ {
					row := x[i*ldx : i*ldx+d]
					model := make([]T, k)
					best := 0
					for j := range model {
						model[j] = streamModel(row, c[j*d:j*d+d], cn[j], step)
						if model[j] < model[best] {
							best = j
						}
						if e := vals[i*k+j] - model[j]; step == 4 && e != 0 {
							t.Fatalf("d=%d k=%d n=%d row %d: value %d %v, the model's %v", d, k, n, i, j, vals[i*k+j], model[j])
						}
					}
					tol := T(0)
					if step == 8 { // float32
						tol = T(math.Abs(float64(model[best]))) * 2e-7
					}
					if e := part[i] - model[best]; e > tol || e < -tol {
						t.Fatalf("d=%d k=%d n=%d row %d: minimum %v, the model's %v", d, k, n, i, part[i], model[best])
					}
					if labels[i] != int32(best) {
						l := labels[i]
						if l < 0 || int(l) >= k || model[l]-model[best] > 2*tol {
							t.Fatalf("d=%d k=%d n=%d row %d: label %d, the model's %d (values %v)", d, k, n, i, l, best, model)
						}
					}
				}
			}
		}
	}
}

// Lloyd's streaming pass with unit weights adds each group of four rows into the sums during the
// next group's dot products (streamSums), the features past the rows' whole 64-byte chunks and
// the counts after each block, and the rows the kernel leaves at the end: the sums must be the
// reference accumulation of the pass's own labels, bit for bit, for row counts ending in every
// kind of group and spanning several blocks (a block is about streamBlockBytes of rows), rows
// with and without features past their whole chunks, strided rows, every k, special values in
// the rows (−0, ±Inf, NaN payloads, huge values whose sums overflow) and sums that start
// nonzero, and nothing written past the sums or the labels.
func TestStreamRideSumsEqualReference(t *testing.T) {
	if Active() != AVX512 {
		t.Skip("AVX-512 kernels")
	}
	testStreamRideSums(t, simdSet[float32, int32]{avx512: true, lanes: 16, rvs: 2}, 3e38)
	testStreamRideSums(t, simdSet[float64, int64]{avx512: true, lanes: 8, rvs: 2}, 1e308)
}

func testStreamRideSums[T Float, I lane](t *testing.T, s simdSet[T, I], huge float64) {
	rng := rand.New(rand.NewPCG(22, 2))
	step := s.streamStep()
	specials := []float64{math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0x7ff8000000000abc), huge, -huge}
	for _, d := range []int{streamMinD, streamMinD + step, 80, 200, 256, streamMaxD} {
		for k := 1; k <= 8; k++ {
			block := streamBlockBytes / (d * int(sizeOf(T(0))))
			for _, n := range []int{1, 3, 4, 5, 6, 7, 8, 9, 2*block + 3, 3*block + 4, 3*block + 6} {
				ldx := d + rng.IntN(2)*3
				x := make([]T, (n-1)*ldx+d)
				for i := range x {
					x[i] = T(rng.NormFloat64())
					if rng.IntN(97) == 0 {
						x[i] = T(specials[rng.IntN(len(specials))])
					}
				}
				c, cn := normalCenters[T](rng, k, d)
				labels := make([]int32, n+1)
				labels[n] = -7
				sums, wsum := make([]float64, k*d+1), make([]float64, k+1)
				for i := range sums {
					sums[i] = rng.NormFloat64()
				}
				sums[k*d], wsum[k] = 555, 666
				want, wantW := slices.Clone(sums), slices.Clone(wsum)
				if !s.lloydStream(x, ldx, n, d, c, k, cn, nil, labels[:n], sums[:k*d], wsum[:k], make([]T, PackLen(d))) {
					t.Fatalf("d=%d k=%d: the streaming pass did not take the shape", d, k)
				}
				if labels[n] != -7 || sums[k*d] != 555 || wsum[k] != 666 {
					t.Fatalf("d=%d k=%d n=%d: wrote past the labels or the sums", d, k, n)
				}
				accumulateGeneric(x, ldx, n, d, labels[:n], nil, want[:k*d], wantW[:k])
				for i := range want {
					if !same(sums[i], want[i]) {
						t.Fatalf("d=%d k=%d n=%d ldx=%d: sums[%d] = %v, the reference's %v", d, k, n, ldx, i, sums[i], want[i])
					}
				}
				for j := range wantW {
					if wsum[j] != wantW[j] {
						t.Fatalf("d=%d k=%d n=%d: wsum[%d] = %v, the reference's %v", d, k, n, j, wsum[j], wantW[j])
					}
				}
			}
		}
	}
}

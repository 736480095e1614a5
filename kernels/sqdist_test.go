package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// SqDist must equal its reference loop bit for bit on the active backend for every length
// around the 16-value blocks, without reading past either slice (NaN guards would show in the
// result), and the reference must be ‖a − b‖² to float64 rounding.
func TestSqDist(t *testing.T) {
	testSqDist(t, SqDistF64)
	testSqDist(t, SqDistF32)
}

func testSqDist[T Float](t *testing.T, sqDist func(a, b []T) float64) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, n := range sqDistLengths() {
		ag, a := newGuarded(n, nan[T]())
		bg, b := newGuarded(n, nan[T]())
		for i := range a {
			a[i] = T(rng.NormFloat64() * 100)
			b[i] = T(rng.NormFloat64()*3 + float64(a[i]))
		}
		got, want := sqDist(a, b), sqDistGeneric(a, b)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%T n=%d: %v, reference %v", a, n, got, want)
		}
		var plain float64
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			plain += d * d
		}
		if math.Abs(want-plain) > 1e-13*plain {
			t.Fatalf("%T n=%d: reference %v, plain sum %v", a, n, want, plain)
		}
		ag.check(t, "a")
		bg.check(t, "b")
	}
}

// sqDistLengths are 0..70 and some wider rows.
func sqDistLengths() []int {
	var out []int
	for n := 0; n <= 70; n++ {
		out = append(out, n)
	}
	return append(out, 127, 128, 129, 256, 1000, 1024)
}

// SqDistRows is the reference distance of every row to the center its label names, bit for bit,
// for row strides with a NaN gap, every d around the 16-value blocks and any labels, reading
// nothing outside x, c and labels and writing nothing past out[n-1].
func TestSqDistRows(t *testing.T) {
	testSqDistRows(t, SqDistRowsF64)
	testSqDistRows(t, SqDistRowsF32)
}

func testSqDistRows[T Float](t *testing.T, rows func(x []T, ldx, n, d int, c []T, labels []int32, out []float64)) {
	rng := rand.New(rand.NewPCG(23, 24))
	const k = 5
	for _, d := range []int{1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 48, 64, 100, 257} {
		for _, n := range []int{0, 1, 2, 9, 40} {
			ldx := d + rng.IntN(3)
			xg, x := matrix[T](rng, n, d, ldx, false)
			cg, c := matrix[T](rng, k, d, d, false)
			lg, labels := newGuarded(n, int32(-1))
			for i := range labels {
				labels[i] = int32(rng.IntN(k))
			}
			og, out := newGuarded(n, math.NaN())
			rows(x, ldx, n, d, c, labels, out)
			for i, j := range labels {
				want := sqDistGeneric(x[i*ldx:i*ldx+d], c[int(j)*d:int(j)*d+d])
				if math.Float64bits(out[i]) != math.Float64bits(want) {
					t.Fatalf("%T d=%d n=%d row %d: %v, reference %v", x, d, n, i, out[i], want)
				}
			}
			xg.check(t, "x")
			cg.check(t, "c")
			lg.check(t, "labels")
			og.check(t, "out")
		}
	}
}

// SqDistAt is the reference distance of each listed row (any order, repeats allowed) to the
// center its label names, bit for bit, reading nothing outside x, c, rows and labels and writing
// nothing past out[len(rows)-1].
func TestSqDistAt(t *testing.T) {
	testSqDistAt(t, SqDistAtF64)
	testSqDistAt(t, SqDistAtF32)
}

func testSqDistAt[T Float](t *testing.T, at func(x []T, ldx int, rows []int32, d int, c []T, labels []int32, out []float64)) {
	rng := rand.New(rand.NewPCG(25, 26))
	const k, n = 5, 40
	for _, d := range []int{0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 48, 64, 100, 257} {
		for _, m := range []int{0, 1, 2, 9, 40, 70} {
			ldx := d + rng.IntN(3)
			xg, x := matrix[T](rng, n, d, ldx, false)
			cg, c := matrix[T](rng, k, d, d, false)
			rg, rows := newGuarded(m, int32(-1))
			lg, labels := newGuarded(m, int32(-1))
			for i := range rows {
				rows[i], labels[i] = int32(rng.IntN(n)), int32(rng.IntN(k))
			}
			og, out := newGuarded(m, math.NaN())
			at(x, ldx, rows, d, c, labels, out)
			for i, r := range rows {
				j := int(labels[i])
				want := sqDistGeneric(x[int(r)*ldx:int(r)*ldx+d], c[j*d:j*d+d])
				if math.Float64bits(out[i]) != math.Float64bits(want) {
					t.Fatalf("%T d=%d m=%d listed row %d (row %d): %v, reference %v", x, d, m, i, r, out[i], want)
				}
			}
			xg.check(t, "x")
			cg.check(t, "c")
			rg.check(t, "rows")
			lg.check(t, "labels")
			og.check(t, "out")
		}
	}
}

// A NaN or infinity anywhere in the rows makes the distance non-finite on every backend: the
// fused validation of k-means relies on it.
func TestSqDistNonFinite(t *testing.T) {
	for _, n := range []int{1, 15, 16, 17, 33, 256} {
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for _, at := range []int{0, n / 2, n - 1} {
				a64, b64 := make([]float64, n), make([]float64, n)
				a32, b32 := make([]float32, n), make([]float32, n)
				a64[at], a32[at] = bad, float32(bad)
				if v := SqDistF64(a64, b64); !math.IsNaN(v) && !math.IsInf(v, 0) {
					t.Fatalf("f64 n=%d %v at %d: %v", n, bad, at, v)
				}
				if v := SqDistF32(b32, a32); !math.IsNaN(v) && !math.IsInf(v, 0) {
					t.Fatalf("f32 n=%d %v at %d: %v", n, bad, at, v)
				}
			}
		}
	}
}

// SqDist allocates nothing: silhouette calls it for every pair of rows.
func TestSqDistNoAlloc(t *testing.T) {
	a, b := make([]float32, 40), make([]float32, 40)
	c, e := make([]float64, 40), make([]float64, 40)
	if n := testing.AllocsPerRun(10, func() { SqDistF32(a, b); SqDistF64(c, e) }); n != 0 {
		t.Fatalf("%v allocations per call", n)
	}
}

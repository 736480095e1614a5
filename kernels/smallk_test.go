package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

type lloydPair[T Float] struct {
	lloyd   lloydFn[T]
	nearest nearestFn[T]
}

// The fused pass for few centers (AVX-512: centers along the lanes, or for float32 rows in
// lanes fed by transposition or deinterleaving) must give exactly the labels
// NearestF64/F32 give, ties included — the lowest index — not merely labels within the error
// bound: its values are claimed to be the nearest tile's bit for bit, and Lloyd, its final
// assignment and the bound-based algorithms must agree on every row. Its sums must be the
// reference accumulation of those labels, bit for bit. The same holds for the rows-in-lanes
// tiles that take whole 32-row tiles of wider float32 rows. Shapes: every row count over three
// 32-row tiles and a tail, k over 1…8 (one vector of center lanes), d across the chunks of the
// sums, the 16-feature blocks of the transposition and the 64-feature limit of the path,
// strided rows, both weightings, integer data (many exact ties) and normal data.
func testLloydMatchesNearest[T Float](t *testing.T, p lloydPair[T]) {
	rng := rand.New(rand.NewPCG(21, 21))
	type shape struct{ n, d, k int }
	var shapes []shape
	for n := 0; n <= 3*32+1; n++ {
		shapes = append(shapes, shape{n, 3, 8}, shape{n, 3, 3}, shape{n, 5, 8}, shape{n, 10, 3}, shape{n, 24, 8})
	}
	for _, d := range []int{1, 2, 4, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65} {
		for k := 1; k <= 8; k++ {
			shapes = append(shapes, shape{17 + d%5, d, k}, shape{64 + d%7, d, k})
		}
	}
	for i, s := range shapes {
		for _, exact := range []bool{true, false} {
			ldx := s.d + (i+s.k)%2*3 // contiguous and strided rows for every shape kind
			lloydMatchesNearestCase(t, p, rng, s.n, s.d, ldx, s.k, exact, rng.IntN(2) == 0)
		}
	}
}

// lloydMatchesNearestCase runs one shape with guards around every slice: labels equal to
// Nearest's, sums equal to the reference accumulation of them.
func lloydMatchesNearestCase[T Float](t testing.TB, p lloydPair[T], rng *rand.Rand, n, d, ldx, k int, exact, unit bool) {
	t.Helper()
	gx, x := matrix[T](rng, n, d, ldx, exact)
	lloydMatchesNearestOn(t, p, rng, gx, x, n, d, ldx, k, exact, unit)
}

// lloydMatchesNearestOn is lloydMatchesNearestCase on the rows x (guarded by gx).
func lloydMatchesNearestOn[T Float](t testing.TB, p lloydPair[T], rng *rand.Rand, gx *guarded[T], x []T, n, d, ldx, k int, exact, unit bool) {
	t.Helper()
	_, c := matrix[T](rng, k, d, d, exact)
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	w := weights[T](rng, n, unit)
	gl, labels := newGuarded(n, int32(-7))
	gs, sums := newGuarded(k*d, 0.5)
	gw, wsum := newGuarded(k, 0.25)
	want, wantW := slices.Clone(sums), slices.Clone(wsum)
	p.lloyd(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum)
	ref := make([]int32, n)
	p.nearest(x, ldx, n, d, c, k, cnorm, ref, make([]T, n))
	if !slices.Equal(labels, ref) {
		t.Fatalf("n=%d d=%d k=%d ldx=%d exact=%v: labels differ from Nearest's", n, d, k, ldx, exact)
	}
	accumulateGeneric(x, ldx, n, d, labels, w, want, wantW)
	if !slices.Equal(sums, want) || !slices.Equal(wsum, wantW) {
		t.Fatalf("n=%d d=%d k=%d: sums differ from the reference accumulation", n, d, k)
	}
	gx.check(t, "x")
	gl.check(t, "labels")
	gs.check(t, "sums")
	gw.check(t, "wsum")
}

func TestLloydF64MatchesNearest(t *testing.T) {
	testLloydMatchesNearest(t, lloydPair[float64]{LloydF64, NearestF64})
}

func TestLloydF32MatchesNearest(t *testing.T) {
	testLloydMatchesNearest(t, lloydPair[float32]{LloydF32, NearestF32})
}

// FuzzLloydMatchesNearest searches shapes (n < 256, k ≤ 8, d ≤ 70, strided rows; with the scratch, for
// the wide pass, d = 60…315) where the fused pass and Nearest disagree on a label or the sums
// leave the reference's, or the labels-only wide pass (NearestPacked*) leaves Nearest's labels
// or part; `go test -fuzz FuzzLloydMatchesNearest ./kernels` runs it further than
// its seeds.
func FuzzLloydMatchesNearest(f *testing.F) {
	f.Add(uint8(40), uint8(3), uint8(8), uint8(0), uint64(1), true)
	f.Add(uint8(97), uint8(10), uint8(3), uint8(0), uint64(2), false)
	f.Add(uint8(65), uint8(33), uint8(5), uint8(2), uint64(3), true)
	f.Add(uint8(129), uint8(196), uint8(7), uint8(1), uint64(4), false) // d = 256 with the scratch
	f.Add(uint8(255), uint8(2), uint8(2), uint8(0), uint64(5), false)   // two blocks of the register sums
	f.Add(uint8(200), uint8(9), uint8(3), uint8(1), uint64(6), true)    // register sums, strided rows
	f.Fuzz(func(t *testing.T, n, d, k, pad uint8, seed uint64, exact bool) {
		rng := rand.New(rand.NewPCG(seed, 1))
		nn, dd, kk := int(n), 1+int(d)%70, 1+int(k)%8
		ldx := dd + int(pad)%4
		lloydMatchesNearestCase(t, lloydPair[float64]{LloydF64, NearestF64}, rng, nn, dd, ldx, kk, exact, seed%2 == 0)
		lloydMatchesNearestCase(t, lloydPair[float32]{LloydF32, NearestF32}, rng, nn, dd, ldx, kk, exact, seed%2 == 1)
		dw := 60 + int(d)
		lloydMatchesNearestCase(t, lloydPair[float64]{packedLloyd(t, LloydPackedF64), NearestF64}, rng, nn, dw, dw+int(pad)%4, kk, exact, seed%2 == 1)
		lloydMatchesNearestCase(t, lloydPair[float32]{packedLloyd(t, LloydPackedF32), NearestF32}, rng, nn, dw, dw+int(pad)%4, kk, exact, seed%2 == 0)
		nearestPackedCase(t, NearestPackedF64, NearestF64, rng, nn, dw, dw+int(pad)%4, kk, exact)
		nearestPackedCase(t, NearestPackedF32, NearestF32, rng, nn, dw, dw+int(pad)%4, kk, exact)
	})
}

// packedLloyd turns a LloydPacked* kernel into a lloydFn that hands it a guarded scratch of
// exactly PackLen(d) elements (the streaming pass for wide rows lives in it).
func packedLloyd[T Float](t testing.TB, packed func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T)) lloydFn[T] {
	return func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64) {
		g, pack := newGuarded(PackLen(d), nan[T]())
		packed(x, ldx, n, d, c, k, cnorm, w, labels, sums, wsum, pack)
		g.check(t, "pack")
	}
}

// The streaming pass for wide rows (AVX-512, k ≤ 8, d > 64, with the caller's scratch) is held
// to the same: labels NearestF64/F32's, sums the reference's, bit for bit. Shapes: every d from
// 65 to 300 (the 64-feature windows, the 16- and 8-feature transposition blocks, the 8-sum
// chunks and their tails), some wide rows, every k, whole tiles and the rows after them (and
// fewer rows than a tile; 100 rows: a tile's sums added during the next tile's dot products
// three tiles running, for float32 too), strided rows, both weightings.
func testLloydWide[T Float](t *testing.T, p lloydPair[T]) {
	rng := rand.New(rand.NewPCG(65, 8))
	wideShapes(func(n, d, ldx, k int, exact, unit bool) {
		lloydMatchesNearestCase(t, p, rng, n, d, ldx, k, exact, unit)
	})
}

// wideShapes calls run with the wide pass's test shapes (see testLloydWide).
func wideShapes(run func(n, d, ldx, k int, exact, unit bool)) {
	for d := 65; d <= 300; d++ {
		for k := 1; k <= 8; k++ {
			run(33+(d*k)%40, d, d+(d+k)%3, k, (d+k)%2 == 0, (d/2+k)%2 == 0)
		}
	}
	for _, d := range []int{511, 512, 513, 1000, 1024, 1031} {
		for k := 1; k <= 8; k++ {
			for _, n := range []int{5, 16, 32, 47, 64, 100} {
				run(n, d, d+n%2, k, k%2 == 0, n%2 == 1)
			}
		}
	}
}

// The labels-only pass (NearestPacked* with the scratch: the streaming pass without the sums
// for k ≤ 8, d > 64 on AVX-512) must give NearestF64/F32's labels and part bit for bit, on the
// same shapes as the fused pass, and write nothing outside its slices or its scratch.
func testNearestWide[T Float](t *testing.T, packed packedNearestFn[T], plain nearestFn[T]) {
	rng := rand.New(rand.NewPCG(65, 9))
	wideShapes(func(n, d, ldx, k int, exact, _ bool) {
		nearestPackedCase(t, packed, plain, rng, n, d, ldx, k, exact)
	})
}

type packedNearestFn[T Float] func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, pack []T)

// nearestPackedCase runs one shape of packed against plain with guards around every slice
// (the scratch exactly PackLen(d) long): labels and part equal bit for bit.
func nearestPackedCase[T Float](t testing.TB, packed packedNearestFn[T], plain nearestFn[T], rng *rand.Rand, n, d, ldx, k int, exact bool) {
	t.Helper()
	gx, x := matrix[T](rng, n, d, ldx, exact)
	nearestPackedOn(t, packed, plain, rng, gx, x, n, d, ldx, k, exact)
}

// nearestPackedOn is nearestPackedCase on the rows x (guarded by gx).
func nearestPackedOn[T Float](t testing.TB, packed packedNearestFn[T], plain nearestFn[T], rng *rand.Rand, gx *guarded[T], x []T, n, d, ldx, k int, exact bool) {
	t.Helper()
	_, c := matrix[T](rng, k, d, d, exact)
	cnorm := make([]T, k)
	sqNormsGeneric(c, d, k, d, cnorm)
	gl, labels := newGuarded(n, int32(-7))
	gp, part := newGuarded(n, nan[T]())
	gk, pack := newGuarded(PackLen(d), nan[T]())
	packed(x, ldx, n, d, c, k, cnorm, labels, part, pack)
	ref, refPart := make([]int32, n), make([]T, n)
	plain(x, ldx, n, d, c, k, cnorm, ref, refPart)
	if !slices.Equal(labels, ref) {
		t.Fatalf("n=%d d=%d k=%d ldx=%d exact=%v: labels differ from Nearest's", n, d, k, ldx, exact)
	}
	for i := range part {
		if !same(part[i], refPart[i]) {
			t.Fatalf("n=%d d=%d k=%d ldx=%d exact=%v: part[%d] = %v, Nearest's %v", n, d, k, ldx, exact, i, part[i], refPart[i])
		}
	}
	gx.check(t, "x")
	gl.check(t, "labels")
	gp.check(t, "part")
	gk.check(t, "pack")
}

func TestNearestWideF64(t *testing.T) { testNearestWide(t, NearestPackedF64, NearestF64) }

func TestNearestWideF32(t *testing.T) { testNearestWide(t, NearestPackedF32, NearestF32) }

func TestLloydWideF64(t *testing.T) {
	testLloydWide(t, lloydPair[float64]{packedLloyd(t, LloydPackedF64), NearestF64})
}

func TestLloydWideF32(t *testing.T) {
	testLloydWide(t, lloydPair[float32]{packedLloyd(t, LloydPackedF32), NearestF32})
}

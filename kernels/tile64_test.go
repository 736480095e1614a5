package kernels_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// The 64-center tile must give, bit for bit, the labels and minima of the path it stands in
// for: gemm.MulRows' products, then NearestProductsF32. Rows are read in place with a stride
// past d (NaN between rows, so reading a value outside a row would show), the outputs are
// guarded, and the cases cover both row tiles (6 rows and 1), every depth tail, k below 64
// (padded centers), ties (repeated centers: the lowest index must win) and rows equal to
// centers (values of exactly −‖c‖²).
func TestNearestTile64MatchesProducts(t *testing.T) {
	if !kernels.Tile64Fast() {
		t.Skip("the 64-center tile is AVX-512 assembly only; this backend keeps the GEMM path")
	}
	rng := rand.New(rand.NewPCG(64, 1))
	nan := float32(math.NaN())
	for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 64, 100, 257, 1024} {
		for _, k := range []int{1, 2, 17, 33, 63, 64} {
			for _, n := range []int{1, 5, 6, 7, 12, 13, 50} {
				ldx := d + 3
				x := make([]float32, n*ldx)
				for i := range x {
					x[i] = nan
				}
				centers := make([]float32, k*d)
				for i := range centers {
					centers[i] = float32(rng.NormFloat64())
				}
				if k > 2 {
					copy(centers[(k-1)*d:], centers[:d]) // a tie: center 0 must win
				}
				for i := 0; i < n; i++ {
					row := x[i*ldx : i*ldx+d]
					if i%4 == 3 {
						copy(row, centers[(i%k)*d:]) // on a center
						continue
					}
					for p := range row {
						row[p] = float32(rng.NormFloat64())
					}
				}
				cnorm := make([]float32, k)
				for j := range cnorm {
					var s float32
					for _, c := range centers[j*d : (j+1)*d] {
						s += c * c
					}
					cnorm[j] = s
				}
				if k > 2 {
					cnorm[k-1] = cnorm[0]
				}

				var panels gemm.Panels[float32]
				panels.Pack(centers, d, k, d)
				prod := make([]float32, n*k)
				gemm.MulRows(&panels, x, ldx, n, prod, k, make([]float32, gemm.MulRowsScratch[float32](d)))
				wantL, wantM := make([]int32, n), make([]float32, n)
				kernels.NearestProductsF32(prod, k, n, k, cnorm, wantL, wantM)

				panel, norm64 := make([]float32, 64*d), make([]float32, 64)
				kernels.PackTile64F32(centers, d, k, cnorm, panel, norm64)
				gotL, gotM := make([]int32, n+2), make([]float32, n+2)
				gotL[n], gotL[n+1], gotM[n], gotM[n+1] = -7, -8, 7, 8
				if !kernels.NearestTile64F32(x, ldx, n, d, panel, norm64, gotL, gotM) {
					t.Fatal("the tile did not run though Tile64Fast said it would")
				}
				if gotL[n] != -7 || gotL[n+1] != -8 || gotM[n] != 7 || gotM[n+1] != 8 {
					t.Fatalf("d=%d k=%d n=%d: the tile wrote past its n outputs", d, k, n)
				}
				for i := 0; i < n; i++ {
					if gotL[i] != wantL[i] || math.Float32bits(gotM[i]) != math.Float32bits(wantM[i]) {
						t.Fatalf("d=%d k=%d n=%d row %d: label %d minimum %v, the GEMM path %d %v", d, k, n, i, gotL[i], gotM[i], wantL[i], wantM[i])
					}
				}
				checkLeastTwo(t, x, ldx, n, d, k, prod, cnorm, panel, norm64, wantL, wantM)
			}
		}
	}
}

// A first value that is NaN keeps label 0 (as NearestProductsF32: its strict comparison never
// replaces a NaN best); a NaN elsewhere is passed over.
func TestNearestTile64NaN(t *testing.T) {
	if !kernels.Tile64Fast() {
		t.Skip("the 64-center tile is AVX-512 assembly only; this backend keeps the GEMM path")
	}
	const d, k = 4, 8
	centers := make([]float32, k*d)
	for j := 0; j < k; j++ {
		centers[j*d] = float32(j)
	}
	x := []float32{5, 0, 0, 0}
	for _, nanAt := range []int{0, 5} {
		cnorm := make([]float32, k)
		for j := range cnorm {
			cnorm[j] = float32(j * j)
		}
		cnorm[nanAt] = float32(math.NaN())
		var panels gemm.Panels[float32]
		panels.Pack(centers, d, k, d)
		prod := make([]float32, k)
		gemm.MulRows(&panels, x, d, 1, prod, k, make([]float32, gemm.MulRowsScratch[float32](d)))
		wantL, wantM := make([]int32, 1), make([]float32, 1)
		kernels.NearestProductsF32(prod, k, 1, k, cnorm, wantL, wantM)
		panel, norm64 := make([]float32, 64*d), make([]float32, 64)
		kernels.PackTile64F32(centers, d, k, cnorm, panel, norm64)
		gotL, gotM := make([]int32, 1), make([]float32, 1)
		kernels.NearestTile64F32(x, d, 1, d, panel, norm64, gotL, gotM)
		if gotL[0] != wantL[0] || math.Float32bits(gotM[0]) != math.Float32bits(wantM[0]) {
			t.Fatalf("NaN norm at %d: label %d minimum %v, the GEMM path %d %v", nanAt, gotL[0], gotM[0], wantL[0], wantM[0])
		}
		checkLeastTwo(t, x, d, 1, d, k, prod, cnorm, panel, norm64, wantL, wantM)
	}
}

// checkLeastTwo runs LeastTwoTile64F32 on the same rows and compares it with the products' two
// passes (Hamerly's settleLeastTwo): labels and minima as before, and the second value that of
// NearestProductsF32 after the label's product is made −∞ (equal as numbers: a zero's sign may
// differ; NaN where it is NaN). prod is overwritten.
func checkLeastTwo(t *testing.T, x []float32, ldx, n, d, k int, prod, cnorm, panel, norm64 []float32, wantL []int32, wantM []float32) {
	t.Helper()
	for i, a := range wantL {
		prod[i*k+int(a)] = float32(math.Inf(-1))
	}
	other, wantS := make([]int32, n), make([]float32, n)
	kernels.NearestProductsF32(prod, k, n, k, cnorm, other, wantS)
	gotL, gotM, gotS := make([]int32, n), make([]float32, n), make([]float32, n+1)
	gotS[n] = 9
	if !kernels.LeastTwoTile64F32(x, ldx, n, d, panel, norm64, gotL, gotM, gotS) {
		t.Fatal("the least-two tile did not run though Tile64Fast said it would")
	}
	if gotS[n] != 9 {
		t.Fatalf("d=%d k=%d n=%d: the least-two tile wrote past its n outputs", d, k, n)
	}
	for i := 0; i < n; i++ {
		if gotL[i] != wantL[i] || math.Float32bits(gotM[i]) != math.Float32bits(wantM[i]) {
			t.Fatalf("d=%d k=%d n=%d row %d: least-two label %d minimum %v, the GEMM path %d %v", d, k, n, i, gotL[i], gotM[i], wantL[i], wantM[i])
		}
		g, w := gotS[i], wantS[i]
		if g != w && !(g != g && w != w) {
			t.Fatalf("d=%d k=%d n=%d row %d: second value %v, the GEMM path's %v", d, k, n, i, g, w)
		}
	}
}

// Values that are zeros of either sign (centers and rows of zeros, norms ±0) take the tile's
// rare path for the minimum: it must be the value at the label, sign included.
func TestNearestTile64SignedZeros(t *testing.T) {
	if !kernels.Tile64Fast() {
		t.Skip("the 64-center tile is AVX-512 assembly only; this backend keeps the GEMM path")
	}
	const d, k = 5, 40
	negZero := float32(math.Copysign(0, -1))
	for _, first := range []float32{0, negZero} {
		centers := make([]float32, k*d)
		for j := 2; j < k; j++ {
			centers[j*d] = float32(j)
		}
		cnorm := make([]float32, k)
		for j := 2; j < k; j++ {
			cnorm[j] = float32(j * j)
		}
		cnorm[0], cnorm[1] = first, -first
		x := make([]float32, 7*d) // seven rows of zeros: both tiles
		var panels gemm.Panels[float32]
		panels.Pack(centers, d, k, d)
		prod := make([]float32, 7*k)
		gemm.MulRows(&panels, x, d, 7, prod, k, make([]float32, gemm.MulRowsScratch[float32](d)))
		wantL, wantM := make([]int32, 7), make([]float32, 7)
		kernels.NearestProductsF32(prod, k, 7, k, cnorm, wantL, wantM)
		panel, norm64 := make([]float32, 64*d), make([]float32, 64)
		kernels.PackTile64F32(centers, d, k, cnorm, panel, norm64)
		gotL, gotM := make([]int32, 7), make([]float32, 7)
		kernels.NearestTile64F32(x, d, 7, d, panel, norm64, gotL, gotM)
		for i := range gotL {
			if gotL[i] != wantL[i] || math.Float32bits(gotM[i]) != math.Float32bits(wantM[i]) {
				t.Fatalf("first norm %v row %d: label %d minimum %v (bits %x), the GEMM path %d %v (bits %x)", first, i,
					gotL[i], gotM[i], math.Float32bits(gotM[i]), wantL[i], wantM[i], math.Float32bits(wantM[i]))
			}
		}
		checkLeastTwo(t, x, d, 7, d, k, prod, cnorm, panel, norm64, wantL, wantM)
	}
}

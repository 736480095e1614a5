package kernels

import "math"

// The 64-center tile: Lloyd's labels for float32 rows against at most 64 centers, products and
// argmin in one pass with the products never leaving the registers (see _gen/tile64.go). Its
// labels and minima are those of gemm.MulRows' products through NearestProductsF32, bit for bit:
// each product one FMA chain in feature order from zero, the value cnorm − 2·product in one
// rounding, the lowest index on ties.

// Tile64Centers is how many centers the tile takes; fewer are padded (PackTile64F32).
const Tile64Centers = 64

// Tile64Fast reports whether NearestTile64F32 runs assembly on the active backend (AVX-512);
// elsewhere callers keep their own path.
func Tile64Fast() bool { return tile64Fast() }

// PackTile64F32 lays the k ≤ 64 centers (row j at centers[j·d:], d values, norms cnorm) out for
// NearestTile64F32: panel[p·64 + j] = feature p of center j and norm64[j] = cnorm[j], centers past
// k as zeros with a norm of +Inf, so that their value is +Inf and never below a real center's.
// panel holds at least 64·d values and norm64 at least 64.
func PackTile64F32(centers []float32, d, k int, cnorm, panel, norm64 []float32) {
	if k < 1 || k > Tile64Centers || d < 1 || len(centers) < k*d || len(cnorm) < k || len(panel) < Tile64Centers*d || len(norm64) < Tile64Centers {
		panic("kernels: 64-center tile does not fit its slices")
	}
	clear(panel[:Tile64Centers*d])
	for j := 0; j < k; j++ {
		for p, c := range centers[j*d : (j+1)*d] {
			panel[p*Tile64Centers+j] = c
		}
	}
	copy(norm64, cnorm[:k])
	for j := k; j < Tile64Centers; j++ {
		norm64[j] = float32(math.Inf(1))
	}
}

// NearestTile64F32 writes, for each of the n rows of x (row i at x[i·ldx:], d values), the label
// of the nearest of the centers packed by PackTile64F32 and the least value cnorm − 2·x·c,
// when the active backend has the tile (Tile64Fast), and reports whether it did.
func NearestTile64F32(x []float32, ldx, n, d int, panel, norm64 []float32, labels []int32, minima []float32) bool {
	if n <= 0 || !tile64Fast() {
		return n <= 0
	}
	checkTile64(x, ldx, n, d, panel, norm64, labels, minima)
	nearestTile64(x, ldx, n, d, panel, norm64, labels, minima, nil)
	return true
}

// LeastTwoTile64F32 is NearestTile64F32 that also writes second[i], the least value of the
// other centers: NearestProductsF32's minimum once the label's product is made −∞ (in value:
// a zero may come out with the other sign).
func LeastTwoTile64F32(x []float32, ldx, n, d int, panel, norm64 []float32, labels []int32, minima, second []float32) bool {
	if n <= 0 || !tile64Fast() {
		return n <= 0
	}
	checkTile64(x, ldx, n, d, panel, norm64, labels, minima)
	if len(second) < n {
		panic("kernels: 64-center tile's outputs do not fit their slices")
	}
	nearestTile64(x, ldx, n, d, panel, norm64, labels, minima, second)
	return true
}

func checkTile64(x []float32, ldx, n, d int, panel, norm64 []float32, labels []int32, minima []float32) {
	if d < 1 || ldx < d || (n-1)*ldx+d > len(x) || len(panel) < Tile64Centers*d || len(norm64) < Tile64Centers || len(labels) < n || len(minima) < n {
		panic("kernels: 64-center tile's rows do not fit their slices")
	}
}

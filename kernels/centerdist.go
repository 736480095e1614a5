package kernels

import "math"

// CenterPanel holds k centers of d features for CenterDists: widened to float64, eight centers
// to a group, features padded with zeros to a multiple of 16 (see genCenterDists). Made once
// per call of a transform, it is k·d values: nothing next to the rows' reads.
type CenterPanel struct {
	d, dpad, k int
	panel      []float64
}

// NewCenterPanel packs the k centers of d features in c (row-major, contiguous) for
// CenterDists, or returns nil where the active backend has no such kernel (AVX-512 only; AVX2's
// sixteen registers cannot hold the sixteen partial sums) or d is 0: the caller then takes
// SqDistRows a center at a time, which gives the same bits.
func NewCenterPanel[T Float](c []T, d, k int) *CenterPanel {
	return NewCenterPanelStrided(c, d, d, k)
}

// NewCenterPanelStrided is NewCenterPanel for centers at row stride ldc (rows of a matrix taken
// as centers, as the silhouette does).
func NewCenterPanelStrided[T Float](c []T, ldc, d, k int) *CenterPanel {
	if !centerDistsAvailable() || d < 1 || k < 1 {
		return nil
	}
	_ = c[(k-1)*ldc+d-1]
	dpad := panelFeatures(d)
	panel := make([]float64, PanelBytes(d, k)/8)
	for j := 0; j < k; j++ {
		g, l := j/8, j%8
		for i, v := range c[j*ldc : j*ldc+d] {
			panel[(g*dpad+i)*8+l] = float64(v)
		}
	}
	return &CenterPanel{d: d, dpad: dpad, k: k, panel: panel}
}

// PanelBytes is the memory of a panel of k centers of d features.
func PanelBytes(d, k int) int { return (k + 7) / 8 * 8 * panelFeatures(d) * 8 }

// panelFeatures is d rounded up to the kernel's block of 16 features (the panel's and the rows'
// padded width).
func panelFeatures(d int) int { return (d + 15) / 16 * 16 }

// CenterPanelPays reports whether CenterDists beats SqDistRows a center at a time for d
// features and k centers: where the eight lanes are full and the rows short enough that the
// per-pair fold it saves outweighs copying the rows into its scratch. Transform through Python
// on this machine (Zen 4, two threads, medians of 5 and 7; before → after, ms):
//
//	n, d, k, dtype               center by center   panel
//	10⁶, 32, 64, float32 / f64   373 / 328          127 / 156
//	10⁶, 32, 8, float32          47.5               28.5
//	2·10⁵, 16, 12, float64       10.8               6.0
//	2·10⁵, 64, 8, float64        16.8               14.4
//	2·10⁵, 128, 16, float64      48.0               39.7
//	10⁵, 1024, 16 / 64           142 / 473          130 / 352
//	2·10⁵, 128, 8, float32       24.5               27.3
//	2·10⁵, 256, 8, float64       45.8               64.9
//	2·10⁵, 32, 3 / 5, float64    6.2 / 7.8          8.9 / 8.3
//	10⁶, 256, 3, float64         151                249
func CenterPanelPays(d, k int) bool { return k >= 16 || (k >= 8 && d <= 64) }

// ScratchLen is the length of the scratch CenterDists needs for rows rows at a time.
func (p *CenterPanel) ScratchLen(rows int) int { return rows * p.dpad }

// CenterDistsF64 writes out[r·ldo + j] = √SqDistF64(x_r, c_j) for the n rows x_r of x (row stride
// ldx) and the panel's k centers c_j, bit for bit (each sum as SqDistF64 adds it, the root
// rounded once): the exact Euclidean distances of KMeans.transform. scratch holds at least
// p.ScratchLen(n) values; rows are copied there, padded with zeros, a call's worth at a time.
func CenterDistsF64(p *CenterPanel, x []float64, ldx, n int, out []float64, ldo int, scratch []float64) {
	centerDists(p, x, ldx, n, out, ldo, scratch)
}

// CenterDistsF32 is CenterDistsF64 for float32 rows: each difference and sum in float64 (as
// SqDistF32), the root rounded once to float64 and then once to float32.
func CenterDistsF32(p *CenterPanel, x []float32, ldx, n int, out []float32, ldo int, scratch []float64) {
	centerDists(p, x, ldx, n, out, ldo, scratch)
}

// CenterDistsWide is CenterDistsF64/F32 with the roots left in float64: math.Sqrt of SqDistF64
// or SqDistF32 of each pair, bit for bit.
func CenterDistsWide[T Float](p *CenterPanel, x []T, ldx, n int, out []float64, ldo int, scratch []float64) {
	centerDists(p, x, ldx, n, out, ldo, scratch)
}

func centerDists[T, O Float](p *CenterPanel, x []T, ldx, n int, out []O, ldo int, scratch []float64) {
	if n <= 0 {
		return
	}
	d, k := p.d, p.k
	_ = x[(n-1)*ldx+d-1]
	_ = out[(n-1)*ldo+k-1]
	if ldo < k {
		panic("kernels: CenterDists output rows overlap")
	}
	xs := scratch[:n*p.dpad]
	for r := 0; r < n; r++ {
		row := xs[r*p.dpad : (r+1)*p.dpad]
		for i, v := range x[r*ldx : r*ldx+d] {
			row[i] = float64(v)
		}
		clear(row[d:])
	}
	centerDistsSIMD(xs, p.dpad, n, p, out, ldo)
}

// centerDistsGeneric is the reference of CenterDists: a root of SqDist per pair.
func centerDistsGeneric[T Float](x []T, ldx, n, d int, c []T, k int, out []T, ldo int) {
	for r := 0; r < n; r++ {
		for j := 0; j < k; j++ {
			out[r*ldo+j] = T(math.Sqrt(sqDistGeneric(x[r*ldx:r*ldx+d], c[j*d:j*d+d])))
		}
	}
}

package cluster

import (
	"math"
	"unsafe"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
	"github.com/fastmva/fastmva/kernels/gemm"
)

// Distances between the rows of two matrices, as scikit-learn's euclidean_distances and
// pairwise_distances_argmin_min compute them: ‖x‖² − 2·x·y + ‖y‖² in float64 (float32 input is
// widened block by block, as scikit-learn does), clipped at 0. The expansion loses accuracy to
// cancellation: the squared distance is within a few ε·(‖x‖² + ‖y‖²) of the exact one (ε of
// float64), the same as scikit-learn's. pairwise_distances_argmin_min picks the nearest row by
// that expansion (NearestF64's labels) but reports the direct distance to it, √Σ(x − y)² in
// float64, within a few ε of the exact one (scikit-learn's is its expansion's).

const (
	distRowBlock = 64  // rows of X widened and computed together
	distColBlock = 512 // rows of Y per call of the values kernel (bounds the scratch)

	// distStreamBytes is the size of output from which EuclideanDistances stores it with
	// non-temporal stores (kernels.DistancesStream*): well past the private caches, where the
	// output goes to memory anyway and a plain store would first read every line of it.
	distStreamBytes = 8 << 20
)

// checkDistanceInputs checks the shapes and Y's values. X's values are checked by the passes,
// block by block, on rows already in cache (blockFinite): a serial pass over X before them cost
// a fifth of pairwise_distances_argmin_min at 10⁶×32. The errors are the same as from checking
// X before Y: X's first NaN or ±Inf in row order, else Y's.
func checkDistanceInputs[T dense.Float](x, y dense.Matrix[T]) error {
	if err := x.Validate("X"); err != nil {
		return err
	}
	if err := y.Validate("Y"); err != nil {
		return err
	}
	if x.Cols != y.Cols {
		return fault.Invalid("Incompatible dimension for X and Y matrices: X.shape[1] == %d while Y.shape[1] == %d", x.Cols, y.Cols)
	}
	if err := dense.CheckFinite(y, "Y"); err != nil {
		if errX := dense.CheckFinite(x, "X"); errX != nil {
			return errX
		}
		return err
	}
	return nil
}

// blockFinite returns the error naming the first NaN or ±Inf of rows [b, e) of x, whose squared
// norms are xn, or nil. A row with a finite squared norm holds only finite values, so the rows
// are read again only where a norm is NaN or ±Inf (a finite row whose norm overflows passes that
// second look). A pass that stops at its first bad block, chunks reporting in chunk order
// (parallel.Run), names the first bad element of X in row order.
func blockFinite[T dense.Float](x dense.Matrix[T], b, e int, xn []float64) error {
	var s float64
	for _, v := range xn[:e-b] {
		s += v - v // 0 for finite v, NaN for NaN and ±Inf
	}
	if s == 0 {
		return nil
	}
	return dense.CheckFiniteRows(x, "X", b, e)
}

// widen returns rows [lo, hi) of x as a contiguous float64 block (in place for float64 input
// with no copy) and its row stride.
func widen[T dense.Float](x dense.Matrix[T], lo, hi int, buf []float64) ([]float64, int) {
	if f, ok := any(x.Data).([]float64); ok {
		return f[lo*x.Stride:], x.Stride
	}
	d := x.Cols
	f := any(x.Data).([]float32)
	if x.Stride == d {
		kernels.WidenF32(buf, f[lo*d:hi*d]) // and the next block on its way to the cache
		return buf, d
	}
	for i := lo; i < hi; i++ {
		kernels.WidenF32(buf[(i-lo)*d:], f[i*x.Stride:i*x.Stride+d])
	}
	return buf, d
}

// widenBuf is the scratch widen needs for n values (none for float64, which is used in place).
func widenBuf[T dense.Float](n int) []float64 {
	if _, ok := any(T(0)).(float64); ok {
		return nil
	}
	return make([]float64, n)
}

// widenAll returns y as a contiguous float64 k×d matrix and its squared row norms.
func widenAll[T dense.Float](y dense.Matrix[T]) ([]float64, []float64) {
	d := y.Cols
	c := make([]float64, y.Rows*d)
	for i := 0; i < y.Rows; i++ {
		for j, v := range y.Row(i) {
			c[i*d+j] = float64(v)
		}
	}
	norms := make([]float64, y.Rows)
	kernels.SqNormsF64(c, d, y.Rows, d, norms)
	return c, norms
}

// packBlocks packs the m rows of c (d values each) for gemm.MulRows in blocks of distColBlock
// rows, one Panels each.
func packBlocks(c []float64, m, d int) []gemm.Panels[float64] {
	panels := make([]gemm.Panels[float64], (m+distColBlock-1)/distColBlock)
	for b := range panels {
		j0 := b * distColBlock
		panels[b].Pack(c[j0*d:], d, min(distColBlock, m-j0), d)
	}
	return panels
}

// The products x·y of a block of rows against every row of y come from gemm.MulRows (rows of y
// packed once, the block multiplied in cache): each one sum in feature order from zero, the dot
// product the values kernels form, so cnorm − 2·x·y below is bit for bit ValuesF64's value and
// the nearest row NearestF64's (kernels.NearestProducts).

// EuclideanDistances writes the distances (squared: their squares) between every row of x and
// every row of y into out, x.Rows × y.Rows row-major, rounded once to T. same says y is x (the
// diagonal is then exactly 0, as scikit-learn sets it).
func EuclideanDistances[T dense.Float](x, y dense.Matrix[T], squared, same bool, threads int, out []T) error {
	if err := checkDistanceInputs(x, y); err != nil {
		return err
	}
	n, m := x.Rows, y.Rows
	if len(out) < n*m {
		return fault.Invalid("output has room for %d values, expected %d×%d", len(out), n, m)
	}
	c, cnorm := widenAll(y)
	var z T
	stream := n*m*int(unsafe.Sizeof(z)) >= distStreamBytes
	return walkTile(x, c, m, threads, func(int) tileWorker {
		return func(b, e int, xn []float64, panels int, products func(pb int) ([]float64, int, int)) {
			for pb := 0; pb < panels; pb++ {
				prod, j0, mb := products(pb)
				writeDistances(prod, mb, e-b, cnorm[j0:j0+mb], xn, !squared, stream, out[b*m+j0:], m)
				if same {
					for i := max(b, j0); i < min(e, j0+mb); i++ {
						out[i*m+i] = 0
					}
				}
			}
		}
	})
}

// A tileWorker handles one block of rows [b, e) of x: xn holds their squared norms, and
// products(pb) multiplies the block by panel pb of y (pb < panels, in any order) and returns
// the products (row-major, mb per row) and the panel's first column j0.
type tileWorker func(b, e int, xn []float64, panels int, products func(pb int) (prod []float64, j0, mb int))

// walkTile runs the GEMM tile over x against y widened to c (m rows): y is packed once, x is
// taken in cache-sized blocks of rows, widened, and handed to a worker made once per parallel
// chunk by newWorker(rows per block), which owns whatever per-block scratch it needs.
func walkTile[T dense.Float](x dense.Matrix[T], c []float64, m, threads int, newWorker func(rowBlock int) tileWorker) error {
	n, d := x.Rows, x.Cols
	panels := packBlocks(c, m, d)
	rowBlock := gemm.BlockRows[float64](d, min(m, distColBlock))
	return parallel.Run(parallel.Split(n, distRowBlock, maxChunks), threads, func(_, lo, hi int) error {
		buf := widenBuf[T](rowBlock * d)
		prod := make([]float64, rowBlock*min(m, distColBlock))
		xn := make([]float64, rowBlock)
		scratch := make([]float64, gemm.MulRowsScratch[float64](d))
		work := newWorker(rowBlock)
		for b := lo; b < hi; b += rowBlock {
			e := min(b+rowBlock, hi)
			rows, ld := widen(x, b, e, buf)
			kernels.SqNormsF64(rows, ld, e-b, d, xn)
			if err := blockFinite(x, b, e, xn); err != nil {
				return err
			}
			work(b, e, xn, len(panels), func(pb int) ([]float64, int, int) {
				mb := panels[pb].Rows()
				gemm.MulRows(&panels[pb], rows, ld, e-b, prod, mb, scratch)
				return prod, pb * distColBlock, mb
			})
		}
		return nil
	})
}

// writeDistances is kernels.Distances* for output type T, kernels.DistancesStream* with stream.
func writeDistances[T dense.Float](prod []float64, ldp, rows int, cnorm, xnorm []float64, root, stream bool, out []T, ldo int) {
	switch o := any(out).(type) {
	case []float64:
		if stream {
			kernels.DistancesStreamF64(prod, ldp, rows, len(cnorm), cnorm, xnorm, root, o, ldo)
		} else {
			kernels.DistancesF64(prod, ldp, rows, len(cnorm), cnorm, xnorm, root, o, ldo)
		}
	case []float32:
		if stream {
			kernels.DistancesStreamF32(prod, ldp, rows, len(cnorm), cnorm, xnorm, root, o, ldo)
		} else {
			kernels.DistancesF32(prod, ldp, rows, len(cnorm), cnorm, xnorm, root, o, ldo)
		}
	}
}

// argminTileMinFeatures is the shortest row ArgminMin gives the GEMM tile.
const argminTileMinFeatures = 128

// useArgminTile picks the GEMM tile for ArgminMin: m ≥ gemmMinCenters rows of y and d ≥
// argminTileMinFeatures, k-means's rule before it took d = 32 (useGemmTile). On bench/kmeans's
// shape (10⁶×32 float32 against 64 rows, AMD Zen 4, alternating runs) the tile took 73–100 ms
// against the fused kernel's 62–69, though Lloyd's pass at d = 32, k = 64 is faster on the tile.
func useArgminTile(d, m int) bool {
	return m >= gemmMinCenters && d >= argminTileMinFeatures
}

// ArgminMin writes, for every row of x, the index of the nearest row of y (the lowest on ties)
// and the distance to it, in float64 (scikit-learn's pairwise_distances_argmin_min). The
// nearest row is NearestF64's on the widened rows (the least ‖y‖² − 2x·y in float64), by the
// fused nearest kernel, by the GEMM tile for long rows (useArgminTile) or by the mixed labels
// (useMixedArgmin): the same labels on every path. The distance is the direct one,
// √Σ(x − y)² in float64 (SqDistRows), which the expansion only approximates.
func ArgminMin[T dense.Float](x, y dense.Matrix[T], threads int, argmin []int64, dist []float64) error {
	if err := checkDistanceInputs(x, y); err != nil {
		return err
	}
	n, m, d := x.Rows, y.Rows, x.Cols
	if len(argmin) < n || len(dist) < n {
		return fault.Invalid("outputs have room for %d and %d values, expected %d", len(argmin), len(dist), n)
	}
	c, cnorm := widenAll(y)
	yc := contiguous(y)
	if useMixedArgmin(d, m) {
		if done, err := argminMixed(x, yc, c, cnorm, threads, argmin, dist); done {
			return err
		}
	}
	if useArgminTile(d, m) {
		return argminTile(x, yc, c, cnorm, m, threads, argmin, dist)
	}
	return parallel.Run(parallel.Split(n, distRowBlock, maxChunks), threads, func(_, lo, hi int) error {
		return newFusedArgmin[T](d).rows(x, lo, hi, c, cnorm, yc, argmin, dist)
	})
}

// fusedArgmin is one worker's scratch for ArgminMin's fused path: blocks of distRowBlock rows,
// widened and labelled by the packed nearest kernel.
type fusedArgmin[T dense.Float] struct {
	buf, xn, part, sq, pack []float64
	lab                     []int32
}

func newFusedArgmin[T dense.Float](d int) *fusedArgmin[T] {
	return &fusedArgmin[T]{
		buf: widenBuf[T](distRowBlock * d), xn: make([]float64, distRowBlock), part: make([]float64, distRowBlock),
		sq: make([]float64, distRowBlock), pack: make([]float64, kernels.PackLen(d)), lab: make([]int32, distRowBlock),
	}
}

// rows labels rows [lo, hi) of x against the m = len(cnorm) rows of y (widened to c; yc as
// given) and writes their labels and distances.
func (f *fusedArgmin[T]) rows(x dense.Matrix[T], lo, hi int, c, cnorm []float64, yc []T, argmin []int64, dist []float64) error {
	d, m := x.Cols, len(cnorm)
	for b := lo; b < hi; b += distRowBlock {
		e := min(b+distRowBlock, hi)
		rows, ld := widen(x, b, e, f.buf)
		// The nearest kernel first: it prefetches the rows ahead of its arithmetic, and the
		// norms then read them from cache (norms first stalled on every block's first read).
		kernels.NearestPackedF64(rows, ld, e-b, d, c, m, cnorm, f.lab, f.part, f.pack)
		kernels.SqNormsF64(rows, ld, e-b, d, f.xn)
		if err := blockFinite(x, b, e, f.xn); err != nil {
			return err
		}
		nearestDists(x, b, e, yc, f.lab, f.sq, argmin, dist)
	}
	return nil
}

// nearestDists writes, for rows [b, e) of x, argmin[i] = lab[i−b] and dist[i] = the distance
// from row i to row lab[i−b] of y (yc: contiguous), √ of SqDistRows' Σ(x − y)² in float64; sq
// is scratch.
func nearestDists[T dense.Float](x dense.Matrix[T], b, e int, yc []T, lab []int32, sq []float64, argmin []int64, dist []float64) {
	opsFor[T]().sqDistRows(x.Data[b*x.Stride:], x.Stride, e-b, x.Cols, yc, lab[:e-b], sq)
	for i := b; i < e; i++ {
		argmin[i] = int64(lab[i-b])
		dist[i] = math.Sqrt(sq[i-b])
	}
}

// argminTile is ArgminMin on the GEMM tile (y widened to c, m rows, norms cnorm).
func argminTile[T dense.Float](x dense.Matrix[T], yc []T, c, cnorm []float64, m, threads int, argmin []int64, dist []float64) error {
	return walkTile(x, c, m, threads, func(rowBlock int) tileWorker {
		part := make([]float64, rowBlock)
		lab := make([]int32, rowBlock)
		best := make([]float64, rowBlock)
		nearest := make([]int32, rowBlock)
		sq := make([]float64, rowBlock)
		return func(b, e int, xn []float64, panels int, products func(pb int) ([]float64, int, int)) {
			// Blocks of y in order, a later block winning only with a strictly smaller value:
			// the lowest index on ties, as one pass over every row of y would give.
			for pb := 0; pb < panels; pb++ {
				prod, j0, mb := products(pb)
				kernels.NearestProductsF64(prod, mb, e-b, mb, cnorm[j0:j0+mb], lab, part)
				for i := b; i < e; i++ {
					if pb == 0 || part[i-b] < best[i-b] {
						best[i-b] = part[i-b]
						nearest[i-b] = int32(j0) + lab[i-b]
					}
				}
			}
			nearestDists(x, b, e, yc, nearest, sq, argmin, dist)
		}
	})
}

package cluster

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
)

// Distances between the rows of two matrices, as scikit-learn's euclidean_distances and
// pairwise_distances_argmin_min compute them: ‖x‖² − 2·x·y + ‖y‖² in float64 (float32 input is
// widened block by block, as scikit-learn does), clipped at 0. The expansion loses accuracy to
// cancellation: the squared distance is within a few ε·(‖x‖² + ‖y‖²) of the exact one (ε of
// float64), the same as scikit-learn's.

const (
	distRowBlock = 64  // rows of X widened and computed together
	distColBlock = 512 // rows of Y per call of the values kernel (bounds the scratch)
)

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
	if err := dense.CheckFinite(x, "X"); err != nil {
		return err
	}
	return dense.CheckFinite(y, "Y")
}

// widen returns rows [lo, hi) of x as a contiguous float64 block (in place for float64 input
// with no copy) and its row stride.
func widen[T dense.Float](x dense.Matrix[T], lo, hi int, buf []float64) ([]float64, int) {
	if f, ok := any(x.Data).([]float64); ok {
		return f[lo*x.Stride:], x.Stride
	}
	d := x.Cols
	for i := lo; i < hi; i++ {
		for j, v := range x.Row(i) {
			buf[(i-lo)*d+j] = float64(v)
		}
	}
	return buf, d
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

// EuclideanDistances writes the distances (squared: their squares) between every row of x and
// every row of y into out, x.Rows × y.Rows row-major, rounded once to T. same says y is x (the
// diagonal is then exactly 0, as scikit-learn sets it).
func EuclideanDistances[T dense.Float](x, y dense.Matrix[T], squared, same bool, threads int, out []T) error {
	if err := checkDistanceInputs(x, y); err != nil {
		return err
	}
	n, m, d := x.Rows, y.Rows, x.Cols
	if len(out) < n*m {
		return fault.Invalid("output has room for %d values, expected %d×%d", len(out), n, m)
	}
	c, cnorm := widenAll(y)
	return parallel.Run(parallel.Split(n, distRowBlock, maxChunks), threads, func(_, lo, hi int) error {
		buf := make([]float64, distRowBlock*d)
		vals := make([]float64, distRowBlock*distColBlock)
		xn := make([]float64, distRowBlock)
		pack := make([]float64, kernels.PackLen(d))
		for b := lo; b < hi; b += distRowBlock {
			e := min(b+distRowBlock, hi)
			rows, ld := widen(x, b, e, buf)
			kernels.SqNormsF64(rows, ld, e-b, d, xn)
			for j0 := 0; j0 < m; j0 += distColBlock {
				mb := min(distColBlock, m-j0)
				kernels.ValuesPackedF64(rows, ld, e-b, d, c[j0*d:], mb, cnorm[j0:], vals, pack)
				for i := b; i < e; i++ {
					dst := out[i*m+j0 : i*m+j0+mb]
					for j, v := range vals[(i-b)*mb : (i-b+1)*mb] {
						s := max(0, xn[i-b]+v)
						if same && i == j0+j {
							s = 0
						}
						if !squared {
							s = math.Sqrt(s)
						}
						dst[j] = T(s)
					}
				}
			}
		}
		return nil
	})
}

// ArgminMin writes, for every row of x, the index of the nearest row of y (the lowest on ties)
// and the distance to it, in float64 (scikit-learn's pairwise_distances_argmin_min).
func ArgminMin[T dense.Float](x, y dense.Matrix[T], threads int, argmin []int64, dist []float64) error {
	if err := checkDistanceInputs(x, y); err != nil {
		return err
	}
	n, m, d := x.Rows, y.Rows, x.Cols
	if len(argmin) < n || len(dist) < n {
		return fault.Invalid("outputs have room for %d and %d values, expected %d", len(argmin), len(dist), n)
	}
	c, cnorm := widenAll(y)
	return parallel.Run(parallel.Split(n, distRowBlock, maxChunks), threads, func(_, lo, hi int) error {
		buf := make([]float64, distRowBlock*d)
		xn := make([]float64, distRowBlock)
		part := make([]float64, distRowBlock)
		lab := make([]int32, distRowBlock)
		pack := make([]float64, kernels.PackLen(d))
		for b := lo; b < hi; b += distRowBlock {
			e := min(b+distRowBlock, hi)
			rows, ld := widen(x, b, e, buf)
			kernels.SqNormsF64(rows, ld, e-b, d, xn)
			kernels.NearestPackedF64(rows, ld, e-b, d, c, m, cnorm, lab, part, pack)
			for i := b; i < e; i++ {
				argmin[i] = int64(lab[i-b])
				dist[i] = math.Sqrt(max(0, xn[i-b]+part[i-b]))
			}
		}
		return nil
	})
}

package cluster

import (
	"math"
	"slices"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
	"github.com/fastmva/fastmva/kernels"
)

func validateCenters[T dense.Float](x, centers dense.Matrix[T]) error {
	if err := validateShapes(x, centers); err != nil {
		return err
	}
	return dense.CheckFinite(x, "X")
}

// validateShapes is validateCenters but for X's values: the shapes, and finite centers.
func validateShapes[T dense.Float](x, centers dense.Matrix[T]) error {
	if err := x.Validate("X"); err != nil {
		return err
	}
	if err := centers.Validate("centers"); err != nil {
		return err
	}
	if centers.Cols != x.Cols {
		return fault.Invalid("X has %d features, but the centers have %d", x.Cols, centers.Cols)
	}
	return dense.CheckFinite(centers, "centers")
}

// contiguous returns the centers as a k×d contiguous slice (copying only when strided).
func contiguous[T dense.Float](m dense.Matrix[T]) []T {
	if m.Stride == m.Cols {
		return m.Data[:m.Rows*m.Cols]
	}
	out := make([]T, 0, m.Rows*m.Cols)
	for i := 0; i < m.Rows; i++ {
		out = append(out, m.Row(i)...)
	}
	return out
}

// Predict writes the nearest center of each row of x into labels and returns the inertia
// Σ w·‖x − center‖² (w nil: unit weights).
func Predict[T dense.Float](x, centers dense.Matrix[T], w []T, threads int, labels []int32) (float64, error) {
	return predict(x, centers, w, threads, labels, true)
}

// PredictLabels is Predict without the inertia (scikit-learn's predict): the labels only, and
// the same checks of every argument.
func PredictLabels[T dense.Float](x, centers dense.Matrix[T], w []T, threads int, labels []int32) error {
	_, err := predict(x, centers, w, threads, labels, false)
	return err
}

func predict[T dense.Float](x, centers dense.Matrix[T], w []T, threads int, labels []int32, inertia bool) (float64, error) {
	if err := validateShapes(x, centers); err != nil {
		return 0, err
	}
	if len(labels) < x.Rows {
		return 0, fault.Invalid("labels has room for %d values, X has %d rows", len(labels), x.Rows)
	}
	if w != nil && len(w) != x.Rows {
		return 0, fault.Invalid("sample_weight has %d values for %d samples", len(w), x.Rows)
	}
	if w != nil {
		// Any finite weights give a meaningful weighted sum here (scikit-learn's score accepts
		// negative ones too); NaN or infinity would only turn the inertia into NaN.
		if err := dense.CheckFiniteVec(w, "sample_weight"); err != nil {
			return 0, err
		}
	}
	c := contiguous(centers)
	l := newAssigner(x, w, centers.Rows, threads, labels)
	// X is checked for NaN and ±Inf after the pass, not before (labelsAndInertia says how the pass
	// tells), and scanned only then, to name the value. A scan first read all of X on one thread:
	// half of Predict's time at 10⁶×256 float32, k = 3, which took 1.4× as long as scikit-learn's
	// predict. (Finite X whose distances overflow keep their infinite inertia.)
	total, err := l.labelsAndInertia(c, inertia)
	if err != nil || math.IsInf(total, 0) {
		if ferr := dense.CheckFinite(x, "X"); ferr != nil {
			return 0, ferr
		}
	}
	return total, err
}

// Transform writes the Euclidean distance of every row of x to every center into out
// (rows×k, row-major), each computed as √Σ(x−c)² in float64 and rounded once to T.
//
// A block of rows at a time: with many centers (kernels.CenterPanelPays) against a panel of
// them, eight at a time in the lanes of a register (kernels.CenterDists, AVX-512); otherwise
// center by center (sqDistRows with every label the center's). Both give the bits of one
// sqDist per pair. X is checked for NaN and ±Inf after, as Predict's is (a row holding one has
// a non-finite distance to every center), and scanned only then, to name the value. With a
// call per pair and the scan first, 10⁶×32 against 64 centers (float64) took 731 ms, 0.52×
// scikit-learn's transform; center by center 299–373 ms in bench/kmeans's runs (float32:
// 0.75–0.79× scikit-learn's, whose float32 distances come from a float64 GEMM of the widened
// rows); with the panel 127 (float32) and 156 ms (float64).
func Transform[T dense.Float](x, centers dense.Matrix[T], threads int, out []T) error {
	if err := validateShapes(x, centers); err != nil {
		return err
	}
	k, d := centers.Rows, x.Cols
	if len(out) < x.Rows*k {
		return fault.Invalid("output has room for %d values, expected %d×%d", len(out), x.Rows, k)
	}
	o := opsFor[T]()
	c := contiguous(centers)
	chunks := rowChunks(x.Rows)
	bad := make([]bool, chunks.Count) // per chunk: some distance is NaN or infinite
	var panel *kernels.CenterPanel
	if kernels.CenterPanelPays(d, k) {
		panel = kernels.NewCenterPanel(c, d, k) // nil without AVX-512
	}
	if panel != nil {
		rows := max(1, min(blockRows, (32<<10)/panel.ScratchLen(1))) // the rows' copies in L1
		err := parallel.Run(chunks, threads, func(ci, lo, hi int) error {
			scratch := make([]float64, panel.ScratchLen(rows))
			for b := lo; b < hi; b += rows {
				m := min(rows, hi-b)
				o.centerDists(panel, x.Data[b*x.Stride:], x.Stride, m, out[b*k:], k, scratch)
				bad[ci] = bad[ci] || !dense.AllFinite(out[b*k:(b+m)*k])
			}
			return nil
		})
		return transformChecked(x, bad, err)
	}
	err := parallel.Run(chunks, threads, func(ci, lo, hi int) error {
		var lab [blockRows]int32
		var dist [blockRows]float64
		for b := lo; b < hi; b += blockRows {
			m := min(blockRows, hi-b)
			for j := 0; j < k; j++ {
				for i := range lab[:m] {
					lab[i] = int32(j)
				}
				o.sqDistRows(x.Data[b*x.Stride:], x.Stride, m, d, c, lab[:m], dist[:m])
				bad[ci] = bad[ci] || !dense.AllFinite(dist[:m])
				for i, v := range dist[:m] {
					out[(b+i)*k+j] = T(math.Sqrt(v))
				}
			}
		}
		return nil
	})
	return transformChecked(x, bad, err)
}

// transformChecked is Transform's end: the pass's error, or where a chunk met a NaN or infinite
// distance the first NaN or ±Inf of x, named (nil: finite X whose distances overflow).
func transformChecked[T dense.Float](x dense.Matrix[T], bad []bool, err error) error {
	if err != nil {
		return err
	}
	if slices.Contains(bad, true) {
		return dense.CheckFinite(x, "X")
	}
	return nil
}

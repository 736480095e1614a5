package cluster

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
	"github.com/fastmva/fastmva/internal/parallel"
)

// Preprocessing names a built-in scaling of the cluster source (HyperSpy's preprocessing=),
// each with the semantics of the scikit-learn class HyperSpy instantiates for it.
type Preprocessing int

const (
	PreprocessNone     Preprocessing = iota // the data as they are
	PreprocessStandard                      // StandardScaler: (x − mean) / population std per feature
	PreprocessMinMax                        // MinMaxScaler: each feature onto [0, 1]
	PreprocessNorm                          // Normalizer(norm="l2"): each row to unit length
)

func (p Preprocessing) valid() bool { return p >= PreprocessNone && p <= PreprocessNorm }

// eps returns the machine epsilon of T; scikit-learn's near-zero tests are written in it.
func eps[T dense.Float]() float64 {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return 0x1p-23
	}
	return 0x1p-52
}

// Preprocess scales m in place (m must be the library's own buffer). The results equal
// scikit-learn's fit_transform up to the last bit or two of T: the statistics are taken in
// float64, as scikit-learn does, and the element-wise operations round where its do.
func Preprocess[T dense.Float](m dense.Matrix[T], kind Preprocessing, threads int) error {
	switch kind {
	case PreprocessNone:
		return nil
	case PreprocessStandard:
		return standardScale(m, threads)
	case PreprocessMinMax:
		return minMaxScale(m, threads)
	case PreprocessNorm:
		return normalizeRows(m, threads)
	}
	return fault.Invalid("preprocessing=%d is not one of none, standard, minmax, norm", kind)
}

// standardScale: StandardScaler's mean_ and var_ are float64 (two passes), a feature whose
// variance is within the rounding error bound of the two-pass algorithm
// (var ≤ n·ε·var + (n·mean·ε)², ε of float64) is treated as constant and keeps scale 1, and
// transform does X -= mean_ then X /= scale_, each rounded to T.
func standardScale[T dense.Float](m dense.Matrix[T], threads int) error {
	n := float64(m.Rows)
	sum, err := columnReduce(m, threads, 1, nil, func(acc []float64, row []T, lo, hi int) {
		for j := lo; j < hi; j++ {
			acc[j] += float64(row[j])
		}
	}, addInto)
	if err != nil {
		return err
	}
	mean := make([]float64, m.Cols)
	for j, s := range sum {
		mean[j] = s / n
	}
	// Σ(x−mean) and Σ(x−mean)² together: the first corrects the second for the rounding
	// of mean (the "corrected two-pass" formula scikit-learn's _incremental_mean_and_var uses).
	d := m.Cols
	moments, err := columnReduce(m, threads, 2, nil, func(acc []float64, row []T, lo, hi int) {
		for j := lo; j < hi; j++ {
			t := float64(row[j]) - mean[j]
			acc[j] += t
			acc[d+j] += t * t
		}
	}, addInto)
	if err != nil {
		return err
	}
	const e = 0x1p-52
	scale := make([]float64, d)
	for j := range scale {
		c := moments[j]
		v := (moments[d+j] - c*c/n) / n
		if v <= n*e*v+(n*mean[j]*e)*(n*mean[j]*e) {
			scale[j] = 1
		} else {
			scale[j] = math.Sqrt(v)
		}
	}
	return rowsInPlace(m, threads, func(row []T) {
		for j, v := range row {
			t := T(float64(v) - mean[j])
			row[j] = T(float64(t) / scale[j])
		}
	})
}

// minMaxScale: MinMaxScaler with feature_range (0, 1). Its data_range_ is max − min in T, a
// range below 10·ε(T) counts as zero and becomes 1 (so a constant feature maps to 0), scale_ is
// 1/range and min_ is −data_min·scale_, both in T, and transform does X *= scale_; X += min_.
func minMaxScale[T dense.Float](m dense.Matrix[T], threads int) error {
	d := m.Cols
	ext, err := columnReduce(m, threads, 2, initMinMax, minMaxOf[T], combineMinMax)
	if err != nil {
		return err
	}
	scale := make([]T, d)
	shift := make([]T, d)
	for j := 0; j < d; j++ {
		lo, hi := T(ext[j]), T(ext[d+j])
		r := hi - lo
		if float64(r) < 10*eps[T]() {
			r = 1
		}
		scale[j] = 1 / r
		shift[j] = -(lo * scale[j])
	}
	return rowsInPlace(m, threads, func(row []T) {
		for j, v := range row {
			t := T(v * scale[j])
			row[j] = t + shift[j]
		}
	})
}

// normalizeRows: Normalizer(norm="l2"). A row norm below 10·ε(T) is replaced by 1, so zero
// rows stay zero (and rows that small are left as they are), and X /= norms in T.
func normalizeRows[T dense.Float](m dense.Matrix[T], threads int) error {
	return rowsInPlace(m, threads, func(row []T) {
		var s float64
		for _, v := range row {
			s += float64(v) * float64(v)
		}
		norm := T(math.Sqrt(s))
		if float64(norm) < 10*eps[T]() {
			return
		}
		for j, v := range row {
			row[j] = v / norm
		}
	})
}

// rowsInPlace applies f to every row of m, in parallel over row chunks.
func rowsInPlace[T dense.Float](m dense.Matrix[T], threads int, f func(row []T)) error {
	return parallel.Run(rowChunks(m.Rows), threads, func(_, lo, hi int) error {
		for i := lo; i < hi; i++ {
			f(m.Row(i))
		}
		return nil
	})
}

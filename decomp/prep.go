package decomp

import (
	"math"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/internal/fault"
)

// Centre selects the mean removed before the decomposition, in HyperSpy's words: X is
// navigation (rows, pixels) × signal (columns, channels).
type Centre int

const (
	CentreNone       Centre = iota
	CentreSignal            // subtract each row's mean (the mean over the signal axis)
	CentreNavigation        // subtract each column's mean (the mean over the navigation axis)
)

// prepared is the matrix the SVD runs on: the rows and columns the masks keep, Poisson-scaled
// and centred. When nothing changes the caller's data it is a view of it, else a copy in T
// (the size of the kept data: the memory a centring needs anyway).
type prepared[T dense.Float] struct {
	x          dense.Matrix[T]
	rows, cols []int     // kept rows/columns of the input, nil = all
	rootA      []float64 // Poisson: √aG per kept row (nil without Poisson)
	rootB      []float64 // Poisson: √bH per kept column
	mean       []float64 // per kept row (CentreSignal) or per kept column (CentreNavigation)
}

func kept(mask []bool, n int) []int {
	if mask == nil {
		return nil
	}
	idx := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if !mask[i] {
			idx = append(idx, i)
		}
	}
	return idx
}

func at(idx []int, i int) int {
	if idx == nil {
		return i
	}
	return idx[i]
}

func count(idx []int, n int) int {
	if idx == nil {
		return n
	}
	return len(idx)
}

// needsCopy reports whether prepare works on a copy of X (else the SVD runs on X itself).
func needsCopy(navMask, sigMask []bool, poisson bool, centre Centre) bool {
	return poisson || centre != CentreNone || navMask != nil || sigMask != nil
}

// prepare applies masks (true = excluded, HyperSpy's convention), Keenan–Kotula scaling and
// centring. Poisson: D[i,j] / (√aG[i]·√bH[j]) with aG the row sums and bH the column sums over
// the kept data; a zero sum is taken as 1 (HyperSpy 2.5's rule: an empty pixel or a dead
// channel stays zero instead of becoming NaN). Negative data is refused under Poisson.
func prepare[T dense.Float](x dense.Matrix[T], navMask, sigMask []bool, poisson bool, centre Centre) (prepared[T], error) {
	var pr prepared[T]
	pr.rows, pr.cols = kept(navMask, x.Rows), kept(sigMask, x.Cols)
	n, m := count(pr.rows, x.Rows), count(pr.cols, x.Cols)
	if n == 0 || m == 0 {
		return pr, fault.Invalid("the masks exclude all the data (%d rows and %d columns kept)", n, m)
	}
	if !needsCopy(navMask, sigMask, poisson, centre) {
		pr.x = x
		return pr, nil
	}
	w := dense.Matrix[T]{Data: make([]T, n*m), Rows: n, Cols: m, Stride: m}
	for i := 0; i < n; i++ {
		src, dst := x.Row(at(pr.rows, i)), w.Row(i)
		if pr.cols == nil {
			copy(dst, src)
			continue
		}
		for j, c := range pr.cols {
			dst[j] = src[c]
		}
	}
	if poisson {
		pr.rootA, pr.rootB = make([]float64, n), make([]float64, m)
		for i := 0; i < n; i++ {
			for j, v := range w.Row(i) {
				if v < 0 {
					return pr, fault.Invalid("Poisson normalisation: negative value %v at row %d, column %d (Poisson counts are ≥ 0)", v, at(pr.rows, i), at(pr.cols, j))
				}
				pr.rootA[i] += float64(v)
				pr.rootB[j] += float64(v)
			}
		}
		for _, r := range [][]float64{pr.rootA, pr.rootB} {
			for i, v := range r {
				if v == 0 {
					v = 1
				}
				r[i] = math.Sqrt(v)
			}
		}
		for i := 0; i < n; i++ {
			row := w.Row(i)
			for j, v := range row {
				row[j] = T(float64(v) / (pr.rootA[i] * pr.rootB[j]))
			}
		}
	}
	switch centre {
	case CentreSignal:
		pr.mean = make([]float64, n)
		for i := 0; i < n; i++ {
			row, sum := w.Row(i), 0.0
			for _, v := range row {
				sum += float64(v)
			}
			pr.mean[i] = sum / float64(m)
			for j := range row {
				row[j] = T(float64(row[j]) - pr.mean[i])
			}
		}
	case CentreNavigation:
		pr.mean = make([]float64, m)
		for i := 0; i < n; i++ {
			for j, v := range w.Row(i) {
				pr.mean[j] += float64(v)
			}
		}
		for j := range pr.mean {
			pr.mean[j] /= float64(n)
		}
		for i := 0; i < n; i++ {
			row := w.Row(i)
			for j := range row {
				row[j] = T(float64(row[j]) - pr.mean[j])
			}
		}
	}
	pr.x = w
	return pr, nil
}

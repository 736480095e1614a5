// Package dense describes row-major matrices that live in someone else's memory (a NumPy array,
// a C buffer) and the checks every algorithm makes on them before it starts.
package dense

import (
	"fmt"
	"math"

	"github.com/fastmva/fastmva/internal/fault"
)

// Float is the element type of a matrix.
type Float interface{ float32 | float64 }

// Matrix is a Rows×Cols row-major view: element (i, j) is Data[i*Stride+j].
type Matrix[T Float] struct {
	Data       []T
	Rows, Cols int
	Stride     int
}

// Row returns row i as a slice of length Cols.
func (m Matrix[T]) Row(i int) []T { return m.Data[i*m.Stride : i*m.Stride+m.Cols] }

// Validate checks the shape against the backing slice; name is used in the message.
func (m Matrix[T]) Validate(name string) error {
	switch {
	case m.Rows < 0 || m.Cols < 0:
		return fault.Invalid("%s has a negative shape (%d, %d)", name, m.Rows, m.Cols)
	case m.Rows == 0:
		return fault.Invalid("%s is empty: it has 0 rows (samples)", name)
	case m.Cols == 0:
		return fault.Invalid("%s has 0 columns (features)", name)
	case m.Stride < m.Cols:
		return fault.Invalid("%s: row stride %d is smaller than its %d columns", name, m.Stride, m.Cols)
	case len(m.Data) < (m.Rows-1)*m.Stride+m.Cols:
		return fault.Invalid("%s: buffer of %d elements is too short for %d×%d with stride %d",
			name, len(m.Data), m.Rows, m.Cols, m.Stride)
	}
	return nil
}

// CheckFinite returns an error naming the first NaN or ±Inf element of m, in row order.
func CheckFinite[T Float](m Matrix[T], name string) error {
	return CheckFiniteRows(m, name, 0, m.Rows)
}

// CheckFiniteRows is CheckFinite on rows [lo, hi) of m; the message names the row as m numbers it.
func CheckFiniteRows[T Float](m Matrix[T], name string, lo, hi int) error {
	if hi > lo && m.Stride == m.Cols && AllFinite(m.Data[lo*m.Cols:hi*m.Cols]) {
		return nil // contiguous and clean: one pass without per-row overhead
	}
	for i := lo; i < hi; i++ {
		row := m.Row(i)
		if AllFinite(row) {
			continue
		}
		for j, v := range row {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return fault.Invalid("%s contains %v at row %d, column %d: NaN and infinity are not allowed", name, f, i, j)
			}
		}
	}
	return nil
}

// AllFinite reports whether s holds no NaN and no ±Inf. v−v is 0 for every finite v and NaN
// for NaN and ±Inf: one subtraction per element, summed into four independent accumulators (a
// single one made the loop wait on the latency of each add), and a single branch at the end.
func AllFinite[T Float](s []T) bool {
	var a0, a1, a2, a3 T
	i := 0
	for ; i+4 <= len(s); i += 4 {
		q := s[i : i+4 : i+4]
		a0 += q[0] - q[0]
		a1 += q[1] - q[1]
		a2 += q[2] - q[2]
		a3 += q[3] - q[3]
	}
	for _, v := range s[i:] {
		a0 += v - v
	}
	return a0+a1+a2+a3 == 0
}

// CheckFiniteVec is CheckFinite for a vector.
func CheckFiniteVec[T Float](v []T, name string) error {
	for i, x := range v {
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return fault.Invalid("%s contains %v at index %d: NaN and infinity are not allowed", name, f, i)
		}
	}
	return nil
}

// Describe formats a shape for messages.
func Describe(rows, cols int) string { return fmt.Sprintf("(%d, %d)", rows, cols) }

package dense

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// CheckFinite names the first NaN or ±Inf in row order, wherever it sits (every position of
// contiguous and strided matrices whose sizes leave tails after the four-way sums), for float64
// and float32, and ignores what lies in the gaps between strided rows.
func TestCheckFiniteFindsTheFirstBadElement(t *testing.T) {
	for _, shape := range []struct{ rows, cols, stride int }{{1, 1, 1}, {3, 5, 5}, {4, 7, 9}, {2, 13, 13}} {
		size := (shape.rows-1)*shape.stride + shape.cols
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for pos := 0; pos < size; pos++ {
				data := make([]float64, size)
				for i := range data {
					data[i] = 1e30 // large, and finite in float32 too
				}
				data[pos] = bad
				m := Matrix[float64]{Data: data, Rows: shape.rows, Cols: shape.cols, Stride: shape.stride}
				err := CheckFinite(m, "X")
				r, c := pos/shape.stride, pos%shape.stride
				if c >= shape.cols {
					if err != nil {
						t.Fatalf("%v: a value in the gap at %d was checked: %v", shape, pos, err)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), "row "+strconv.Itoa(r)+", column "+strconv.Itoa(c)) {
					t.Fatalf("%v: bad value at row %d column %d: got %v", shape, r, c, err)
				}
				f32 := make([]float32, size)
				for i, v := range data {
					f32[i] = float32(v)
				}
				err = CheckFinite(Matrix[float32]{Data: f32, Rows: shape.rows, Cols: shape.cols, Stride: shape.stride}, "X")
				if err == nil || !strings.Contains(err.Error(), "row "+strconv.Itoa(r)+", column "+strconv.Itoa(c)) {
					t.Fatalf("%v: float32 bad value at row %d column %d: got %v", shape, r, c, err)
				}
			}
		}
	}
}

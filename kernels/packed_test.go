package kernels

import (
	"math/rand/v2"
	"testing"
)

// The packed kernels do the same arithmetic as the plain ones, only reading the tile back from
// the scratch after the first group of centers: every output must be the same bits. The scratch
// is guarded (exactly PackLen(d) long), so a write past it is caught.
func testPacked[T Float](t *testing.T, lloyd, lloydPacked func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T),
	values, valuesPacked func(x []T, ldx, n, d int, c []T, k int, cnorm, out, pack []T),
	nearest func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T),
	nearestPacked func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, pack []T)) {
	rng := rand.New(rand.NewPCG(5, 8))
	for _, d := range []int{1, 3, 17, 64, 130} {
		for _, k := range []int{8, 9, 16, 17, 40, 70} {
			for _, n := range []int{1, 15, 33, 100} {
				ldx := d + n%2
				_, x := matrix[T](rng, n, d, ldx, false)
				_, c := matrix[T](rng, k, d, d, false)
				cnorm := make([]T, k)
				sqNormsGeneric(c, d, k, d, cnorm)
				gp, pack := newGuarded(PackLen(d), nan[T]())
				l1, l2 := make([]int32, n), make([]int32, n)
				s1, s2 := make([]float64, k*d), make([]float64, k*d)
				w1, w2 := make([]float64, k), make([]float64, k)
				lloyd(x, ldx, n, d, c, k, cnorm, nil, l1, s1, w1, nil)
				lloydPacked(x, ldx, n, d, c, k, cnorm, nil, l2, s2, w2, pack)
				v1, v2 := make([]T, n*k), make([]T, n*k)
				values(x, ldx, n, d, c, k, cnorm, v1, nil)
				valuesPacked(x, ldx, n, d, c, k, cnorm, v2, pack)
				l3, l4, p3, p4 := make([]int32, n), make([]int32, n), make([]T, n), make([]T, n)
				nearest(x, ldx, n, d, c, k, cnorm, l3, p3)
				nearestPacked(x, ldx, n, d, c, k, cnorm, l4, p4, pack)
				for i := range l3 {
					if l3[i] != l4[i] || !same(p3[i], p4[i]) {
						t.Fatalf("d=%d k=%d n=%d row %d: nearest %d %v packed, %d %v plain", d, k, n, i, l4[i], p4[i], l3[i], p3[i])
					}
				}
				for i := range l1 {
					if l1[i] != l2[i] {
						t.Fatalf("d=%d k=%d n=%d row %d: label %d packed, %d plain", d, k, n, i, l2[i], l1[i])
					}
				}
				for i := range s1 {
					if !same(s1[i], s2[i]) {
						t.Fatalf("d=%d k=%d n=%d: sums differ at %d", d, k, n, i)
					}
				}
				for i := range v1 {
					if !same(v1[i], v2[i]) {
						t.Fatalf("d=%d k=%d n=%d: value %d is %v packed, %v plain", d, k, n, i, v2[i], v1[i])
					}
				}
				gp.check(t, "pack")
			}
		}
	}
}

func TestPackedF64(t *testing.T) {
	testPacked(t, lloydF64, lloydF64, valuesF64, valuesF64, NearestF64, NearestPackedF64)
}
func TestPackedF32(t *testing.T) {
	testPacked(t, lloydF32, lloydF32, valuesF32, valuesF32, NearestF32, NearestPackedF32)
}

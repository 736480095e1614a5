package cluster

import (
	"slices"
	"testing"
)

// labelsEqual must agree with slices.Equal: equal slices of every length up to past a vector,
// a single difference at every position (first byte, last byte of an element), other lengths.
func TestLabelsEqual(t *testing.T) {
	for n := 0; n <= 70; n++ {
		a := make([]int32, n)
		for i := range a {
			a[i] = int32(i*7 - 20)
		}
		b := slices.Clone(a)
		if !labelsEqual(a, b) {
			t.Fatalf("n=%d: equal labels reported different", n)
		}
		for i := range b {
			for _, delta := range []int32{1, 1 << 24} {
				b[i] += delta
				if labelsEqual(a, b) {
					t.Fatalf("n=%d: a difference of %d at %d missed", n, delta, i)
				}
				b[i] -= delta
			}
		}
		if n > 0 && labelsEqual(a, b[:n-1]) {
			t.Fatalf("n=%d: a shorter slice reported equal", n)
		}
	}
}

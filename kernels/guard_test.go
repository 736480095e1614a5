package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// guardLen elements on each side of every slice handed to a kernel hold a sentinel. A read out of
// bounds pulls a NaN into a result (and fails the comparison); a write out of bounds changes a
// sentinel (and fails checkGuards). It exceeds a tile's rows × the largest test stride, so
// even a whole stray row read lands in the guard.
const guardLen = 1024

type guarded[T any] struct {
	buf      []T
	sentinel T
}

// newGuarded returns n elements surrounded by sentinels; the slice's capacity ends at n.
func newGuarded[T any](n int, sentinel T) (*guarded[T], []T) {
	g := &guarded[T]{buf: make([]T, n+2*guardLen), sentinel: sentinel}
	for i := range g.buf {
		g.buf[i] = sentinel
	}
	return g, g.buf[guardLen : guardLen+n : guardLen+n]
}

func (g *guarded[T]) check(t testing.TB, name string) {
	t.Helper()
	n := len(g.buf) - 2*guardLen
	for i := 0; i < guardLen; i++ {
		if !same(g.buf[i], g.sentinel) || !same(g.buf[guardLen+n+i], g.sentinel) {
			t.Fatalf("%s: a guard value next to the slice was overwritten", name)
		}
	}
}

// same compares bit patterns, so NaN sentinels compare equal to themselves.
func same[T any](a, b T) bool {
	switch a := any(a).(type) {
	case float64:
		return math.Float64bits(a) == math.Float64bits(any(b).(float64))
	case float32:
		return math.Float32bits(a) == math.Float32bits(any(b).(float32))
	case int32:
		return a == any(b).(int32)
	}
	panic("same: unsupported type")
}

func nan[T Float]() T { return T(math.NaN()) }

// matrix returns an n×d matrix with row stride ldx in a guarded slice; the gap between d and ldx
// is NaN too, so reading it is caught like reading past the end. integer data (small integers)
// makes every dot product exact in both precisions, so results must match bit for bit.
func matrix[T Float](rng *rand.Rand, n, d, ldx int, integer bool) (*guarded[T], []T) {
	size := 0
	if n > 0 {
		size = (n-1)*ldx + d
	}
	g, x := newGuarded(size, nan[T]())
	fillRows(rng, x, n, d, ldx, integer)
	return g, x
}

// fillRows fills the n rows of d values at stride ldx in x: small integers if integer (every
// sum exact), else normal deviates.
func fillRows[T Float](rng *rand.Rand, x []T, n, d, ldx int, integer bool) {
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			if integer {
				x[i*ldx+j] = T(rng.IntN(9) - 4)
			} else {
				x[i*ldx+j] = T(rng.NormFloat64())
			}
		}
	}
}

// unitRoundoff is u: the relative error of one rounding in T.
func unitRoundoff[T Float]() float64 {
	var z T
	if _, ok := any(z).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// gamma is Higham's γ(n) = n·u/(1 − n·u): the relative bound of a length-n sum of products in
// any order, with or without fused multiply-adds.
func gamma[T Float](n int) float64 {
	nu := float64(n) * unitRoundoff[T]()
	return nu / (1 - nu)
}

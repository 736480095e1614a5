package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// NearestProductsMarginF32 must give the reference loop's labels and count bit for bit on every
// backend, and the reference must mean what the doc says: a row keeps NearestProductsF32's label
// exactly when every other value lies more than the margin above the least, and is −1 otherwise.
// The margins are drawn around the gaps the row actually has (some exactly equal to a gap, which
// must make it unsure), with ties, NaN and ±Inf values and NaN or +Inf margins among them; every
// slice is guarded (a value read past the products or norms would be −Inf and win).
func TestNearestProductsMargin(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	ks := []int{1, 2, 15, 16, 17, 31, 32, 33, 40, 47, 48, 49, 56, 63, 64, 65, 80, 128}
	for _, k := range ks {
		for _, n := range []int{1, 2, 7, 33} {
			for _, draw := range []productsDraw{drawSpread, drawTies, drawSpecials} {
				t.Run(fmt.Sprintf("k=%d/n=%d/draw=%d", k, n, draw), func(t *testing.T) {
					marginCase(t, rng, n, k, k+rng.IntN(3), draw)
				})
			}
		}
	}
}

func marginCase(t *testing.T, rng *rand.Rand, n, k, ld int, how productsDraw) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	gp, prod := newGuarded[float32]((n-1)*ld+k, inf)
	gc, cnorm := newGuarded[float32](k, -inf)
	gm, margin := newGuarded[float32](n, nan)
	gl, labels := newGuarded[int32](n, -7)
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, 1, 2}
	draw := func() float32 {
		switch how {
		case drawTies:
			return float32(rng.IntN(6))
		case drawSpecials:
			if rng.IntN(9) == 0 {
				return float32(specials[rng.IntN(len(specials))])
			}
		}
		return float32(rng.NormFloat64() * 10)
	}
	for j := range cnorm {
		cnorm[j] = float32(math.Abs(float64(draw())))
	}
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			prod[i*ld+j] = draw()
		}
		for j := k; j < ld && i+1 < n; j++ {
			prod[i*ld+j] = -inf // the gap between rows is never read: it would win
		}
	}
	// Each row's margin: about its own smallest gap (below, equal or above it), or special.
	values := func(i int) []float32 {
		v := make([]float32, k)
		for j := range v {
			v[j] = float32(cnorm[j] - 2*prod[i*ld+j])
		}
		return v
	}
	for i := range margin {
		v := values(i)
		best, arg := referenceArgmin(v)
		gap := inf
		for j, vj := range v {
			if d := float32(vj - best); j != int(arg) && d < gap {
				gap = d
			}
		}
		switch rng.IntN(6) {
		case 0:
			margin[i] = gap
		case 1:
			margin[i] = gap / 2
		case 2:
			margin[i] = gap * 2
		case 3:
			margin[i] = []float32{nan, inf, 0}[rng.IntN(3)]
		default:
			margin[i] = float32(rng.Float64()) * 5
		}
	}
	want := make([]int32, n)
	wantUnsure := nearestProductsMargin(prod, ld, n, k, cnorm, margin, want)
	unsure := NearestProductsMarginF32(prod, ld, n, k, cnorm, margin, labels)
	if unsure != wantUnsure {
		t.Fatalf("%d rows unsure, the reference %d", unsure, wantUnsure)
	}
	counted := 0
	for i := range labels {
		if labels[i] != want[i] {
			t.Fatalf("row %d: label %d, the reference %d", i, labels[i], want[i])
		}
		// What the label must be, from the doc.
		v := values(i)
		best, arg := referenceArgmin(v)
		sure := true
		for j, vj := range v {
			if j != int(arg) && !(float32(vj-best) > margin[i]) {
				sure = false
			}
		}
		if sure && labels[i] != arg || !sure && labels[i] != -1 {
			t.Fatalf("row %d (margin %v, values %v): label %d, want %d (sure %v)", i, margin[i], v, labels[i], arg, sure)
		}
		if !sure {
			counted++
		}
	}
	if counted != unsure {
		t.Fatalf("%d rows are unsure, the count says %d", counted, unsure)
	}
	gp.check(t, "prod")
	gc.check(t, "cnorm")
	gm.check(t, "margin")
	gl.check(t, "labels")
}

// referenceArgmin is the least value from v_0 by strict <, and its index.
func referenceArgmin(v []float32) (float32, int32) {
	best, arg := v[0], int32(0)
	for j := 1; j < len(v); j++ {
		if v[j] < best {
			best, arg = v[j], int32(j)
		}
	}
	return best, arg
}

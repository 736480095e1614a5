package cluster

// A fit's first passes move every center far: the bounds then prove almost nothing, nearly every
// row needs all k values, and a bound-based pass (which also sets every row's bounds from its
// k values) costs about twice Lloyd's own pass (measured at 65536 × 256 × 64: ≈ 44 ms against
// ≈ 23 ms on one thread). So a triangle fit starts with Lloyd's passes and turns to its bounds
// once a pass changes few labels (the centers have nearly settled): the first bound-based pass
// then computes every row's values and bounds afresh, as at the start of a fit. Lloyd's passes
// give Lloyd's labels and sums by definition, so the result is unchanged, bit for bit; the
// switch only moves time.

// A Lloyd pass that changes at most one label in warmChangedDiv ends the warm-up. Measured at
// 65536 × 256 × 64 float32 (one thread, load 8, medians of 7): Hamerly's whole fit took
// 0.64–0.80 of Lloyd's with 8, 16 or 32 here (the differences within the noise), 0.89 without
// the warm-up.
const warmChangedDiv = 16

// triangleWarmUp turns the warm-up on; tests turn it off to run the bounds from the first pass.
var triangleWarmUp = true

// warmPass runs Lloyd's own pass in place of a bound-based one and reports it did; it returns
// false (doing nothing) once the warm-up is over.
func (t *triangle[T]) warmPass(centers []T) (bool, error) {
	if !t.warm {
		return false, nil
	}
	l := t.l
	t.warmMinima = false
	if err := l.assign(centers); err != nil {
		return true, err
	}
	t.warmMinima = l.leftMinima
	changed := 0
	for i, a := range l.labels {
		if a != l.oldLabels[i] { // the labels before the pass
			changed++
		}
	}
	if changed*warmChangedDiv <= len(l.labels) {
		t.warm = false
		t.started = false // the next pass sets every row's bounds
		clear(t.summed)
	}
	return true, nil
}

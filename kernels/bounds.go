package kernels

// LoosenBounds loosens the distance bounds of n ≤ 64 rows by how far the centers moved and
// reports, as bits (bit p for row p), the rows whose bounds still prove their label: for each
// row p with label a = labels[p],
//
//	upper[p] = (upper[p] + own[a])·(1 + 2⁻⁴⁰)           its center moved own[a] at most
//	lower[p] = max(0, (lower[p] − other[a])·(1 − 2⁻⁴⁰))  any other center moved other[a] at most
//	lb       = max(lower[p], twoHalf[a] − upper[p])
//	settled  = lb > upper[p] and (lb − upper[p])·(lb + upper[p]) > 2·(slack·s)·s,  s = xn[p] + cmax
//
// (the last test is lb² − upper² > 2δ, the slack δ covering the rounding of the squared
// distances the bounds stand for). The rounding factors keep the bounds conservative. Labels
// must index own, other and twoHalf (the assembly trusts them). Bit for bit the same on every
// backend for finite values.
func LoosenBounds(labels []int32, upper, lower, xn, own, other, twoHalf []float64, cmax, slack float64) uint64 {
	n := len(labels)
	if n == 0 {
		return 0
	}
	if n > 64 {
		panic("kernels: LoosenBounds takes at most 64 rows")
	}
	upper, lower, xn = upper[:n], lower[:n], xn[:n]
	if settled, ok := loosenBoundsSIMD(labels, upper, lower, xn, own, other, twoHalf, cmax, slack); ok {
		return settled
	}
	return loosenBoundsGeneric(labels, upper, lower, xn, own, other, twoHalf, cmax, slack)
}

// BoundRoundUp and BoundRoundDown widen a distance bound by more than the relative rounding of
// the float64 operations that produce it: the factors LoosenBounds applies, and those the
// bound-based k-means passes apply to the bounds they form themselves.
const (
	BoundRoundUp   = 1 + 0x1p-40
	BoundRoundDown = 1 - 0x1p-40
)

// loosenBoundsGeneric is the reference loop of LoosenBounds.
func loosenBoundsGeneric(labels []int32, upper, lower, xn, own, other, twoHalf []float64, cmax, slack float64) uint64 {
	var settled uint64
	for p, lab := range labels {
		a := int(lab)
		up := (upper[p] + own[a]) * BoundRoundUp
		low := max(0, (lower[p]-other[a])*BoundRoundDown)
		upper[p], lower[p] = up, low
		lb := max(low, twoHalf[a]-up)
		s := xn[p] + cmax
		if lb > up && (lb-up)*(lb+up) > 2*(slack*s*s) {
			settled |= 1 << p
		}
	}
	return settled
}

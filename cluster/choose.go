package cluster

import "math"

// elbowPosition is HyperSpy's estimate_elbow_position(curve, log=False): the index, among the
// first m = min(20, len−1) points, farthest from the straight line through points 0 and m
// (the "kneedle" idea). With clip, values are first raised to at least 1e-30 as HyperSpy does —
// written for variance ratios, it also flattens every negative ln W to 1e-30, which changes
// the answer when W < 1 (normalised data); without clip the curve is used as it is.
func elbowPosition(curve []float64, clip bool) int {
	m := min(20, len(curve)-1)
	if m < 1 {
		return 0
	}
	y := func(i int) float64 {
		if clip {
			return max(curve[i], 1e-30)
		}
		return curve[i]
	}
	x2, y1, y2 := float64(m), y(0), y(m)
	denom := math.Sqrt(x2*x2 + (y2-y1)*(y2-y1))
	best, bestDist := 0, math.Inf(-1)
	for i := 0; i < m; i++ {
		dist := math.Abs(x2*(y1-y(i))+float64(i)*(y2-y1)) / denom
		if math.IsNaN(dist) {
			dist = 0 // numpy.nan_to_num
		}
		if dist > bestDist {
			best, bestDist = i, dist
		}
	}
	return best
}

// silhouetteChoice picks k from the silhouette scores s[u] of k = u + 2.
//
// HyperSpy's rule (hyperspy = true) returns every u < len−1 with s[u] > s[u−1] and
// s[u] > s[u+1] — where for u = 0, s[−1] is Python's last element — and puts k = 2 first when
// s[0] beats them all; its answer is the first of that list. Without the HyperSpy quirks, the
// candidates are the interior local maxima plus k = 2 when s[0] > s[1], and the answer is the
// k with the highest score.
func silhouetteChoice(s []float64, hyperspy bool) (best int, candidates []int) {
	n := len(s)
	if hyperspy {
		maxValue := -1.0
		for u := 0; u < n-1; u++ {
			prev := s[(u-1+n)%n]
			if s[u] > prev && s[u] > s[u+1] {
				candidates = append(candidates, u+2)
				maxValue = max(maxValue, s[u])
			}
		}
		if s[0] > maxValue {
			candidates = append([]int{2}, candidates...)
		}
		if len(candidates) == 0 {
			return 2, nil
		}
		return candidates[0], candidates
	}
	top := 0
	for u := range s {
		peak := (u == 0 || s[u] > s[u-1]) && (u == n-1 || s[u] > s[u+1])
		if peak && u < n-1 {
			candidates = append(candidates, u+2)
		}
		if s[u] > s[top] {
			top = u
		}
	}
	return top + 2, candidates
}

package cluster

import (
	"slices"
)

// farthestRows returns the indices of the m largest values of dist, largest first, the lower
// index first among equal values: the first m of a stable sort by decreasing distance.
//
// Empty clusters are few (m is small next to n), so a single pass keeping the m best in order
// costs O(n·m) comparisons, mostly one each, instead of sorting all n rows; many empty
// clusters fall back to the sort.
func farthestRows(dist []float64, m int) []int {
	if m <= 0 {
		return nil
	}
	if m > farthestScanMax || m >= len(dist) {
		return stableDescending(dist)[:min(m, len(dist))]
	}
	top := make([]int, 0, m)
	for i, v := range dist {
		if len(top) == m && !(v > dist[top[m-1]]) {
			continue // not strictly farther than the m-th: an earlier row keeps its place
		}
		// Insert after every kept row at least as far (they have lower indices).
		p := len(top)
		for p > 0 && dist[top[p-1]] < v {
			p--
		}
		if len(top) < m {
			top = append(top, 0)
		}
		copy(top[p+1:], top[p:len(top)-1])
		top[p] = i
	}
	return top
}

// farthestScanMax is the most empty clusters relocated by the linear scan.
const farthestScanMax = 32

// stableDescending returns all indices sorted by decreasing dist, lower index first on ties.
func stableDescending(dist []float64) []int {
	order := make([]int, len(dist))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case dist[a] > dist[b]:
			return -1
		case dist[a] < dist[b]:
			return 1
		}
		return 0
	})
	return order
}

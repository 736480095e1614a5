package cluster

import (
	"math"
	"testing"

	"github.com/fastmva/fastmva/internal/dense"
	"github.com/stretchr/testify/require"
)

// Hamerly's bounds stay bounds through a fit: after every pass each row's upper bound is at
// least its distance to its center and its lower bound at most its distance to every other
// center, the distances worked out in float64 here. Those passes loosen the bounds by the
// centers' moves, tighten the failing rows' upper bounds from one distance, and recompute the
// rest in full.
func TestHamerlyBoundsHoldEveryPass(t *testing.T) {
	x, _ := blobs(4000/raceShrink+200, 12, 10, 41)
	checkHamerlyBounds(t, x)
	checkHamerlyBounds(t, toF32(x))
}

func checkHamerlyBounds[T dense.Float](t *testing.T, x dense.Matrix[T]) {
	const k = 10
	l := newLloyd(x, nil, k, 2)
	tri, err := newTriangle(l, AlgoHamerly, nil)
	require.NoError(t, err)
	l.tri = tri
	withoutWarmUp(tri.restart)
	centers, next := rowsAsInit(x, k, 5), make([]T, k*x.Cols)
	for pass := 0; pass < 12; pass++ {
		require.NoError(t, tri.assign(centers))
		for i := 0; i < x.Rows; i++ {
			a := int(l.labels[i])
			for j := 0; j < k; j++ {
				dist := exactDist(x.Row(i), centers[j*x.Cols:(j+1)*x.Cols])
				if j == a {
					require.GreaterOrEqual(t, tri.upper[i], dist*(1-1e-12), "pass %d row %d: upper bound", pass, i)
				} else {
					require.LessOrEqual(t, tri.lower[i], dist*(1+1e-12), "pass %d row %d: lower bound to center %d", pass, i, j)
				}
			}
		}
		l.updateCenters(centers, next)
		centers, next = next, centers
	}
}

func exactDist[T dense.Float](a, b []T) float64 {
	var s float64
	for f := range a {
		d := float64(a[f]) - float64(b[f])
		s += d * d
	}
	return math.Sqrt(s)
}

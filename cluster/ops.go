package cluster

import (
	"github.com/fastmva/fastmva/internal/dense"
	"github.com/fastmva/fastmva/kernels"
)

// ops binds the kernels of one element type, so the algorithms are written once for both.
type ops[T dense.Float] struct {
	sqNorms    func(x []T, ldx, n, d int, out []T)
	nearest    func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part []T)
	accumulate func(x []T, ldx, n, d int, labels []int32, w []T, sums, wsum []float64)
	sqDist     func(a, b []T) float64
	dot        func(a, b []T) T
	values     func(x []T, ldx, n, d int, c []T, k int, cnorm, out, pack []T)
	// lloyd is nearest and accumulate fused: each row is read once per iteration.
	// pack is scratch of kernels.PackLen(d) elements (or nil) for the packed tile.
	lloyd func(x []T, ldx, n, d int, c []T, k int, cnorm, w []T, labels []int32, sums, wsum []float64, pack []T)
	// nearestPacked is nearest (the same bits) with scratch of kernels.PackLen(d) elements (or
	// nil): the streaming pass for k ≤ 8 and d > 64, the packed tile for k > 8.
	nearestPacked func(x []T, ldx, n, d int, c []T, k int, cnorm []T, labels []int32, part, pack []T)
	// sqDistRows is sqDist of each row to the center its label names, in float64.
	sqDistRows func(x []T, ldx, n, d int, c []T, labels []int32, out []float64)
	// sqDistAt is sqDistRows for the listed rows of x, read in place.
	sqDistAt func(x []T, ldx int, rows []int32, d int, c []T, labels []int32, out []float64)
	// centerDists is √sqDist of every row to every center of a panel, rounded once to T.
	centerDists func(p *kernels.CenterPanel, x []T, ldx, n int, out []T, ldo int, scratch []float64)
}

func opsFor[T dense.Float]() ops[T] {
	var zero T
	switch any(zero).(type) {
	case float32:
		return any(ops[float32]{kernels.SqNormsF32, kernels.NearestF32, kernels.AccumulateF32, kernels.SqDistF32, kernels.DotF32, kernels.ValuesPackedF32, kernels.LloydPackedF32, kernels.NearestPackedF32, kernels.SqDistRowsF32, kernels.SqDistAtF32, kernels.CenterDistsF32}).(ops[T])
	default:
		return any(ops[float64]{kernels.SqNormsF64, kernels.NearestF64, kernels.AccumulateF64, kernels.SqDistF64, kernels.DotF64, kernels.ValuesPackedF64, kernels.LloydPackedF64, kernels.NearestPackedF64, kernels.SqDistRowsF64, kernels.SqDistAtF64, kernels.CenterDistsF64}).(ops[T])
	}
}

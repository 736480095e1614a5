//go:build !purego && !noasm

package kernels

// The float64 few-center sums with the centers along the lanes (_gen/sumrows.go's genSumLanes).

// sumLanesF64D<D>AVX512: see genSumLanes. n labelled rows at x (stride ldx) of D features,
// labels in [0, 8), unit weights, acc the sums with the centers in lanes (8·(D+1) elements,
// sumLanesIn's layout); each row's line pf bytes ahead prefetched.
//
//go:noescape
func sumLanesF64D1AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

//go:noescape
func sumLanesF64D2AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

//go:noescape
func sumLanesF64D3AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

//go:noescape
func sumLanesF64D4AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

//go:noescape
func sumLanesF64D5AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

//go:noescape
func sumLanesF64D6AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

//go:noescape
func sumLanesF64D7AVX512(x *float64, ldx, n int, labels *int32, acc *float64, pf int)

// sumLanesMaxD is the widest row sumLanes takes (_gen/sumrows.go's constant of the same name).
const sumLanesMaxD = 7

// sumLanes adds the n labelled float64 rows at x (stride ldx, 1 ≤ d ≤ sumLanesMaxD features,
// unit weights, labels in [0, k), k ≤ 8) into the padded sums acc (stride smallKStride(d) = 8)
// in row order, the centers along the lanes of one vector a feature for the call: the padded
// sums' bits. A switch for the same reason as sumRows'.
func sumLanes(x *float64, ldx, n, d, k int, labels *int32, acc []float64, pf int) {
	var lanes [8 * (sumLanesMaxD + 1)]float64
	for j := 0; j < k; j++ {
		for f := 0; f <= d; f++ {
			lanes[8*f+j] = acc[8*j+f]
		}
	}
	switch d {
	case 1:
		sumLanesF64D1AVX512(x, ldx, n, labels, &lanes[0], pf)
	case 2:
		sumLanesF64D2AVX512(x, ldx, n, labels, &lanes[0], pf)
	case 3:
		sumLanesF64D3AVX512(x, ldx, n, labels, &lanes[0], pf)
	case 4:
		sumLanesF64D4AVX512(x, ldx, n, labels, &lanes[0], pf)
	case 5:
		sumLanesF64D5AVX512(x, ldx, n, labels, &lanes[0], pf)
	case 6:
		sumLanesF64D6AVX512(x, ldx, n, labels, &lanes[0], pf)
	case 7:
		sumLanesF64D7AVX512(x, ldx, n, labels, &lanes[0], pf)
	default:
		panic("kernels: lane sums of more than 7 features")
	}
	for j := 0; j < k; j++ {
		for f := 0; f <= d; f++ {
			acc[8*j+f] = lanes[8*f+j]
		}
	}
}

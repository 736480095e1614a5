package kernels

import (
	"math/rand/v2"
	"testing"
)

// Float64 rows with few centers may take rows in lanes (AVX-512, narrow64_amd64.go): labels 8
// rows at a time, then the rows added block by block, the last rows short of 8 from a padded
// copy. Through the public pass: row counts across the blocks and the 8-row groups, d across
// the narrow contiguous kernels and the transposing one, contiguous and strided rows, every k,
// both weightings: labels NearestF64's, sums the reference accumulation's, bit for bit.
func TestLloydF64NarrowBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(64, 3))
	p := lloydPair[float64]{LloydF64, NearestF64}
	for _, n := range []int{7, 8, 9, 255, 256, 257, 263, 519, 1000} {
		for d := 1; d <= 10; d++ {
			for k := 1; k <= 8; k++ {
				ldx := d + (n+d+k)%2*2
				lloydMatchesNearestCase(t, p, rng, n, d, ldx, k, k%2 == 0, (n+k)%2 == 0)
			}
		}
	}
}

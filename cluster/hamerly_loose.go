package cluster

// looseTables fills Hamerly's per-center terms of the loosened bounds (kernels.LoosenBounds):
// other[a], the farthest any center but a moved (move1, by center arg1, or for arg1 itself
// the second largest move2), and twoHalf[a] = 2·half[a], half[a] being half the distance from
// center a to its nearest other center. A row's lower bound to every other center drops by
// other[a]; 2·half[a] − upper bounds it from below too.
//
// Checking the loosened bounds row by row in Go took a fifth of the CPU time of a 65 536×32
// k = 64 float32 fit of make_blobs rows (36 of its 41 passes bound-based), about 33 cycles a
// row as a generic method and 19 as a plain loop; the kernel does eight rows a turn.
func looseTables(move, half []float64, move1, move2 float64, arg1 int, other, twoHalf []float64) {
	for a := range move {
		other[a] = move1
		if a == arg1 {
			other[a] = move2
		}
		twoHalf[a] = 2 * half[a]
	}
}

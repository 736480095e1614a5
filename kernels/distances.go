package kernels

import (
	"math"
	"unsafe"
)

// Distances from precomputed products: the expansion ‖x‖² − 2·x·y + ‖y‖² for callers that
// computed the products x·y themselves (a packed GEMM tile), clipped at 0, with or without the
// square root. Always in float64 (scikit-learn's euclidean_distances widens float32 input), the
// result rounded once to the output type.

// DistancesF64 writes, for r < rows and j < cols, out[r·ldo + j] =
// √(max(0, xnorm[r] + (cnorm[j] − 2·prod[r·ldp + j]))) (no root unless root), computing
// cnorm[j] − 2·prod in one rounding as the values kernels do. A result ≤ 0, −0 included, is +0.
func DistancesF64(prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []float64, ldo int) {
	distances(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

// DistancesF32 is DistancesF64 with the clipped squared distance rounded to float32 and, with
// root, its square root taken in float32 (correctly rounded): scikit-learn's order for float32
// input, which computes the expansion in float64, stores it into its float32 output and takes
// the root of that.
func DistancesF32(prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []float32, ldo int) {
	distances(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

// DistancesStreamF64 is DistancesF64 (the same values) with non-temporal stores wherever out
// is 64-byte aligned: they write whole lines to memory without reading them first nor keeping
// them in cache. For an output far larger than the caches and not read back soon (every row
// against a few dozen others: hundreds of MB written once), where a plain store reads each line
// from memory before writing it. Columns before a row's first aligned line and after its last
// whole vector are stored as DistancesF64 stores them.
func DistancesStreamF64(prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []float64, ldo int) {
	distancesStream(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

// DistancesStreamF32 is DistancesF32 stored as DistancesStreamF64 stores.
func DistancesStreamF32(prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []float32, ldo int) {
	distancesStream(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

func distances[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int) {
	if !distancesFit(prod, ldp, rows, cols, cnorm, xnorm, out, ldo) {
		return
	}
	distancesPlain(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
}

// distancesFit checks the slices (panicking if they are too short) and reports whether there
// is anything to do.
func distancesFit[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, out []T, ldo int) bool {
	if rows <= 0 || cols <= 0 {
		return false
	}
	if ldp < cols || ldo < cols || (rows-1)*ldp+cols > len(prod) || (rows-1)*ldo+cols > len(out) ||
		len(cnorm) < cols || len(xnorm) < rows {
		panic("kernels: distances do not fit their slices")
	}
	return true
}

// distancesPlain is DistancesF64/F32 on checked slices: whole vectors in assembly, the rest in Go.
func distancesPlain[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int) {
	done := distancesSIMD(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo, false)
	if done < cols {
		distancesGeneric(prod[done:], ldp, rows, cols-done, cnorm[done:], xnorm, root, out[done:], ldo)
	}
}

// distancesStream is DistancesStreamF64/F32. Each row's columns are split where out's lines
// begin: the columns before the first aligned one take the plain path, the streaming kernel
// the whole vectors from there (it needs every row it is given to start aligned), the plain
// path the rest. When a row of out is a whole number of lines long every row splits alike and
// one call takes them all; else each row is split on its own.
func distancesStream[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int) {
	if !distancesFit(prod, ldp, rows, cols, cnorm, xnorm, out, ldo) {
		return
	}
	var z T
	size := int(unsafe.Sizeof(z))
	if uintptr(unsafe.Pointer(&out[0]))%uintptr(size) != 0 {
		// Never from Go; a C caller's misaligned buffer: no row would ever start on a line.
		distancesPlain(prod, ldp, rows, cols, cnorm, xnorm, root, out, ldo)
		return
	}
	step := rows
	if ldo*size%64 != 0 {
		step = 1
	}
	for r := 0; r < rows; r += step {
		nr := min(step, rows-r)
		p, xn, o := prod[r*ldp:], xnorm[r:], out[r*ldo:]
		head := min(cols, int(-uintptr(unsafe.Pointer(&o[0]))%64)/size)
		done := head
		if head < cols {
			done += distancesSIMD(p[head:], ldp, nr, cols-head, cnorm[head:], xn, root, o[head:], ldo, true)
		}
		if head > 0 {
			distancesPlain(p, ldp, nr, head, cnorm, xn, root, o, ldo)
		}
		if done < cols {
			distancesPlain(p[done:], ldp, nr, cols-done, cnorm[done:], xn, root, o[done:], ldo)
		}
	}
}

// distancesGeneric is the reference loop of DistancesF64/F32.
func distancesGeneric[T Float](prod []float64, ldp, rows, cols int, cnorm, xnorm []float64, root bool, out []T, ldo int) {
	cnorm = cnorm[:cols]
	for r := 0; r < rows; r++ {
		src := prod[r*ldp : r*ldp+cols]
		dst := out[r*ldo : r*ldo+cols]
		xr := xnorm[r]
		for j, p := range src {
			s := xr + (cnorm[j] - 2*p)
			if !(s > 0) {
				s = 0
			}
			dst[j] = distanceOf[T](s, root)
		}
	}
}

func sqrt(x float64) float64 { return math.Sqrt(x) }

// distanceOf is the reference result for a clipped squared distance s: float64 output gets s
// or √s; float32 output gets s rounded to float32, and with root the square root of that, in
// float64 and rounded back: exactly float32's correctly rounded root (a float64 root of a
// float32 value rounds to float32 without a second rounding error).
func distanceOf[T Float](s float64, root bool) T {
	var z T
	if _, ok := any(z).(float32); ok {
		s = float64(float32(s))
	}
	if root {
		s = sqrt(s)
	}
	return T(s)
}

package main

import (
	"math/rand/v2"

	"github.com/fastmva/fastmva/decomp"
)

// extraCase builds the eigensolver case: a random symmetric d×d matrix, all eigenpairs
// (op eigh) or eigenvalues only (op eigvalsh). The copy of the input is part of the timing,
// as numpy.linalg.eigh copies too.
func extraCase(op, dtype string, n, threads int) (func(), bool) {
	if dtype != "f64" || (op != "eigh" && op != "eigvalsh") {
		return nil, false
	}
	rng := rand.New(rand.NewPCG(3, 4))
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := rng.NormFloat64()
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	b, w := make([]float64, n*n), make([]float64, n)
	var v []float64
	if op == "eigh" {
		v = make([]float64, n*n)
	}
	return func() {
		copy(b, a)
		if err := decomp.EigSym(n, b, n, w, v, n, threads); err != nil {
			panic(err)
		}
	}, true
}

// Package decomp holds fastmva's dense decompositions: the symmetric eigensolver (EigSym) and a
// small dense SVD built on it, the core of exact PCA/SVD.
//
// The eigensolver reduces A to tridiagonal form with gonum's blocked Dsytrd running on fastmva's
// kernels (internal/fastblas: Dsyr2k and Dsymv on kernels/gemm), solves the tridiagonal problem
// by divide and conquer (dc.go: secular equation, deflation, Gu–Eisenstat vectors, eigenvector
// updates as GEMMs) and back-transforms with gonum's blocked Dormqr (Dlarfb on the GEMM
// kernels; the reduction runs on the lower triangle so its reflectors are in QR form). It never
// applies scalar plane rotations to the n×n eigenvector matrix, which is where gonum's Dsteqr
// spends its time.
//
// The SVD (SVD, pca.go) runs on the Gram matrix with a Rayleigh–Ritz polish (exact.go) or a
// randomized subspace iteration (randomized.go); its accuracy bound is stated in exact.go.
package decomp

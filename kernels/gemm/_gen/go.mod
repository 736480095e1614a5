module github.com/fastmva/fastmva/kernels/gemm/_gen

go 1.26

module github.com/fastmva/fastmva/kernels/_gen

go 1.26

// Command backends prints the kernel backends this machine can run, one per line, best first:
// build.sh runs the test suite once per line.
package main

import (
	"fmt"

	"github.com/fastmva/fastmva/kernels"
)

func main() {
	for _, b := range kernels.Supported() {
		fmt.Println(b)
	}
}

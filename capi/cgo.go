// Command capi is libfastmva: built with -buildmode=c-shared, it exposes the functions of
// include/fastmva.h. It translates only — C arguments to Go values and Go errors to status
// codes — and knows nothing of Python.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include -O2 -Wall
#include <stdlib.h>
#include "fastmva.h"
int fastmva_internal_call_progress(fmva_progress_fn fn, void *user, int64_t done, int64_t total);
*/
import "C"

import (
	"os"

	"github.com/fastmva/fastmva/internal/parallel"
)

// Set FASTMVA_TEST_PANIC_IN_WORKER=1 before the library loads to make the first worker goroutine
// of every parallel loop panic: tests use it to show that a panic comes back as
// FMVA_EINTERNAL and the host lives on. It is read once, here.
const panicTestEnv = "FASTMVA_TEST_PANIC_IN_WORKER"

func init() {
	if os.Getenv(panicTestEnv) == "1" {
		parallel.InjectWorkerPanic(true)
	}
}

func main() {}

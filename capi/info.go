package main

/*
#include "fastmva.h"
*/
import "C"

import (
	"encoding/json"
	"runtime"
	"runtime/debug"

	"github.com/fastmva/fastmva/kernels"
)

var version = C.FASTMVA_VERSION_STRING

//export fmvago_build_info
func fmvago_build_info(buf *C.char, n C.size_t, ebuf *C.char, elen C.size_t) C.int {
	b := errBuf{ebuf, elen}
	return guard(b, func() error {
		if buf == nil || n == 0 {
			return invalid("buf is NULL or len is 0")
		}
		info := map[string]any{
			"version":           version,
			"kernels":           string(kernels.Active()),
			"kernels_supported": kernels.Supported(),
			"cpu":               map[string]any{"name": kernels.CPUName(), "features": kernels.CPUFeatures()},
			"go":                runtime.Version(),
			"threads":           runtime.GOMAXPROCS(0),
		}
		if err := kernels.SelectionError(); err != nil {
			info["kernels_warning"] = err.Error()
		}
		js, err := json.Marshal(info)
		if err != nil {
			return err
		}
		errBuf{buf, n}.set(string(js))
		return nil
	})
}

//export fmvago_set_memory_limit
func fmvago_set_memory_limit(bytes C.int64_t, ebuf *C.char, elen C.size_t) C.int {
	b := errBuf{ebuf, elen}
	return guard(b, func() error {
		switch {
		case bytes < 0:
			return invalid("memory limit %d is negative", int64(bytes))
		case bytes == 0:
			debug.SetMemoryLimit(int64(^uint64(0) >> 1))
		default:
			debug.SetMemoryLimit(int64(bytes))
		}
		return nil
	})
}

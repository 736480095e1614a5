package main

/*
#include "fastmva.h"
*/
import "C"

import (
	"errors"
	"runtime/debug"
	"unsafe"

	"github.com/fastmva/fastmva/internal/fault"
)

// errBuf is the caller thread's message buffer handed down by the C wrapper.
type errBuf struct {
	p *C.char
	n C.size_t
}

// set writes msg, truncated and NUL-terminated, into the buffer.
func (b errBuf) set(msg string) {
	if b.p == nil || b.n == 0 {
		return
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(b.p)), int(b.n))
	n := copy(dst[:len(dst)-1], msg)
	dst[n] = 0
}

// status maps an error to its code and records its message.
func (b errBuf) status(err error) C.int {
	if err == nil {
		return C.FMVA_OK
	}
	b.set(err.Error())
	switch {
	case errors.Is(err, fault.ErrInvalid):
		return C.FMVA_EINVAL
	case errors.Is(err, fault.ErrNoMemory):
		return C.FMVA_ENOMEM
	case errors.Is(err, fault.ErrCallback):
		return C.FMVA_ECALLBACK
	case errors.Is(err, fault.ErrCancelled):
		return C.FMVA_ECANCELLED
	}
	return C.FMVA_EINTERNAL
}

// guard runs an export's body, turning a panic into FMVA_EINTERNAL with its text and stack:
// a Go panic must never unwind into the C caller.
func guard(b errBuf, body func() error) (code C.int) {
	defer func() {
		if r := recover(); r != nil {
			code = b.status(fault.Internal("fastmva internal error (panic): %v\n%s", r, debug.Stack()))
		}
	}()
	return b.status(body())
}

func invalid(format string, args ...any) error { return fault.Invalid(format, args...) }

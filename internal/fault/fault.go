// Package fault defines the kinds of failure fastmva reports. Every layer wraps its errors in
// one of these sentinels, so the C API can map any error to its status code with errors.Is.
package fault

import (
	"errors"
	"fmt"
)

var (
	ErrInvalid   = errors.New("invalid argument")
	ErrNoMemory  = errors.New("out of memory")
	ErrCallback  = errors.New("callback failed")
	ErrCancelled = errors.New("cancelled")
	ErrInternal  = errors.New("internal error")
)

type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// Invalid reports a bad argument; the message must name it.
func Invalid(format string, args ...any) error {
	return &kindError{ErrInvalid, fmt.Sprintf(format, args...)}
}

// NoMemory reports work that would not fit in the memory available.
func NoMemory(format string, args ...any) error {
	return &kindError{ErrNoMemory, fmt.Sprintf(format, args...)}
}

// Internal reports a bug in fastmva, such as a recovered panic.
func Internal(format string, args ...any) error {
	return &kindError{ErrInternal, fmt.Sprintf(format, args...)}
}

// Cancelled reports that a progress callback asked to stop.
func Cancelled(format string, args ...any) error {
	return &kindError{ErrCancelled, fmt.Sprintf(format, args...)}
}

// Callback reports that a user callback failed.
func Callback(format string, args ...any) error {
	return &kindError{ErrCallback, fmt.Sprintf(format, args...)}
}

// Package offheap allocates the library's few big buffers (a preprocessed copy of the cluster
// source, a gap reference) outside the Go heap.
//
// Why: the Go collector lets a heap grow to twice its live size (GOGC=100) before it collects.
// With an n×d copy live on the heap, the per-fit scratch garbage may pile up to another n×d
// before a collection, so a copy "costs" two copies of peak memory. Outside the heap, a buffer
// costs exactly its size, and the heap's target stays proportional to the small scratch.
package offheap

import "unsafe"

// Buffer is a slice of n elements outside the Go heap, zeroed; Free returns its memory to the
// system. The slice must not be used after Free, and Free must be called exactly once.
type Buffer[T any] struct {
	Data []T
	mem  []byte
}

// Alloc returns a zeroed buffer of n elements of T.
func Alloc[T any](n int) (*Buffer[T], error) {
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if n <= 0 || size == 0 {
		return &Buffer[T]{}, nil
	}
	mem, err := mapAnon(size)
	if err != nil {
		return nil, err
	}
	return &Buffer[T]{Data: unsafe.Slice((*T)(unsafe.Pointer(&mem[0])), n), mem: mem}, nil
}

// Free releases the buffer (a nil or empty buffer is fine).
func (b *Buffer[T]) Free() {
	if b == nil || b.mem == nil {
		return
	}
	mem := b.mem
	b.Data, b.mem = nil, nil
	unmap(mem)
}

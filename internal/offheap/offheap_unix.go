//go:build unix

package offheap

import (
	"syscall"

	"github.com/fastmva/fastmva/internal/fault"
)

// mapAnon maps size bytes of private anonymous memory: zeroed, and resident only once touched.
func mapAnon(size int) ([]byte, error) {
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fault.NoMemory("cannot map %d bytes of working memory: %v", size, err)
	}
	return mem, nil
}

func unmap(mem []byte) { _ = syscall.Munmap(mem) }

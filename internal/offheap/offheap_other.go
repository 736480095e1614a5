//go:build !unix

package offheap

// Elsewhere the buffer lives on the Go heap; Free leaves it to the collector.
func mapAnon(size int) ([]byte, error) { return make([]byte, size), nil }

func unmap([]byte) {}

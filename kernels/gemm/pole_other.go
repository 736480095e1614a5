//go:build !amd64 || purego || noasm

package gemm

func poleSumsAVX512(d, z *float64, n int, o, tau float64) (s, ds float64) { panic("no SIMD") }

func poleQuotientsAVX512(d, z *float64, n int, o, tau float64, out *float64) float64 {
	panic("no SIMD")
}

func poleRatiosAVX512(d *float64, n int, o, tau, c float64, p *float64) { panic("no SIMD") }

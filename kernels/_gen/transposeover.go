package main

// genTransposeOver prints transposeOverF32AVX512(x *float32, ldx, d int, pack *float32):
// transposeF32AVX512 (see genTranspose) where the caller guarantees that 16·⌈d/16⌉ features of
// every row of the tile can be read (the rows after the tile are there): every block, the last
// one too, is then a whole 16×16 block, loaded with plain 256-bit loads and inserts
// (loadTranspose16: 48 shuffles) instead of masked 512-bit loads (transpose16: 64), and the
// features of the last block past d in pack are whatever lies past each row (the tile that
// follows reads only d of them).
func genTransposeOver(a *asm) {
	name := "transposeOverF32AVX512"
	transposeStart(a, name, "\n", 4)
	a.label(name + "_block")
	a.f("MOVQ SI, DX")
	for half := 0; half < 2; half++ {
		out := loadTranspose16(a)
		for f := 0; f < 16; f++ {
			a.f("VMOVUPS %s, %d(DI)", out[f], (f*32+half*16)*4)
		}
	}
	transposeF32Next(a, name)
}

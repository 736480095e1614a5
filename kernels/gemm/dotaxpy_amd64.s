//go:build amd64 && !purego && !noasm

#include "textflag.h"

// func dotAxpyAVX512(r, x, y *float64, n int, xi float64) float64
// n is a multiple of 16. Returns Σ r[j]·x[j] (two 8-lane accumulators, added at the end) and
// sets y[j] += r[j]·xi, reading r once for both.
TEXT ·dotAxpyAVX512(SB), NOSPLIT, $0-48
	MOVQ r+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSD xi+32(FP), Z31
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
loop:
	CMPQ CX, $16
	JLT done
	VMOVUPD (SI), Z2
	VMOVUPD 64(SI), Z3
	VFMADD231PD (DI), Z2, Z0
	VFMADD231PD 64(DI), Z3, Z1
	VMOVUPD (DX), Z4
	VMOVUPD 64(DX), Z5
	VFMADD231PD Z31, Z2, Z4
	VFMADD231PD Z31, Z3, Z5
	VMOVUPD Z4, (DX)
	VMOVUPD Z5, 64(DX)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	SUBQ $16, CX
	JMP loop
done:
	VADDPD Z1, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VPERMILPD $1, X0, X1
	VADDSD X1, X0, X0
	VZEROUPPER
	MOVSD X0, ret+40(FP)
	RET

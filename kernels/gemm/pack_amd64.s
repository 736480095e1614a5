//go:build amd64 && !purego && !noasm

#include "textflag.h"

// func copyRows128(dst, src unsafe.Pointer, rows, ldsrc int)
// Copies rows rows of 128 bytes, src rows ldsrc bytes apart, into consecutive rows of dst.
// SSE moves: baseline amd64, whatever kernel family is active.
TEXT ·copyRows128(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), CX
	MOVQ ldsrc+24(FP), DX
	TESTQ CX, CX
	JEQ cr_done
cr_row:
	MOVUPS (SI), X0
	MOVUPS 16(SI), X1
	MOVUPS 32(SI), X2
	MOVUPS 48(SI), X3
	MOVUPS 64(SI), X4
	MOVUPS 80(SI), X5
	MOVUPS 96(SI), X6
	MOVUPS 112(SI), X7
	MOVUPS X0, (DI)
	MOVUPS X1, 16(DI)
	MOVUPS X2, 32(DI)
	MOVUPS X3, 48(DI)
	MOVUPS X4, 64(DI)
	MOVUPS X5, 80(DI)
	MOVUPS X6, 96(DI)
	MOVUPS X7, 112(DI)
	ADDQ DX, SI
	ADDQ $128, DI
	DECQ CX
	JNZ cr_row
cr_done:
	RET

// func copyRows16(dst, src unsafe.Pointer, rows, ldsrc, width int)
// Copies rows rows of width bytes (a multiple of 16), src rows ldsrc bytes apart, into
// consecutive rows of dst.
TEXT ·copyRows16(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), CX
	MOVQ ldsrc+24(FP), DX
	MOVQ width+32(FP), R8
	TESTQ CX, CX
	JEQ c16_done
c16_row:
	XORQ AX, AX
c16_col:
	MOVUPS (SI)(AX*1), X0
	MOVUPS X0, (DI)(AX*1)
	ADDQ $16, AX
	CMPQ AX, R8
	JLT c16_col
	ADDQ DX, SI
	ADDQ R8, DI
	DECQ CX
	JNZ c16_row
c16_done:
	RET

//go:build amd64 && !purego

#include "textflag.h"

// wyrand's constants (stats.Fast) and the lane masks (stats.Quad).
DATA ·laneLow<>+0(SB)/8, $0x7fff7fff7fff7fff
DATA ·laneLow<>+8(SB)/8, $0x7fff7fff7fff7fff
DATA ·laneLow<>+16(SB)/8, $0x7fff7fff7fff7fff
DATA ·laneLow<>+24(SB)/8, $0x7fff7fff7fff7fff
GLOBL ·laneLow<>(SB), RODATA|NOPTR, $32

DATA ·laneOne<>+0(SB)/8, $0x0001000100010001
DATA ·laneOne<>+8(SB)/8, $0x0001000100010001
DATA ·laneOne<>+16(SB)/8, $0x0001000100010001
DATA ·laneOne<>+24(SB)/8, $0x0001000100010001
GLOBL ·laneOne<>(SB), RODATA|NOPTR, $32

// One wyrand draw into AX: s += C1; hi, lo = s * (s ^ C2); AX = hi ^ lo.
// Clobbers BX and DX.
#define DRAW \
	ADDQ R8, R10 \
	MOVQ R10, AX \
	MOVQ R10, BX \
	XORQ R9, BX \
	MULQ BX \
	XORQ DX, AX

// func voterDrawsAVX2(hi, miss, acc *uint64, n int, s uint64) (cnt, noTie, next uint64)
TEXT ·voterDrawsAVX2(SB), NOSPLIT, $0-64
	MOVQ hi+0(FP), SI
	MOVQ miss+8(FP), DI
	MOVQ acc+16(FP), R11
	MOVQ n+24(FP), CX
	MOVQ s+32(FP), R10
	MOVQ $0xa0761d6478bd642f, R8
	MOVQ $0xe7037ed1a0b428db, R9
	VMOVDQU ·laneLow<>(SB), Y15
	VMOVDQU ·laneOne<>(SB), Y14
	VPXOR Y13, Y13, Y13 // not-for lanes summed
	VPXOR Y12, Y12, Y12 // 0xffff in lanes that tied

loop:
	// Four draws into Y0, in order: element i in the low quadword.
	DRAW
	VMOVQ AX, X0
	DRAW
	VPINSRQ $1, AX, X0, X0
	DRAW
	VMOVQ AX, X1
	DRAW
	VPINSRQ $1, AX, X1, X1
	VINSERTI128 $1, X1, Y0, Y0

	VPAND Y15, Y0, Y0      // each lane's low 15 bits
	VMOVDQU (SI), Y1       // the thresholds' top 15 bits
	VPCMPGTW Y0, Y1, Y2    // 0xffff where the lane is below: for
	VPCMPEQW Y0, Y1, Y3    // 0xffff where it ties
	VPOR Y3, Y12, Y12
	VPADDW Y14, Y2, Y2     // 1 where not for (tie included), 0 where for
	VMOVDQU Y2, (DI)
	VPADDW (R11), Y2, Y4
	VMOVDQU Y4, (R11)
	VPADDW Y2, Y13, Y13

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R11
	SUBQ $4, CX
	JNZ loop

	// Sum the four quadwords of the counts (no lane overflows: each lane
	// is at most n/4 per quadword), OR those of the ties.
	VEXTRACTI128 $1, Y13, X1
	VPADDQ X1, X13, X13
	VPSHUFD $0x4e, X13, X1
	VPADDQ X1, X13, X13
	VMOVQ X13, AX
	VEXTRACTI128 $1, Y12, X1
	VPOR X1, X12, X12
	VPSHUFD $0x4e, X12, X1
	VPOR X1, X12, X12
	VMOVQ X12, BX
	NOTQ BX
	VZEROUPPER
	MOVQ AX, cnt+40(FP)
	MOVQ BX, noTie+48(FP)
	MOVQ R10, next+56(FP)
	RET

//go:build amd64 && !purego

#include "textflag.h"

// The lane masks (stats.Quad).
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

// voterBatch's fields (TestVoterBatchLayout checks them).
#define B_HI 0
#define B_MISS 8
#define B_ACC 16
#define B_STRUCK 24
#define B_GROUPS 32
#define B_REST 40
#define B_LANES 48
#define B_SEATS 56
#define B_DISCIPLINE 64
#define B_S 72
#define B_V 80
#define B_END 88
#define B_INVALID 96
#define B_CNT 104

// One wyrand draw (stats.Fast, state R10, constants R8 and R9) into AX:
// s += C1; hi, lo = s * (s ^ C2); AX = hi ^ lo. Clobbers BX and DX.
#define DRAW \
	ADDQ R8, R10 \
	MOVQ R10, AX \
	MOVQ R10, BX \
	XORQ R9, BX \
	MULQ BX \
	XORQ DX, AX

// Four elements' decisions from the draws in Y0 and the thresholds' top
// bits at SI: marks (1 in a lane not voted for) to DI, added to the
// tallies at R11 and to the count Y13; lanes that tie set in Y12.
#define DECIDE \
	VPAND Y15, Y0, Y0 \
	VMOVDQU (SI), Y1 \
	VPCMPGTW Y0, Y1, Y2 \
	VPCMPEQW Y0, Y1, Y3 \
	VPOR Y3, Y12, Y12 \
	VPADDW Y14, Y2, Y2 \
	VMOVDQU Y2, (DI) \
	VPADDW (R11), Y2, Y4 \
	VMOVDQU Y4, (R11) \
	VPADDW Y2, Y13, Y13

// The four quadwords of Y13 summed into AX (no lane overflows: a lane
// holds at most one per element).
#define COUNT \
	VEXTRACTI128 $1, Y13, X1 \
	VPADDQ X1, X13, X13 \
	VPSHUFD $0x4e, X13, X1 \
	VPADDQ X1, X13, X13 \
	VMOVQ X13, AX

// func ballotVotersAVX2(b *voterBatch)
TEXT ·ballotVotersAVX2(SB), NOSPLIT, $0-8
	MOVQ b+0(FP), R14
	MOVQ $0xa0761d6478bd642f, R8
	MOVQ $0xe7037ed1a0b428db, R9
	VMOVDQU ·laneLow<>(SB), Y15
	VMOVDQU ·laneOne<>(SB), Y14
	MOVQ B_S(R14), R10
	MOVQ B_V(R14), R12

voter:
	CMPQ R12, B_END(R14)
	JGE  done
	MOVQ B_HI(R14), SI
	MOVQ B_MISS(R14), DI
	MOVQ B_ACC(R14), R11
	VPXOR Y13, Y13, Y13
	VPXOR Y12, Y12, Y12
	MOVQ B_GROUPS(R14), CX
	TESTQ CX, CX
	JZ   part

group:
	DRAW
	VMOVQ AX, X0
	DRAW
	VPINSRQ $1, AX, X0, X0
	DRAW
	VMOVQ AX, X1
	DRAW
	VPINSRQ $1, AX, X1, X1
	VINSERTI128 $1, X1, Y0, Y0
	DECIDE
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R11
	DECQ CX
	JNZ  group

part:
	// The last one to three elements: the lanes not drawn are zero,
	// below the padding's thresholds (0x7fff): neither marks nor ties.
	MOVQ B_REST(R14), CX
	TESTQ CX, CX
	JZ   count
	DRAW
	VMOVQ AX, X0
	CMPQ CX, $1
	JEQ  partDecide
	DRAW
	VPINSRQ $1, AX, X0, X0
	CMPQ CX, $2
	JEQ  partDecide
	DRAW
	VMOVQ AX, X1
	VINSERTI128 $1, X1, Y0, Y0

partDecide:
	DECIDE

count:
	VPTEST Y12, Y12
	JNZ  tie
	COUNT
	// marks = lanes − not-for lanes; strike = marks − seats.
	MOVQ $0x0001000100010001, BX
	IMULQ BX, AX
	SHRQ $48, AX
	MOVQ B_LANES(R14), CX
	SUBQ AX, CX
	SUBQ B_SEATS(R14), CX
	JLE  next

	// Over-marked: corrected (strike the last marks) when the low 32 bits
	// of a draw are below the discipline, else void (strike them all).
	DRAW
	MOVL AX, AX
	CMPQ AX, B_DISCIPLINE(R14)
	JCS  strike
	INCQ B_INVALID(R14)
	ADDQ B_SEATS(R14), CX

strike:
	// From the last element: its last min(strike, 4) marks by one lookup
	// (topLanes), as worker.ballot.
	MOVQ B_LANES(R14), SI
	SHRQ $2, SI
	DECQ SI
	MOVQ B_MISS(R14), DI
	MOVQ B_STRUCK(R14), R11
	LEAQ ·topLanes(SB), R13

walk:
	MOVQ (DI)(SI*8), AX
	MOVQ $0x0001000100010001, BX
	XORQ BX, AX
	MOVQ $0x0001000200040008, DX
	IMULQ DX, AX
	SHRQ $48, AX
	ANDQ $0xf, AX
	MOVQ $4, DX
	CMPQ CX, DX
	CMOVQLT CX, DX
	LEAQ (AX)(AX*4), AX
	ADDQ DX, AX
	MOVQ (R13)(AX*8), AX
	ADDQ AX, (R11)(SI*8)
	POPCNTQ AX, AX
	SUBQ AX, CX
	DECQ SI
	TESTQ CX, CX
	JG   walk

next:
	INCQ R12
	JMP  voter

tie:
	COUNT
	MOVQ AX, B_CNT(R14)

done:
	MOVQ R10, B_S(R14)
	MOVQ R12, B_V(R14)
	VZEROUPPER
	RET

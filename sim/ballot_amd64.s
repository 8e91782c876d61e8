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
#define B_MISSES 104
#define B_GROUPS8 112
#define B_REST8 120
#define B_ADVANCE 128
#define B_ADVANCE8 136
#define B_LASTSTART 144
#define B_LASTBIT 152
#define B_DSEED 160

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

	// Over-marked when strike > 0: corrected (strike the last marks) when
	// the low 32 bits of the voter's discipline draw (the (v+1)-th of its
	// stream) are below the discipline, else void (strike them all). The
	// draw and the last element's strike are made for every voter, without
	// a branch on over-marking (about half the voters: a branch on it would
	// be mispredicted about as often).
	MOVQ R12, BX
	INCQ BX
	IMULQ R8, BX
	ADDQ B_DSEED(R14), BX
	MOVQ BX, AX
	MOVQ BX, DX
	XORQ R9, DX
	MULQ DX
	XORQ DX, AX
	XORL DX, DX
	MOVL AX, AX
	CMPQ AX, B_DISCIPLINE(R14)
	SETCC AL               // the ballot would be void
	TESTQ CX, CX
	SETGT DL
	ANDB AL, DL
	ADDQ DX, B_INVALID(R14)
	NEGQ DX
	ANDQ B_SEATS(R14), DX
	ADDQ DX, CX            // void: strike every mark

	// From the last element: its last min(strike, 4) marks by one lookup
	// (topLanes), as worker.ballot; the first with at least 0.
	MOVQ B_LANES(R14), SI
	SHRQ $2, SI
	DECQ SI
	MOVQ B_MISS(R14), DI
	MOVQ B_STRUCK(R14), R11
	LEAQ ·topLanes(SB), R13
	XORL BX, BX
	MOVQ $4, DX
	CMPQ CX, DX
	CMOVQLT CX, DX
	TESTQ DX, DX
	CMOVQLT BX, DX
	JMP  look

walk:
	MOVQ $4, DX
	CMPQ CX, DX
	CMOVQLT CX, DX

look:
	MOVQ (DI)(SI*8), AX
	MOVQ $0x0001000100010001, BX
	XORQ BX, AX
	MOVQ $0x0001000200040008, BX
	IMULQ BX, AX
	SHRQ $48, AX
	ANDQ $0xf, AX
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
	MOVQ $0x0001000100010001, BX
	IMULQ BX, AX
	SHRQ $48, AX
	MOVQ AX, B_MISSES(R14)

done:
	MOVQ R10, B_S(R14)
	MOVQ R12, B_V(R14)
	VZEROUPPER
	RET

DATA ·steps<>+0(SB)/8, $0xa0761d6478bd642f
DATA ·steps<>+8(SB)/8, $0x40ec3ac8f17ac85e
DATA ·steps<>+16(SB)/8, $0xe162582d6a382c8d
DATA ·steps<>+24(SB)/8, $0x81d87591e2f590bc
DATA ·steps<>+32(SB)/8, $0x224e92f65bb2f4eb
DATA ·steps<>+40(SB)/8, $0xc2c4b05ad470591a
DATA ·steps<>+48(SB)/8, $0x633acdbf4d2dbd49
DATA ·steps<>+56(SB)/8, $0x03b0eb23c5eb2178
GLOBL ·steps<>(SB), RODATA|NOPTR, $64

// VPERMT2D's indices: the even dwords of the first table, each followed
// by the same of the second (16 onwards).
DATA ·interleave<>+0(SB)/8, $0x0000001000000000
DATA ·interleave<>+8(SB)/8, $0x0000001200000002
DATA ·interleave<>+16(SB)/8, $0x0000001400000004
DATA ·interleave<>+24(SB)/8, $0x0000001600000006
DATA ·interleave<>+32(SB)/8, $0x0000001800000008
DATA ·interleave<>+40(SB)/8, $0x0000001a0000000a
DATA ·interleave<>+48(SB)/8, $0x0000001c0000000c
DATA ·interleave<>+56(SB)/8, $0x0000001e0000000e
GLOBL ·interleave<>(SB), RODATA|NOPTR, $64

// Eight wyrand draws, each lane's low 15 bits, into Z0 from the states Z9
// (advanced by eight steps): with a = s, b = s ^ C2 (Z13) and their 32-bit
// halves, t = aL·bH + (aL·bL >> 32), u = aH·bL + lo32(t),
// lo = lo32(aL·bL) | lo32(u) << 32 (one permutation of dwords, Z10),
// hi = aH·bH + (t >> 32) + (u >> 32); the draw is hi ^ lo, ANDed with
// 0x7fff in every lane (Z15) by the same instruction (Z12: 8·C1).
#define DRAW8 \
	VPXORQ Z13, Z9, Z16 \
	VPSRLQ $32, Z9, Z17 \
	VPSRLQ $32, Z16, Z18 \
	VPMULUDQ Z16, Z9, Z19 \
	VPMULUDQ Z18, Z9, Z20 \
	VPMULUDQ Z16, Z17, Z21 \
	VPMULUDQ Z18, Z17, Z0 \
	VPADDQ Z12, Z9, Z9 \
	VPSRLQ $32, Z19, Z23 \
	VPADDQ Z23, Z20, Z20 \
	VPANDQ Z10, Z20, Z23 \
	VPADDQ Z23, Z21, Z21 \
	VPSRLQ $32, Z20, Z20 \
	VPADDQ Z20, Z0, Z0 \
	VPSRLQ $32, Z21, Z23 \
	VPADDQ Z23, Z0, Z0 \
	VPERMT2D Z21, Z24, Z19 \
	VPTERNLOGQ $0x28, Z15, Z19, Z0

// Eight elements' decisions from the lanes in Z0 (low 15 bits) and the
// thresholds' top bits at (SI)(CX*8): marks (1 in a lane not voted for)
// to (DI)(CX*8), added to the tallies at (R11)(CX*8); their number added
// to R13; lanes that tie set in K4; AX the lanes not voted for, one bit
// each (bit 4j+k: lane k of the j-th element).
#define DECIDE8 \
	VMOVDQU64 (SI)(CX*8), Z1 \
	VPCMPUW $5, Z1, Z0, K2 \
	VPCMPEQW Z1, Z0, K3 \
	KORD K3, K4, K4 \
	VMOVDQU16.Z Z14, K2, Z2 \
	VMOVDQU64 Z2, (DI)(CX*8) \
	VPADDW (R11)(CX*8), Z2, Z2 \
	VMOVDQU64 Z2, (R11)(CX*8) \
	KMOVD K2, AX \
	POPCNTL AX, BX \
	ADDQ BX, R13

// func ballotVotersAVX512(b *voterBatch)
TEXT ·ballotVotersAVX512(SB), NOSPLIT, $0-8
	MOVQ b+0(FP), R14
	MOVQ $0xa0761d6478bd642f, R8
	MOVQ $0xe7037ed1a0b428db, R9
	VPBROADCASTQ R9, Z13
	MOVQ $0x03b0eb23c5eb2178, AX // 8·C1
	VPBROADCASTQ AX, Z12
	MOVQ $0xffffffff, AX
	VPBROADCASTQ AX, Z10
	MOVQ $0x7fff7fff7fff7fff, AX
	VPBROADCASTQ AX, Z15
	MOVQ $0x0001000100010001, AX
	VPBROADCASTQ AX, Z14
	VMOVDQU64 ·steps<>(SB), Z11
	VMOVDQU64 ·interleave<>(SB), Z24
	KMOVW B_REST8(R14), K1
	MOVQ B_S(R14), R10
	MOVQ B_V(R14), R12

voter8:
	CMPQ R12, B_END(R14)
	JGE  done8
	// The states of the voter's first eight draws; the pointers at the
	// end of the whole groups, CX counting their elements up to zero.
	VPBROADCASTQ R10, Z9
	VPADDQ Z11, Z9, Z9
	KXORD K4, K4, K4
	XORQ R13, R13
	MOVQ B_GROUPS8(R14), CX
	SHLQ $3, CX
	MOVQ B_HI(R14), SI
	MOVQ B_MISS(R14), DI
	MOVQ B_ACC(R14), R11
	LEAQ (SI)(CX*8), SI
	LEAQ (DI)(CX*8), DI
	LEAQ (R11)(CX*8), R11
	NEGQ CX
	JZ   part8

group8:
	DRAW8
	DECIDE8
	ADDQ $8, CX
	JNZ  group8

part8:
	// The elements after the whole groups. Up to four are drawn by the
	// general registers, as in ballotVotersAVX2, alongside the vector
	// unit's work; five to seven in a vector step whose padding draws are
	// masked to zero. Zero lanes are below the padding's thresholds
	// (0x7fff): neither marks nor ties.
	KORTESTW K1, K1
	JZ   whole8
	CMPQ B_REST8(R14), $15
	JA   vector8
	MOVQ B_REST(R14), CX
	ADDQ B_ADVANCE8(R14), R10
	DRAW
	VMOVQ AX, X0
	CMPQ CX, $1
	JEQ  scalar8
	DRAW
	VPINSRQ $1, AX, X0, X0
	CMPQ CX, $2
	JEQ  scalar8
	DRAW
	VMOVQ AX, X1
	CMPQ CX, $3
	JEQ  three8
	DRAW
	VPINSRQ $1, AX, X1, X1

three8:
	VINSERTI128 $1, X1, Y0, Y0

scalar8:
	XORL CX, CX
	VPANDQ Z15, Z0, Z0
	DECIDE8
	JMP  count8

vector8:
	DRAW8
	VMOVDQU64.Z Z0, K1, Z0
	DECIDE8

whole8:
	ADDQ B_ADVANCE(R14), R10

count8:
	MOVQ AX, SI // the last group's lanes not voted for
	KORTESTD K4, K4
	JNZ  tie8
	// strike = lanes − misses − seats: over-marked when positive. The
	// discipline draw (the (v+1)-th of its stream) and the last element's
	// strike are made for every voter and kept only for the over-marked,
	// without a branch on it: about half the voters over-mark, so such a
	// branch would be mispredicted about as often.
	MOVQ B_LANES(R14), CX
	SUBQ R13, CX
	SUBQ B_SEATS(R14), CX
	MOVQ R12, BX
	INCQ BX
	IMULQ R8, BX
	ADDQ B_DSEED(R14), BX
	MOVQ BX, AX
	MOVQ BX, DX
	XORQ R9, DX
	MULQ DX
	XORQ DX, AX
	XORL DX, DX
	MOVL AX, AX
	CMPQ AX, B_DISCIPLINE(R14)
	SETCC AL               // the ballot would be void
	TESTQ CX, CX
	SETGT DL
	ANDB AL, DL
	ADDQ DX, B_INVALID(R14)
	NEGQ DX
	ANDQ B_SEATS(R14), DX
	ADDQ DX, CX            // void: strike every mark

	// The last element's last min(strike, 4) marks (none when strike ≤ 0)
	// by one lookup (topLanes), as worker.ballot, from the last group's
	// marks in SI: reading them back from memory, just written by a
	// 512-bit store, would wait for the store.
	MOVQ B_STRUCK(R14), DI
	MOVQ B_LASTSTART(R14), AX
	LEAQ (DI)(AX*8), DI
	MOVQ B_LASTBIT(R14), R13
	NOTQ SI
	LEAQ ·topLanes(SB), R11
	XORL BX, BX
	MOVQ $4, DX
	CMPQ CX, DX
	CMOVQLT CX, DX
	TESTQ DX, DX
	CMOVQLT BX, DX

nibble8:
	SHRXQ R13, SI, AX
	ANDQ $0xf, AX
	LEAQ (AX)(AX*4), AX
	ADDQ DX, AX
	MOVQ (R11)(AX*8), AX
	ADDQ AX, (DI)(R13*2)
	POPCNTQ AX, AX
	SUBQ AX, CX
	JG   more8

next8:
	INCQ R12
	JMP  voter8

more8:
	// More to strike than the last element's marks: the group's earlier
	// elements, then (a void ballot, or a long over-marking) those before
	// it from memory.
	SUBQ $4, R13
	JLT  memory8
	MOVQ $4, DX
	CMPQ CX, DX
	CMOVQLT CX, DX
	JMP  nibble8

memory8:
	MOVQ B_LASTSTART(R14), SI
	DECQ SI
	MOVQ B_MISS(R14), DI
	MOVQ B_STRUCK(R14), R11
	LEAQ ·topLanes(SB), R13

walk8:
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
	JG   walk8
	JMP  next8

tie8:
	MOVQ R13, B_MISSES(R14)

done8:
	MOVQ R10, B_S(R14)
	MOVQ R12, B_V(R14)
	VZEROUPPER
	RET

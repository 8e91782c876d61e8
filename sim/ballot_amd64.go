//go:build amd64 && !purego

package sim

import "golang.org/x/sys/cpu"

// bestKernel is AVX-512 (with its byte and word instructions, and BMI2) where the CPU
// and the OS have it, else AVX2, else the portable loop.
func bestKernel() int {
	switch {
	case cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasPOPCNT && cpu.X86.HasBMI2:
		return kernelAVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasPOPCNT:
		return kernelAVX2
	}
	return kernelPortable
}

// ballotVotersAVX2 runs the voters b.v, b.v+1, … up to b.end of a ballot
// (worker.ballot): each voter's draws, marks and tallies as voterDraws
// gives them, four elements (sixteen decisions) per step in 256-bit
// registers, and for a voter who marks more names than seats the
// discipline draw and the striking, as worker.ballot does them. The draws
// are wyrand's (stats.Fast), made in general registers (the vector unit has
// no 64×64→128 multiply) and moved into a vector four at a time; each
// lane's low 15 bits are compared with the threshold's top bits by one
// signed 16-bit comparison. It stops early after the draws of a voter
// whose lanes tied, which the caller settles: then b.v is that voter and
// b.misses its lanes not voted for. b.s is the generator's state on return.
//
//go:noescape
func ballotVotersAVX2(b *voterBatch)

// ballotVotersAVX512 is ballotVotersAVX2 eight elements (32 decisions) per
// step, the draws included: wyrand's 64×64→128-bit products of eight
// states at once from four 32×32→64-bit products each (VPMULUDQ), the
// same numbers as stats.Fast's. The elements after the last whole group
// of eight are drawn in a masked step.
//
//go:noescape
func ballotVotersAVX512(b *voterBatch)

//go:build amd64 && !purego

package sim

import "golang.org/x/sys/cpu"

// useVector selects the AVX2 voter loop (ballotVotersAVX2) where the CPU
// has it; tests switch it off to compare with the portable loop.
var useVector = cpu.X86.HasAVX2 && cpu.X86.HasPOPCNT

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
// b.cnt its not-for lanes summed lane-wise. b.s is the generator's state
// on return.
//
//go:noescape
func ballotVotersAVX2(b *voterBatch)

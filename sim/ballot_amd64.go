//go:build amd64 && !purego

package sim

import (
	"golang.org/x/sys/cpu"

	"simulate/sim/stats"
)

// useVector selects the AVX2 decision loop (voterDrawsAVX2) where the CPU
// has it; tests switch it off to compare with the portable loop.
var useVector = cpu.X86.HasAVX2

// voterDrawsAVX2 is voterDraws on the first n elements of hi, miss and acc
// (n a positive multiple of 4) with the generator's state s: the same
// draws, in the same order, and the same results, four elements (sixteen
// decisions) per step in 256-bit registers. The draws are wyrand's, made
// in general registers (the vector unit has no 64×64→128 multiply) and
// moved into a vector four at a time; each lane's low 15 bits are compared
// with the threshold's top bits by one signed 16-bit comparison. noTie has
// a meaning only in stats.QuadGuard's bits, as voterDraws'. It returns the
// advanced state.
//
//go:noescape
func voterDrawsAVX2(hi, miss, acc *uint64, n int, s uint64) (cnt, noTie, next uint64)

// voterDrawsVector is voterDraws by voterDrawsAVX2 on the elements in
// groups of four, the rest by the portable loop.
func voterDrawsVector(hi, miss, acc []uint64, f stats.Fast) (cnt, noTie uint64, _ stats.Fast) {
	n := len(hi) &^ 3
	miss, acc = miss[:len(hi)], acc[:len(hi)]
	noTie = ^uint64(0)
	if n > 0 {
		var s uint64
		cnt, noTie, s = voterDrawsAVX2(&hi[0], &miss[0], &acc[0], n, f.State())
		f = stats.NewFast(s)
	}
	if n < len(hi) {
		var c, t uint64
		c, t, f = voterDraws(hi[n:], miss[n:], acc[n:], f)
		cnt += c
		noTie &= t
	}
	return cnt, noTie, f
}

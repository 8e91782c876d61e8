package stats

import (
	"math"
	"math/bits"
)

// Fast is a small generator for the innermost loops (wyrand: a 64-bit
// Weyl sequence finalised by one 128-bit multiply). It inlines, so a draw
// costs about a nanosecond, against two or three for rand.Rand's interface
// call. A trial seeds it from its own stream, so determinism is unchanged.
type Fast struct{ s uint64 }

// NewFast returns a generator seeded with seed.
func NewFast(seed uint64) Fast { return Fast{s: seed} }

// Uint64 returns the next 64 random bits.
func (f *Fast) Uint64() uint64 {
	f.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(f.s, f.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// Next is Uint64 in value form: the next 64 random bits and the advanced
// generator, for loops that must keep the generator's state in a register
// (the compiler keeps a pointer receiver's state in memory there).
func (f Fast) Next() (uint64, Fast) {
	s := f.s + 0xa0761d6478bd642f
	hi, lo := bits.Mul64(s, s^0xe7037ed1a0b428db)
	return hi ^ lo, Fast{s: s}
}

// State returns the generator's state: NewFast(f.State()) continues f's
// draws (for loops written in assembly, which keep it in a register).
func (f Fast) State() uint64 { return f.s }

// Skip returns the generator n draws ahead: its state is a Weyl sequence,
// so that is one multiplication. A loop can replay a stretch of draws from
// its start without keeping them.
func (f Fast) Skip(n uint64) Fast { return Fast{s: f.s + n*0xa0761d6478bd642f} }

// Threshold32 returns t such that a uniform 32-bit value x (held in a
// uint64) satisfies x < t with probability p, rounded down to a multiple of
// 2^-32: t = ⌊p·2^32⌋, with p ≥ 1 giving 2^32 (always) and p ≤ 0 or NaN
// giving 0 (never). Splitting one 64-bit draw into two 32-bit decisions
// halves the random numbers a ballot needs; the rounding moves no
// probability by more than 2.4e-10.
func Threshold32(p float64) uint64 {
	switch {
	case !(p > 0):
		return 0
	case p >= 1:
		return 1 << 32
	}
	return uint64(math.Ldexp(p, 32))
}

// CountBelow returns how many of n independent trials succeed, each with
// probability t/2^32 exactly (t from Threshold32, at most 2^32): a
// Binomial(n, t/2^32) count, from one draw of f per two trials (the low
// and the high 32 bits of each draw, compared with t), without a branch on
// the draws. It returns the advanced generator.
func (f Fast) CountBelow(n int, t uint64) (int, Fast) {
	c := uint64(0)
	for range n / 2 {
		var x uint64
		x, f = f.Next()
		// A 32-bit half below t leaves the difference's top bit set.
		c += (x&0xffffffff - t) >> 63
		c += (x>>32 - t) >> 63
	}
	if n%2 == 1 {
		var x uint64
		x, f = f.Next()
		c += (x&0xffffffff - t) >> 63
	}
	return int(c), f
}

// Bernoulli is Bernoulli on f: whether a trial with threshold t (from
// Threshold) succeeds, from one draw u (u < t, or always when t is 2^64 − 1,
// p = 1), and the advanced generator. One draw whatever t.
func (f Fast) Bernoulli(t uint64) (bool, Fast) {
	u, f := f.Next()
	ok := u < t
	if t == math.MaxUint64 { // on t alone: predictable
		ok = true
	}
	return ok, f
}

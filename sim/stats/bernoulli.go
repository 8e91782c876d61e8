package stats

import (
	"math"
	"math/rand/v2"
)

// Threshold returns the integer threshold t of a Bernoulli trial with success
// probability p, so that a uniform 64-bit draw u succeeds when u < t:
//
//	t = ⌊p·2^64⌋   for 0 ≤ p < 1
//	t = 0          for p ≤ 0 or p = NaN
//	t = 2^64 − 1   for p ≥ 1
//
// For p < 1 the product p·2^64 is exact (scaling by a power of two) and at
// most 2^64 − 2^11, so P(u < t) = ⌊p·2^64⌋/2^64 is within 2^-64 of p, and the
// value 2^64 − 1 is reserved for p = 1. Compared inline, r.Uint64() < t then
// fails with probability 2^-64 when p = 1; Bernoulli treats 2^64 − 1 as
// certain success and is exact.
//
// Compute thresholds once, when a model is compiled, and compare per draw.
func Threshold(p float64) uint64 {
	switch {
	case !(p > 0): // also NaN
		return 0
	case p >= 1:
		return math.MaxUint64
	}
	return uint64(p * (1 << 64))
}

// Bernoulli reports whether a Bernoulli trial with threshold t (from
// Threshold) succeeds: it draws u = r.Uint64() and returns u < t, or true when
// t = 2^64 − 1 (p = 1). It always consumes exactly one r.Uint64(), whatever t,
// so the position of later draws in the stream does not depend on p.
func Bernoulli(r *rand.Rand, t uint64) bool {
	ok := r.Uint64() < t
	// A separate test on t alone is predictable, unlike u < t || t == max,
	// which branches on the random outcome.
	if t == math.MaxUint64 {
		ok = true
	}
	return ok
}

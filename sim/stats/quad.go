package stats

// Quad decides four Bernoulli trials from one 64-bit draw: the draw is
// split into four 16-bit lanes and lane j "succeeds" when it is below the
// top 16 bits of the j-th 32-bit threshold. A lane equal to those top bits
// (probability 2^-16) is a tie, resolved by a further 16-bit draw compared
// with the threshold's remaining bits, so each trial succeeds with
// probability t_j/2^32 exactly — the same law as comparing a 32-bit uniform
// with t_j (Threshold32), from a quarter of the random bits in the common
// case instead of a half.
//
// The comparison is SWAR: lanes 0 and 2, then lanes 1 and 3, sit in 32-bit
// slots with a guard bit above each, so one 64-bit subtraction compares two
// lanes without a borrow crossing between them.
type Quad struct {
	even, odd uint64 // top 16 bits of thresholds 0,2 (1,3) at bits 0 and 32
	hi        uint64 // the four top halves in their own lanes
	low       [4]uint32
}

const (
	quadGuard = 1<<16 | 1<<48         // guard bit above each 32-bit slot's lane
	quadSlots = 0x0000ffff_0000ffff   // lanes 0 and 2
	quadOnes  = 0x0001_0001_0001_0001 // 1 in every lane
	quadHigh  = 0x8000_8000_8000_8000 // top bit of every lane
)

// QuadOnes has 1 in each of the four 16-bit lanes: the mask of a Quad
// result in which every trial failed.
const QuadOnes = quadOnes

// NewQuad returns the Quad for four thresholds from Threshold32 (each at
// most 2^32).
func NewQuad(t [4]uint64) Quad {
	var q Quad
	for j, tj := range t {
		h := min(tj>>16, 0xffff) // 2^32 (p = 1) keeps 0xffff here and 2^16 below
		q.low[j] = uint32(tj - h<<16)
		q.hi |= h << (16 * j)
		if j%2 == 0 {
			q.even |= h << (16 * j)
		} else {
			q.odd |= h << (16 * (j - 1))
		}
	}
	return q
}

// Miss returns, for the 64-bit draw x, 1 in lane j when lane j of x is at
// or above threshold j's top 16 bits (the trial fails unless tied), else 0.
// tie is nonzero when some lane equals its top bits, in which case Resolve
// must be applied to the result; callers may OR the ties of many draws and
// test once.
func (q *Quad) Miss(x uint64) (miss, tie uint64) {
	de := (x&quadSlots | quadGuard) - q.even
	do := (x>>16&quadSlots | quadGuard) - q.odd
	miss = de>>16&(1|1<<32) | do&quadGuard
	z := x ^ q.hi
	return miss, (z - quadOnes) &^ z & quadHigh
}

// Resolve settles the tied lanes of draw x in miss (from Miss): each tied
// lane draws 16 fresh bits from f and succeeds (its bit is cleared) when
// they are below the threshold's remaining bits. It takes and returns the
// generator by value, and is kept out of line, so that the caller's
// generator stays in a register on the common path without ties.
//
//go:noinline
func (q *Quad) Resolve(x, miss uint64, f Fast) (uint64, Fast) {
	for j := 0; j < 4; j++ {
		s := 16 * uint(j)
		if (x^q.hi)>>s&0xffff == 0 && f.Uint64()&0xffff < uint64(q.low[j]) {
			miss &^= 1 << s
		}
	}
	return miss, f
}

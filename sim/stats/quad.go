package stats

// Quad decides four Bernoulli trials from one 64-bit draw: the draw is
// split into four 16-bit lanes, and trial j succeeds when the low 15 bits
// of lane j are below the top 15 bits of the j-th 32-bit threshold. A lane
// equal to those top bits (probability 2^-15) is a tie, resolved by a
// further 17-bit draw compared with the threshold's remaining bits, so each
// trial succeeds with probability t_j/2^32 exactly — the same law as
// comparing a 32-bit uniform with t_j (Threshold32) — from a quarter of the
// random bits in the common case instead of a half.
//
// The comparison is SWAR: with the top bit of every lane set as a guard,
// one 64-bit subtraction of the four thresholds compares all four lanes
// without a borrow crossing between them, and leaves the guard set exactly
// where the lane is at or above its threshold.
type Quad struct {
	hi  uint64 // the top 15 bits of the four thresholds, one per lane
	low [4]uint32
}

const (
	quadValue = 0x7fff_7fff_7fff_7fff // the low 15 bits of every lane
	quadGuard = 0x8000_8000_8000_8000 // the top bit of every lane
	quadOnes  = 0x0001_0001_0001_0001 // 1 in every lane
)

// QuadOnes has 1 in each of the four 16-bit lanes: the mask of a Quad
// result in which every trial failed.
const QuadOnes = quadOnes

// NewQuad returns the Quad for four thresholds from Threshold32 (each at
// most 2^32).
func NewQuad(t [4]uint64) Quad {
	var q Quad
	for j, tj := range t {
		h := min(tj>>17, 0x7fff) // 2^32 (p = 1) keeps 0x7fff here and 2^17 below
		q.low[j] = uint32(tj - h<<17)
		q.hi |= h << (16 * j)
	}
	return q
}

// Miss returns, for the 64-bit draw x, 1 in lane j when the low 15 bits
// of lane j of x are at or above threshold j's top 15 bits (the trial fails
// unless tied), else 0. tie is nonzero when some lane equals its top bits,
// in which case Resolve must be applied to the result; callers may OR the
// ties of many draws and test once.
func (q *Quad) Miss(x uint64) (miss, tie uint64) {
	// Each lane of d is 2^15 + (lane − threshold), in [1, 2^16): its top
	// bit is set when lane ≥ threshold, its low 15 bits are zero when they
	// are equal.
	d := (x | quadGuard) - q.hi
	return d & quadGuard >> 15, (d&quadValue - quadOnes) & quadGuard
}

// QuadGuard has the top bit of each of the four 16-bit lanes set: the
// bits of Lanes' clear word that carry a verdict.
const QuadGuard = quadGuard

// Hi returns the top 15 bits of the four thresholds, one per 16-bit lane:
// the word Lanes compares a draw with.
func (q *Quad) Hi() uint64 { return q.hi }

// Lanes is Miss for a caller that keeps the thresholds' top bits apart
// (hi from Quad.Hi), in fewer operations: miss as from Miss, and clear,
// whose QuadGuard bit in lane j is set exactly when lane j did not tie
// (its other bits mean nothing). A caller ANDs the clear words of many
// draws and replays them when some guard bit is unset.
func Lanes(x, hi uint64) (miss, clear uint64) {
	d := (x | quadGuard) - hi
	// A lane's low 15 bits plus 0x7fff reach its top bit exactly when they
	// are not zero, and never carry out of the lane.
	return d & quadGuard >> 15, d&quadValue + quadValue
}

// Resolve settles the tied lanes of draw x in miss (from Miss): each tied
// lane draws 17 fresh bits from f and succeeds (its bit is cleared) when
// they are below the threshold's remaining bits. It takes and returns the
// generator by value, and is kept out of line, so that the caller's
// generator stays in a register on the common path without ties.
//
//go:noinline
func (q *Quad) Resolve(x, miss uint64, f Fast) (uint64, Fast) {
	for j := 0; j < 4; j++ {
		s := 16 * uint(j)
		if (x^q.hi)>>s&0x7fff == 0 && f.Uint64()&0x1ffff < uint64(q.low[j]) {
			miss &^= 1 << s
		}
	}
	return miss, f
}

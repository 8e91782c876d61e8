package stats

import (
	"math"
	"math/big"
	"math/bits"
)

// IntMean accumulates integer observations (counts of seats, ballots, rounds
// and the like) exactly: it keeps the count n, the sum Σx as an int64 and the
// sum of squares Σx² as a 128-bit integer, so that
//
//	mean     = Σx / n
//	variance = (n·Σx² − (Σx)²) / (n·(n−1))
//
// are computed from exact integers at query time, and merging accumulators
// in any grouping and order gives the identical state. Add and Merge panic
// if Σx overflows int64 or Σx² overflows 128 bits, instead of wrapping.
// For values in [0, 1], use ShareHist.
//
// The zero value is an empty accumulator ready to use.
type IntMean struct {
	n   int64
	sum int64
	// sq is Σx² as an unsigned 128-bit integer (hi, lo).
	sqHi, sqLo uint64
}

// Add records the observation x.
func (m *IntMean) Add(x int64) {
	if (x > 0 && m.sum > math.MaxInt64-x) || (x < 0 && m.sum < math.MinInt64-x) {
		panic("stats: IntMean sum overflows int64")
	}
	a := uint64(x)
	if x < 0 {
		a = -a // |x|, also for MinInt64
	}
	hi, lo := bits.Mul64(a, a)
	m.addSq(hi, lo)
	m.n++
	m.sum += x
}

// addSq adds (hi, lo) to the sum of squares, panicking on overflow before
// changing anything.
func (m *IntMean) addSq(hi, lo uint64) {
	sLo, c := bits.Add64(m.sqLo, lo, 0)
	sHi, c := bits.Add64(m.sqHi, hi, c)
	if c != 0 {
		panic("stats: IntMean sum of squares overflows 128 bits")
	}
	m.sqHi, m.sqLo = sHi, sLo
}

// Merge adds the observations of o to m; o is unchanged.
func (m *IntMean) Merge(o *IntMean) {
	x := o.sum
	if (x > 0 && m.sum > math.MaxInt64-x) || (x < 0 && m.sum < math.MinInt64-x) {
		panic("stats: IntMean sum overflows int64")
	}
	m.addSq(o.sqHi, o.sqLo)
	m.n += o.n
	m.sum += x
}

// Count returns the number of observations.
func (m *IntMean) Count() int64 { return m.n }

// Sum returns the exact sum of the observations.
func (m *IntMean) Sum() int64 { return m.sum }

// Mean returns Σx/n, rounded once from the exact quotient and remainder;
// NaN if there are no observations.
func (m *IntMean) Mean() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return fixedRatio(m.sum, m.n)
}

// Variance returns the unbiased sample variance
// (n·Σx² − (Σx)²) / (n·(n−1)), evaluated in exact integer arithmetic and
// rounded once to float64; NaN if there are fewer than two observations.
func (m *IntMean) Variance() float64 {
	if m.n < 2 {
		return math.NaN()
	}
	n := big.NewInt(m.n)
	sq := new(big.Int).SetUint64(m.sqHi)
	sq.Lsh(sq, 64).Or(sq, new(big.Int).SetUint64(m.sqLo))
	s := big.NewInt(m.sum)
	num := new(big.Int).Mul(n, sq)
	num.Sub(num, s.Mul(s, s))
	den := new(big.Int).Mul(n, big.NewInt(m.n-1))
	v, _ := new(big.Rat).SetFrac(num, den).Float64()
	return v
}

// StdErr returns the standard error of the mean, √(Variance/n); NaN if there
// are fewer than two observations.
func (m *IntMean) StdErr() float64 {
	return math.Sqrt(m.Variance() / float64(m.n))
}

package stats

import (
	"fmt"
	"math"
)

const (
	// ShareBins is the number of bins of a ShareHist: values 0, 1e-4, …, 1.
	ShareBins = 10001
	// shareScale maps a share to its bin, bin = round(v·shareScale).
	shareScale = ShareBins - 1
	// fixedScale is the fixed-point scale of exact sums: one unit is 1e-9.
	fixedScale = 1e9
)

// ShareHist is a histogram of shares, values in [0, 1], with exact integer
// state, for statistics over Monte Carlo trials that must not depend on how
// trials were split among workers.
//
// A value v goes to bin round(v·10⁴), so bins are 1e-4 wide and centred on
// 0, 1e-4, …, 1; quantiles are reported at that resolution. Alongside the
// bins it keeps the count, and the sum, minimum and maximum of the values in
// fixed point, f(v) = round(v·10⁹), so Mean, Min and Max resolve 1e-9.
//
// Everything is integer addition, comparison and counting, which is
// associative and commutative: merging histograms in any grouping and order
// gives the identical state, bit for bit. The fixed-point sum is an int64
// with each value contributing at most 10⁹, so it cannot overflow before
// ⌊(2^63−1)/10⁹⌋ ≈ 9.2·10⁹ values; Add and Merge panic rather than wrap.
//
// The zero value is an empty histogram ready to use. A ShareHist holds its
// bins inline (about 80 KB), so pass it by pointer.
type ShareHist struct {
	bins  [ShareBins]int64
	count int64
	sum   int64 // Σ round(v·1e9)
	min   int64 // min round(v·1e9), valid when count > 0
	max   int64 // max round(v·1e9), valid when count > 0
}

// NewShareHist returns a new, empty histogram; it is the same as new(ShareHist).
func NewShareHist() *ShareHist { return new(ShareHist) }

// Add records the share v. It panics if v is NaN or outside [0, 1].
func (h *ShareHist) Add(v float64) {
	if !(v >= 0 && v <= 1) {
		panic(fmt.Sprintf("stats: share %v outside [0, 1]", v))
	}
	f := int64(math.Round(v * fixedScale))
	if h.sum > math.MaxInt64-f {
		panic("stats: ShareHist sum overflows int64")
	}
	h.bins[int(math.Round(v*shareScale))]++
	if h.count == 0 {
		h.min, h.max = f, f
	} else {
		h.min, h.max = min(h.min, f), max(h.max, f)
	}
	h.count++
	h.sum += f
}

// Merge adds the contents of o to h; o is unchanged. Merging is exact, so the
// result does not depend on the grouping or order of merges.
func (h *ShareHist) Merge(o *ShareHist) {
	if o.count == 0 {
		return
	}
	if h.sum > math.MaxInt64-o.sum {
		panic("stats: ShareHist sum overflows int64")
	}
	for i, c := range &o.bins {
		h.bins[i] += c
	}
	if h.count == 0 {
		h.min, h.max = o.min, o.max
	} else {
		h.min, h.max = min(h.min, o.min), max(h.max, o.max)
	}
	h.count += o.count
	h.sum += o.sum
}

// CanMerge reports whether merging o into h would overflow the exact state.
func (h *ShareHist) CanMerge(o *ShareHist) bool {
	if h.count > math.MaxInt64-o.count || h.sum > math.MaxInt64-o.sum {
		return false
	}
	for i, c := range &o.bins {
		if h.bins[i] > math.MaxInt64-c {
			return false
		}
	}
	return true
}

// Reset empties h.
func (h *ShareHist) Reset() { *h = ShareHist{} }

// Count returns the number of values added.
func (h *ShareHist) Count() int64 { return h.count }

// Mean returns the mean of the values at fixed-point resolution,
// Σ round(v·10⁹) / (10⁹·count), rounded once from the exact integer ratio;
// NaN if h is empty.
func (h *ShareHist) Mean() float64 {
	if h.count == 0 {
		return math.NaN()
	}
	return fixedRatio(h.sum, h.count) / fixedScale
}

// fixedRatio returns sum/n for n > 0, from the exact integer quotient and
// remainder so that the only rounding is in the final float operations.
func fixedRatio(sum, n int64) float64 {
	q, r := sum/n, sum%n
	return float64(q) + float64(r)/float64(n)
}

// Min returns the smallest value added, at 1e-9 resolution; NaN if empty.
func (h *ShareHist) Min() float64 {
	if h.count == 0 {
		return math.NaN()
	}
	return float64(h.min) / fixedScale
}

// Max returns the largest value added, at 1e-9 resolution; NaN if empty.
func (h *ShareHist) Max() float64 {
	if h.count == 0 {
		return math.NaN()
	}
	return float64(h.max) / fixedScale
}

// Bin returns the number of values in bin i, those v with round(v·10⁴) = i,
// for 0 ≤ i < ShareBins.
func (h *ShareHist) Bin(i int) int64 { return h.bins[i] }

// Quantile returns the nearest-rank q-quantile on bins: the value i/10⁴ of the
// smallest bin i whose cumulative count reaches rank = max(1, ⌈q·count⌉).
// So Quantile(0) is the lowest occupied bin and Quantile(1) the highest.
// When q·count is within a relative 1e-12 of an integer it is taken as that
// integer, so that decimal q such as 0.07 rank as written rather than as
// their binary value. It returns NaN if h is empty and panics unless
// 0 ≤ q ≤ 1.
func (h *ShareHist) Quantile(q float64) float64 {
	if !(q >= 0 && q <= 1) {
		panic(fmt.Sprintf("stats: quantile %v outside [0, 1]", q))
	}
	if h.count == 0 {
		return math.NaN()
	}
	x := q * float64(h.count)
	rank := int64(math.Ceil(x))
	if r := math.Round(x); math.Abs(x-r) <= 1e-12*max(1, x) {
		rank = int64(r)
	}
	rank = min(max(rank, 1), h.count)
	var cum int64
	for i, c := range &h.bins {
		cum += c
		if cum >= rank {
			return float64(i) / shareScale
		}
	}
	panic("unreachable: bins sum to count")
}

// SD returns the standard deviation of the values, computed from the bins
// (so at their 1e-4 resolution); 0 when fewer than two values were added.
func (h *ShareHist) SD() float64 {
	if h.count < 2 {
		return 0
	}
	mean := 0.0
	for i, c := range h.bins {
		mean += float64(c) * float64(i)
	}
	mean /= float64(h.count)
	v := 0.0
	for i, c := range h.bins {
		if c != 0 {
			d := float64(i) - mean
			v += float64(c) * d * d
		}
	}
	return math.Sqrt(v/float64(h.count-1)) / shareScale
}

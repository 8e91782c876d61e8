package stats

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// Alias is a Walker–Vose alias table: a discrete distribution over
// 0, …, n−1 that is sampled in constant time with one 64-bit draw.
//
// Column i keeps its own outcome with probability prob_i and otherwise yields
// alias_i, so that
//
//	P(i) = (prob_i + Σ_{j: alias_j = i} (1 − prob_j)) / n = w_i / Σ_j w_j.
//
// An Alias is immutable once built and safe for concurrent use by many
// goroutines, each with its own *rand.Rand.
type Alias struct {
	col []aliasColumn
}

// aliasColumn is one column of the table; keeping the threshold and the alias
// side by side costs one cache line per draw.
type aliasColumn struct {
	// keep is the integer threshold of prob (see Threshold); a column whose
	// prob is 1 has keep = 2^64−1 and alias = its own index.
	keep  uint64
	alias int
}

// NewAlias builds the alias table of the distribution proportional to weights.
// It returns an error if weights is empty, if any weight is negative, NaN or
// infinite, or if all weights are zero.
//
// Construction is Vose's algorithm with both work lists kept as stacks filled
// in index order, so the table is a deterministic function of the weights.
// Weights are first divided by their maximum, so no sum overflows. An entry
// whose weight is zero is never drawn: it keeps its column with probability 0.
// The scaled probabilities p_i = n·w_i/Σw are paired off as
//
//	alias_s = l,  p_l ← (p_l + p_s) − 1
//
// for a small s (p_s < 1) and a large l (p_l ≥ 1), which loses less precision
// than p_l − (1 − p_s). Columns left over when one list empties hold p ≈ 1
// up to rounding and keep themselves.
func NewAlias(weights []float64) (*Alias, error) {
	n := len(weights)
	if n == 0 {
		return nil, errors.New("stats: alias table needs at least one weight")
	}
	maxW := 0.0
	for i, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return nil, fmt.Errorf("stats: weight %d is %v; weights must be finite and non-negative", i, w)
		}
		maxW = max(maxW, w)
	}
	if maxW == 0 {
		return nil, errors.New("stats: all weights are zero")
	}
	sum := 0.0
	for _, w := range weights {
		sum += w / maxW
	}
	scale := float64(n) / sum
	p := make([]float64, n)
	for i, w := range weights {
		// The conversion forbids fusing this product into a later add,
		// keeping the table identical on every architecture.
		p[i] = float64((w / maxW) * scale)
	}

	a := &Alias{col: make([]aliasColumn, n)}
	// Zero-probability entries go on top of the small stack, so they are
	// paired first, while the large stack certainly holds an entry.
	small := make([]int, 0, n)
	large := make([]int, 0, n)
	for i := n - 1; i >= 0; i-- {
		if p[i] != 0 && p[i] < 1 {
			small = append(small, i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		if p[i] == 0 {
			small = append(small, i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		if p[i] >= 1 {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		large = large[:len(large)-1]
		a.col[s] = aliasColumn{keep: Threshold(p[s]), alias: l}
		p[l] = (p[l] + p[s]) - 1
		if p[l] < 1 {
			small = append(small, l)
		} else {
			large = append(large, l)
		}
	}
	// Left over: probability 1 up to rounding, so each column keeps itself.
	fallback := -1
	for _, i := range large {
		a.col[i] = aliasColumn{keep: math.MaxUint64, alias: i}
		fallback = i
	}
	for _, i := range small {
		if weights[i] == 0 || p[i] == 0 {
			// Unreachable unless rounding error exceeds a whole column; even
			// then a zero weight must not be drawn, so send it elsewhere.
			if fallback < 0 {
				fallback = argmax(weights)
			}
			a.col[i] = aliasColumn{keep: 0, alias: fallback}
			continue
		}
		a.col[i] = aliasColumn{keep: math.MaxUint64, alias: i}
		fallback = i
	}
	return a, nil
}

// argmax returns the smallest index of the largest element of x.
func argmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// Len returns the number of outcomes, the length of the weights the table was
// built from.
func (a *Alias) Len() int { return len(a.col) }

// Sample draws an outcome in [0, Len()) from r with one r.Uint64() and no
// allocation. The 128-bit product u·n of the draw u splits into the column
// ⌊u·n/2^64⌋ and a 64-bit remainder that is compared with the column's
// threshold; both are uniform up to a relative bias below n/2^64.
func (a *Alias) Sample(r *rand.Rand) int {
	col, frac := bits.Mul64(r.Uint64(), uint64(len(a.col)))
	c := &a.col[col]
	if frac < c.keep {
		return int(col)
	}
	return c.alias
}

package stats

import (
	"fmt"
	"math"
	"math/bits"
)

// Hypergeometric is the distribution of the number X of successes in Draws
// draws without replacement from a population of N items of which K are
// successes:
//
//	P(X = k) = C(K, k)·C(N−K, n−k) / C(N, n),   n = Draws,
//
// on the support max(0, n−(N−K)) ≤ k ≤ min(n, K).
//
// Probabilities are computed in log space with Loader's saddle-point form,
//
//	log P(X = k) = log b(k; K, n/N) + log b(n−k; N−K, n/N) − log b(n; N, n/N),
//
// where b is the binomial PMF evaluated without lgamma differences (the
// same method as R's dhyper). For N = 10^7 the relative error is about 1e-15
// at the centre and grows only in proportion to |log P| towards the far
// tails (below 1e-12 where P > 1e-300); the plain lgamma form
// lchoose(K,k) + lchoose(N−K,n−k) − lchoose(N,n) loses about 1e-8 there to
// cancellation between terms of size ~10^8.
//
// The fields must satisfy 0 ≤ K ≤ N and 0 ≤ Draws ≤ N; NewHypergeometric
// checks this, and the methods panic on a value that violates it.
type Hypergeometric struct {
	// N is the population size.
	N int
	// K is the number of successes in the population.
	K int
	// Draws is the number of draws, the n of the formulas.
	Draws int
}

// NewHypergeometric returns the hypergeometric distribution of the successes
// in n draws without replacement from a population of N with K successes.
// It returns an error unless N ≥ 0, 0 ≤ K ≤ N and 0 ≤ n ≤ N.
func NewHypergeometric(N, K, n int) (Hypergeometric, error) {
	h := Hypergeometric{N: N, K: K, Draws: n}
	if err := h.validate(); err != nil {
		return Hypergeometric{}, err
	}
	return h, nil
}

func (h Hypergeometric) validate() error {
	switch {
	case h.N < 0:
		return fmt.Errorf("stats: hypergeometric population N = %d is negative", h.N)
	case h.K < 0 || h.K > h.N:
		return fmt.Errorf("stats: hypergeometric successes K = %d outside [0, N = %d]", h.K, h.N)
	case h.Draws < 0 || h.Draws > h.N:
		return fmt.Errorf("stats: hypergeometric draws n = %d outside [0, N = %d]", h.Draws, h.N)
	}
	return nil
}

// params returns the parameters as int64 after checking them.
func (h Hypergeometric) params() (N, K, n int64) {
	if err := h.validate(); err != nil {
		panic(err)
	}
	return int64(h.N), int64(h.K), int64(h.Draws)
}

// Support returns the smallest and largest values X can take,
// max(0, n−(N−K)) and min(n, K).
func (h Hypergeometric) Support() (lo, hi int) {
	N, K, n := h.params()
	return int(max(0, n-(N-K))), int(min(n, K))
}

// Mean returns E[X] = n·K/N (0 when N = 0).
func (h Hypergeometric) Mean() float64 {
	N, K, n := h.params()
	if N == 0 {
		return 0
	}
	return float64(n) * (float64(K) / float64(N))
}

// mode returns ⌊(n+1)(K+1)/(N+2)⌋, a mode of X, computed exactly.
func (h Hypergeometric) mode() int64 {
	N, K, n := h.params()
	hi, lo := bits.Mul64(uint64(n+1), uint64(K+1))
	m, _ := bits.Div64(hi, lo, uint64(N+2))
	slo, shi := h.Support()
	return min(max(int64(m), int64(slo)), int64(shi))
}

// LogPMF returns log P(X = k), −Inf outside the support.
func (h Hypergeometric) LogPMF(k int) float64 {
	N, K, n := h.params()
	lo, hi := h.Support()
	if k < lo || k > hi {
		return math.Inf(-1)
	}
	if lo == hi {
		return 0
	}
	x := int64(k)
	p := float64(n) / float64(N)
	q := float64(N-n) / float64(N)
	return logBinomPMF(x, K, p, q) + logBinomPMF(n-x, N-K, p, q) - logBinomPMF(n, N, p, q)
}

// PMF returns P(X = k) = C(K, k)·C(N−K, n−k)/C(N, n), 0 outside the support.
func (h Hypergeometric) PMF(k int) float64 {
	return math.Exp(h.LogPMF(k))
}

// CDF returns P(X ≤ k) = Σ_{j ≤ k} P(X = j).
//
// The tail on the far side of the mode from k is summed directly, term by
// term from k outwards with the exact ratio of successive probabilities, and
// stopped once the remainder is provably below 2^-60 of the sum; the other
// side is 1 minus the complementary tail. Small tails therefore keep their
// relative precision, and CDF(k) + Survival(k+1) = 1 up to one rounding.
func (h Hypergeometric) CDF(k int) float64 {
	lo, hi := h.Support()
	switch {
	case k < lo:
		return 0
	case k >= hi:
		return 1
	}
	if int64(k) < h.mode() {
		return h.lower(int64(k))
	}
	return max(0, 1-h.upper(int64(k)+1))
}

// Survival returns P(X ≥ k) = Σ_{j ≥ k} P(X = j), computed like CDF.
// Note that it includes k, unlike gonum's Survival, which is P(X > x).
func (h Hypergeometric) Survival(k int) float64 {
	lo, hi := h.Support()
	switch {
	case k <= lo:
		return 1
	case k > hi:
		return 0
	}
	if int64(k) > h.mode() {
		return h.upper(int64(k))
	}
	return max(0, 1-h.lower(int64(k)-1))
}

// lower returns P(X ≤ k) for lo ≤ k ≤ mode by summing downwards from k.
func (h Hypergeometric) lower(k int64) float64 {
	N, K, n := h.params()
	lo, _ := h.Support()
	// P(j−1)/P(j) = j·(N−K−n+j) / ((K−j+1)·(n−j+1))
	down := func(j int64) float64 {
		return float64(j) * float64(N-K-n+j) / (float64(K-j+1) * float64(n-j+1))
	}
	return sumTail(h.PMF(int(k)), k, int64(lo), -1, down)
}

// upper returns P(X ≥ k) for mode ≤ k ≤ hi by summing upwards from k.
func (h Hypergeometric) upper(k int64) float64 {
	N, K, n := h.params()
	_, hi := h.Support()
	// P(j+1)/P(j) = (K−j)·(n−j) / ((j+1)·(N−K−n+j+1))
	up := func(j int64) float64 {
		return float64(K-j) * float64(n-j) / (float64(j+1) * float64(N-K-n+j+1))
	}
	return sumTail(h.PMF(int(k)), k, int64(hi), +1, up)
}

package stats

import (
	"fmt"
	"math"
)

// BinomialSurvival returns P(X ≥ k) for X ~ Binomial(n, p),
//
//	P(X ≥ k) = Σ_{j=k}^{n} C(n, j)·p^j·(1−p)^(n−j),
//
// which is 1 for k ≤ 0 and 0 for k > n. The starting probability is
// evaluated in log space with Loader's saddle-point form and the tail on the
// far side of the mode is summed term by term with the ratio
// P(j+1)/P(j) = (n−j)/(j+1) · p/(1−p), stopping once the remainder is below
// 2^-60 of the sum; the other side is 1 minus the complementary tail. Upper
// tails thus keep their relative precision, unlike 1 − CDF.
//
// It panics if n < 0 or p is outside [0, 1] (or NaN).
func BinomialSurvival(n int, p float64, k int) float64 {
	if n < 0 {
		panic(fmt.Sprintf("stats: binomial n = %d is negative", n))
	}
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: binomial p = %v outside [0, 1]", p))
	}
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p == 0:
		return 0
	case p == 1:
		return 1
	}
	N, K := int64(n), int64(k)
	q := 1 - p
	mode := min(int64(math.Floor(float64(N+1)*p)), N)
	pq, qp := p/q, q/p
	if K > mode {
		// P(j+1)/P(j) = (n−j)/(j+1) · p/q
		up := func(j int64) float64 { return float64(N-j) / float64(j+1) * pq }
		return sumTail(math.Exp(logBinomPMF(K, N, p, q)), K, N, +1, up)
	}
	// P(X ≥ k) = 1 − P(X ≤ k−1), summed downwards from k−1 < mode.
	// P(j−1)/P(j) = j/(n−j+1) · q/p
	down := func(j int64) float64 { return float64(j) / float64(N-j+1) * qp }
	return max(0, 1-sumTail(math.Exp(logBinomPMF(K-1, N, p, q)), K-1, 0, -1, down))
}

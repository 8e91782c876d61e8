package stats

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// binom returns C(n, k) exactly, 0 outside 0 ≤ k ≤ n.
func binom(n, k int64) *big.Int {
	if k < 0 || k > n {
		return new(big.Int)
	}
	return new(big.Int).Binomial(n, k)
}

// exactHyper returns P(X = k) for every k in 0..n as exact rationals.
func exactHyper(N, K, n int64) []*big.Rat {
	total := binom(N, n)
	out := make([]*big.Rat, n+1)
	for k := int64(0); k <= n; k++ {
		num := new(big.Int).Mul(binom(K, k), binom(N-K, n-k))
		out[k] = new(big.Rat).SetFrac(num, total)
	}
	return out
}

// fall returns the falling factorial n·(n−1)···(n−k+1) exactly.
func fall(n, k int64) *big.Int {
	if k == 0 {
		return big.NewInt(1)
	}
	return new(big.Int).MulRange(n-k+1, n)
}

// exactHyperAt returns P(X = k) exactly for 0 ≤ k ≤ min(K, n), as
// C(n, k)·K^(k)·(N−K)^(n−k) / N^(n) with falling factorials x^(j), swapping
// the roles of K and n (the distribution is symmetric in them) so that the
// products have min(K, n) factors.
func exactHyperAt(N, K, n, k int64) *big.Rat {
	if K < n {
		K, n = n, K
	}
	num := new(big.Int).Mul(binom(n, k), fall(K, k))
	num.Mul(num, fall(N-K, n-k))
	return new(big.Rat).SetFrac(num, fall(N, n))
}

func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// requireRel checks |got − want| ≤ tol·|want|, and exact zeros.
func requireRel(t *testing.T, want, got, tol float64, msgAndArgs ...any) {
	t.Helper()
	if want == 0 {
		require.Zero(t, got, msgAndArgs...)
		return
	}
	require.LessOrEqual(t, math.Abs(got-want), tol*math.Abs(want), msgAndArgs...)
}

func TestNewHypergeometricErrors(t *testing.T) {
	for _, c := range [][3]int{{-1, 0, 0}, {5, 6, 1}, {5, -1, 1}, {5, 2, 6}, {5, 2, -1}} {
		_, err := NewHypergeometric(c[0], c[1], c[2])
		require.Error(t, err, "%v", c)
	}
	for _, c := range [][3]int{{0, 0, 0}, {5, 0, 5}, {5, 5, 0}, {10_000_000, 1, 10_000_000}} {
		_, err := NewHypergeometric(c[0], c[1], c[2])
		require.NoError(t, err, "%v", c)
	}
	require.Panics(t, func() { Hypergeometric{N: 3, K: 4, Draws: 1}.PMF(0) })
}

// TestHypergeometricExact compares PMF, CDF and Survival with exact rational
// values for every parameter triple of a few population sizes.
func TestHypergeometricExact(t *testing.T) {
	for _, N := range []int64{0, 1, 2, 3, 7, 16, 31, 60} {
		for K := int64(0); K <= N; K++ {
			for n := int64(0); n <= N; n++ {
				h, err := NewHypergeometric(int(N), int(K), int(n))
				require.NoError(t, err)
				pmf := exactHyper(N, K, n)
				lo, hi := h.Support()
				require.Equal(t, int(max(0, n-(N-K))), lo)
				require.Equal(t, int(min(n, K)), hi)
				cdf := new(big.Rat)
				sum := 0.0
				for k := int64(-1); k <= n+1; k++ {
					name := fmt.Sprintf("N=%d K=%d n=%d k=%d", N, K, n, k)
					var want float64
					if k >= 0 && k <= n {
						want = ratFloat(pmf[k])
						if k >= int64(lo) && k <= int64(hi) {
							require.Equal(t, pmf[k], exactHyperAt(N, K, n, k))
						}
						cdf.Add(cdf, pmf[k])
					}
					got := h.PMF(int(k))
					sum += got
					requireRel(t, want, got, 1e-13, "PMF "+name)
					wantCDF := ratFloat(cdf)
					requireRel(t, wantCDF, h.CDF(int(k)), 1e-13, "CDF "+name)
					// P(X ≥ k+1) = 1 − P(X ≤ k), exactly.
					surv := new(big.Rat).Sub(big.NewRat(1, 1), cdf)
					requireRel(t, ratFloat(surv), h.Survival(int(k+1)), 1e-13, "Survival "+name)
				}
				require.InDelta(t, 1, sum, 1e-14)
			}
		}
	}
}

// TestHypergeometricLarge checks N = 10^7 against exact big-integer binomials
// and the normalisation, mean and tail consistency.
func TestHypergeometricLarge(t *testing.T) {
	for _, c := range []struct{ N, K, n int64 }{
		{10_000_000, 3_000_000, 1000},
		{10_000_000, 5_000_000, 5000},
		{10_000_000, 100, 2_000_000},
		{10_000_000, 9_999_000, 5000},
	} {
		h, err := NewHypergeometric(int(c.N), int(c.K), int(c.n))
		require.NoError(t, err)
		lo, hi := h.Support()
		mean := h.Mean()
		sd := math.Sqrt(mean * (1 - float64(c.K)/float64(c.N)) * float64(c.N-c.n) / float64(c.N-1))
		// Exact PMF at the mean and at ±3 and ±8 standard deviations.
		for _, dev := range []float64{-8, -3, 0, 3, 8} {
			k := int64(math.Round(mean + dev*sd))
			if k < int64(lo) || k > int64(hi) {
				continue
			}
			want := ratFloat(exactHyperAt(c.N, c.K, c.n, k))
			requireRel(t, want, h.PMF(int(k)), 1e-11, "%+v k=%d", c, k)
		}
		// Normalisation and mean by summing the whole support.
		sum, m1 := 0.0, 0.0
		for k := lo; k <= hi; k++ {
			p := h.PMF(k)
			sum += p
			m1 += float64(k) * p
		}
		require.InDelta(t, 1, sum, 1e-10, "%+v", c)
		require.InEpsilon(t, mean, m1, 1e-10, "%+v", c)
		// CDF and Survival agree with each other everywhere near the bulk.
		for k := int64(math.Round(mean - 10*sd)); k <= int64(math.Round(mean+10*sd)); k += max(1, int64(sd/3)) {
			cdf, surv := h.CDF(int(k)), h.Survival(int(k+1))
			require.InDelta(t, 1, cdf+surv, 1e-15, "%+v k=%d", c, k)
		}
	}
}

// TestHypergeometricSymmetric uses X ~ n − X when K = N/2 to check far tails
// of CDF and Survival against each other, relatively.
func TestHypergeometricSymmetric(t *testing.T) {
	h, err := NewHypergeometric(10_000_000, 5_000_000, 4001)
	require.NoError(t, err)
	for k := 0; k <= 4001; k += 37 {
		requireRel(t, h.CDF(k), h.Survival(4001-k), 1e-10, "k=%d", k)
		requireRel(t, h.PMF(k), h.PMF(4001-k), 1e-11, "k=%d", k)
	}
	// The far tail underflows gracefully and stays relative-accurate in logs.
	require.Less(t, h.LogPMF(0), -2000.0)
	require.Equal(t, math.Inf(-1), h.LogPMF(-1))
}

func BenchmarkHypergeometricPMF(b *testing.B) {
	h, _ := NewHypergeometric(10_000_000, 3_000_000, 1000)
	var sink float64
	for i := range b.N {
		sink += h.PMF(250 + i%100)
	}
	_ = sink
}

func BenchmarkHypergeometricCDF(b *testing.B) {
	for _, c := range []struct{ N, K, n int }{
		{100, 30, 20},
		{10_000_000, 3_000_000, 1000},
		{10_000_000, 5_000_000, 1_000_000},
	} {
		h, _ := NewHypergeometric(c.N, c.K, c.n)
		k := int(h.Mean() * 0.99)
		b.Run(fmt.Sprintf("N=%d,K=%d,n=%d", c.N, c.K, c.n), func(b *testing.B) {
			var sink float64
			for range b.N {
				sink += h.CDF(k)
			}
			_ = sink
		})
	}
}

package stats

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// exactBinomSurvivals returns P(X ≥ k) for k = 0..n+1 and X ~ Binomial(n, p)
// exactly, for the exact binary value of p.
func exactBinomSurvivals(n int64, p float64) []*big.Rat {
	pr := new(big.Rat).SetFloat64(p)
	qr := new(big.Rat).Sub(big.NewRat(1, 1), pr)
	// pp[j] = p^j, qq[j] = q^j
	pp, qq := []*big.Rat{big.NewRat(1, 1)}, []*big.Rat{big.NewRat(1, 1)}
	for j := int64(1); j <= n; j++ {
		pp = append(pp, new(big.Rat).Mul(pp[j-1], pr))
		qq = append(qq, new(big.Rat).Mul(qq[j-1], qr))
	}
	surv := make([]*big.Rat, n+2)
	surv[n+1] = new(big.Rat)
	for j := n; j >= 0; j-- {
		term := new(big.Rat).SetInt(binom(n, j))
		term.Mul(term, pp[j]).Mul(term, qq[n-j])
		surv[j] = new(big.Rat).Add(surv[j+1], term)
	}
	return surv
}

func TestBinomialSurvivalExact(t *testing.T) {
	for _, n := range []int64{0, 1, 2, 5, 17, 60} {
		for _, p := range []float64{0, 1e-9, 0.01, 0.1, 1.0 / 3, 0.5, 0.7, 0.99, 1} {
			surv := exactBinomSurvivals(n, p)
			for k := int64(-1); k <= n+1; k++ {
				want := ratFloat(surv[max(k, 0)])
				got := BinomialSurvival(int(n), p, int(k))
				// Far tails lose precision in proportion to |log P|.
				tol := 1e-13 * max(1, math.Abs(math.Log(want))/50)
				requireRel(t, want, got, tol, "n=%d p=%v k=%d", n, p, k)
			}
		}
	}
}

// TestBinomialSurvivalReference checks large n against tail sums computed
// with mpmath at 40 digits.
func TestBinomialSurvivalReference(t *testing.T) {
	for _, c := range []struct {
		n    int
		p    float64
		k    int
		want float64
	}{
		{100_000, 0.05, 5000, 0.502025961459802241384152735713650157564},
		{1_000_000, 0.5, 501_000, 0.02280414993269104321015483101806850268139},
		{1_000_000, 0.5, 505_000, 7.690777521953675946788433978281914857847e-24},
		{100_000, 0.001, 200, 8.887059167655864653627344698619198139736e-19},
		{10_000_000, 0.3, 3_005_000, 0.0002808318684887788650220590998717459580507},
	} {
		requireRel(t, c.want, BinomialSurvival(c.n, c.p, c.k), 1e-12, "%+v", c)
	}
}

// TestBinomialSurvivalGonum compares with gonum: absolutely with
// 1 − Binomial.CDF(k−1), and relatively in the upper tail with the
// regularised incomplete beta P(X ≥ k) = I_p(k, n−k+1). Gonum's incomplete
// beta is itself only good to about 1e-13 at n = 1000 (n = 1000, p = 0.3,
// k = 295: off by 1.1e-13 from mpmath, where BinomialSurvival is off by 2e-16)
// and 1e-10 at n = 10⁵ (n = 10⁵, p = 0.05, k = 5000: off by 5.6e-11 from the
// mpmath value above), so the tolerances widen with n.
func TestBinomialSurvivalGonum(t *testing.T) {
	for _, n := range []int{1, 10, 100, 1000, 100_000} {
		absTol, relTol := 1e-12, 1e-10
		if n > 1000 {
			absTol, relTol = 1e-9, 1e-8
		}
		for _, p := range []float64{0.001, 0.05, 0.3, 0.5, 0.8, 0.999} {
			b := distuv.Binomial{N: float64(n), P: p}
			step := max(1, n/200)
			for k := 0; k <= n+1; k += step {
				got := BinomialSurvival(n, p, k)
				name := fmt.Sprintf("n=%d p=%v k=%d", n, p, k)
				require.InDelta(t, 1-b.CDF(float64(k-1)), got, absTol, name)
				if k >= 1 && k <= n {
					want := mathext.RegIncBeta(float64(k), float64(n-k+1), p)
					if want > 1e-280 {
						requireRel(t, want, got, relTol, name)
					}
				}
			}
		}
	}
}

func TestBinomialSurvivalPanics(t *testing.T) {
	require.Panics(t, func() { BinomialSurvival(-1, 0.5, 0) })
	require.Panics(t, func() { BinomialSurvival(10, 1.5, 0) })
	require.Panics(t, func() { BinomialSurvival(10, -0.5, 0) })
	require.Panics(t, func() { BinomialSurvival(10, math.NaN(), 0) })
}

func BenchmarkBinomialSurvival(b *testing.B) {
	for _, n := range []int{100, 1_000_000} {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			k := n * 11 / 20
			var sink float64
			for range b.N {
				sink += BinomialSurvival(n, 0.5, k)
			}
			_ = sink
		})
	}
}

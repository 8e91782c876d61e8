package stats

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// CountBelow is a Binomial(n, t/2^32) count: every tail P(X ≥ k) of its
// empirical law against the exact one (BinomialSurvival), within 5
// standard errors, Bonferroni-corrected over the tails tested.
func TestCountBelowBinomial(t *testing.T) {
	const samples = 200_000
	for i, tc := range []struct {
		n int
		p float64
	}{{1, 0.5}, {7, 0.3}, {40, 0.9}, {700, 0.95}, {701, 0.6}} {
		t.Run(fmt.Sprintf("n=%d/p=%v", tc.n, tc.p), func(t *testing.T) {
			th := Threshold32(tc.p)
			p := float64(th) / (1 << 32)
			f := NewFast(uint64(i) + 99)
			hist := make([]int, tc.n+2)
			for range samples {
				var c int
				c, f = f.CountBelow(tc.n, th)
				require.True(t, c >= 0 && c <= tc.n, "count %d of %d", c, tc.n)
				hist[c]++
			}
			// Tails from the top: tail[k] counts samples ≥ k.
			tail := make([]int, tc.n+2)
			for k := tc.n; k >= 0; k-- {
				tail[k] = tail[k+1] + hist[k]
			}
			z := 4.0 + math.Log(float64(tc.n+1))/2 // ~ Bonferroni over n+1 tails
			for k := 0; k <= tc.n; k++ {
				want := BinomialSurvival(tc.n, p, k)
				se := math.Sqrt(max(want*(1-want), 1e-12) / samples)
				got := float64(tail[k]) / samples
				require.InDelta(t, want, got, z*se+1e-9, "P(X ≥ %d)", k)
			}
		})
	}
}

func TestCountBelowEdges(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 64, 65} {
		f := NewFast(5)
		c, g := f.CountBelow(n, 0)
		require.Zero(t, c, "p = 0, n = %d", n)
		require.Equal(t, f.Skip(uint64((n+1)/2)), g, "one draw per two trials, n = %d", n)
		c, _ = f.CountBelow(n, 1<<32)
		require.Equal(t, n, c, "p = 1, n = %d", n)
	}
}

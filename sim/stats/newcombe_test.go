package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binomPMF returns P(Binomial(n, p) = k) for k = 0 … n.
func binomPMF(n int, p float64) []float64 {
	out := make([]float64, n+1)
	for k := range out {
		lc := lgammaInt(n+1) - lgammaInt(k+1) - lgammaInt(n-k+1)
		out[k] = math.Exp(lc + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	}
	return out
}

func lgammaInt(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// TestNewcombeDiffExactCoverage computes the exact coverage of the 95%
// interval (summing the binomial probabilities of every outcome whose
// interval covers p₁ − p₂) over a grid of true proportions: Newcombe reports
// a mean coverage near 95% and no collapse at the edges.
func TestNewcombeDiffExactCoverage(t *testing.T) {
	z := ZForConfidence(0.95)
	const n1, n2 = 30, 40
	var sum, worst float64 = 0, 1
	cases := 0
	for _, p1 := range []float64{0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98} {
		for _, p2 := range []float64{0.05, 0.2, 0.5, 0.8, 0.95} {
			f1, f2 := binomPMF(n1, p1), binomPMF(n2, p2)
			cov := 0.0
			for k1, a := range f1 {
				for k2, b := range f2 {
					lo, hi := NewcombeDiff(int64(k1), n1, int64(k2), n2, z)
					if lo <= p1-p2 && p1-p2 <= hi {
						cov += a * b
					}
				}
			}
			sum += cov
			worst = math.Min(worst, cov)
			cases++
		}
	}
	mean := sum / float64(cases)
	t.Logf("mean %.4f worst %.4f", mean, worst)
	assert.InDelta(t, 0.95, mean, 0.015, "mean coverage")
	assert.Greater(t, worst, 0.90, "worst coverage")
}

// TestNewcombePairedExactCoverage does the same for paired data: n pairs
// whose cells (both, only A, only B, neither) are multinomial.
func TestNewcombePairedExactCoverage(t *testing.T) {
	z := ZForConfidence(0.95)
	const n = 25
	var sum, worst float64 = 0, 1
	cases := 0
	for _, cell := range [][4]float64{
		{0.45, 0.05, 0.05, 0.45}, // strongly correlated, equal margins
		{0.6, 0.2, 0.05, 0.15},
		{0.8, 0.1, 0.0, 0.1}, // B never succeeds alone: B ⊆ A
		{0.25, 0.25, 0.25, 0.25},
		{0.05, 0.1, 0.3, 0.55},
	} {
		theta := cell[1] - cell[2]
		cov := 0.0
		for a := 0; a <= n; a++ {
			for b := 0; a+b <= n; b++ {
				for c := 0; a+b+c <= n; c++ {
					d := n - a - b - c
					lp := lgammaInt(n+1) - lgammaInt(a+1) - lgammaInt(b+1) - lgammaInt(c+1) - lgammaInt(d+1)
					ok := true
					for i, k := range []int{a, b, c, d} {
						if k > 0 {
							if cell[i] == 0 {
								ok = false
								break
							}
							lp += float64(k) * math.Log(cell[i])
						}
					}
					if !ok {
						continue
					}
					lo, hi := NewcombePaired(int64(a), int64(b), int64(c), int64(d), z)
					if lo <= theta && theta <= hi {
						cov += math.Exp(lp)
					}
				}
			}
		}
		sum += cov
		worst = math.Min(worst, cov)
		cases++
	}
	t.Logf("mean %.4f worst %.4f", sum/float64(cases), worst)
	assert.InDelta(t, 0.95, sum/float64(cases), 0.02, "mean coverage")
	assert.Greater(t, worst, 0.90, "worst coverage")
}

func TestNewcombeEdges(t *testing.T) {
	z := ZForConfidence(0.95)
	// Identical outcomes in every pair: the difference is 0 and inside.
	lo, hi := NewcombePaired(70, 0, 0, 30, z)
	assert.LessOrEqual(t, lo, 0.0)
	assert.GreaterOrEqual(t, hi, 0.0)
	// Positive correlation narrows the interval against the unpaired one.
	plo, phi := NewcombePaired(60, 10, 2, 28, z)
	ulo, uhi := NewcombeDiff(70, 100, 62, 100, z)
	assert.Less(t, phi-plo, uhi-ulo)
	// Bounds stay within [−1, 1]; no pairs gives NaN.
	lo, hi = NewcombeDiff(10, 10, 0, 10, z)
	assert.True(t, lo > 0 && hi <= 1)
	lo, _ = NewcombePaired(0, 0, 0, 0, z)
	require.True(t, math.IsNaN(lo))
}

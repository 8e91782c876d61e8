package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Wilson returns the Wilson score interval for a binomial proportion after
// s = successes successes in n trials, at z standard errors:
//
//	p̂ = s/n
//	centre = (p̂ + z²/(2n)) / (1 + z²/n)
//	half   = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/(4n²))
//	[lo, hi] = [centre − half, centre + half]
//
// It is evaluated in the equivalent cancellation-free form
//
//	R  = √(z² + 4s(n−s)/n)
//	lo = 2s² / (n(2s + z² + zR))
//	hi = (2s + z² + zR) / (2(n + z²))
//
// so lo = 0 exactly when s = 0, hi = 1 exactly when s = n, and small lower
// bounds keep full relative precision. With n = 0 there is no information
// and the interval is [0, 1]. Wilson panics if n < 0, if successes is outside
// [0, n], or if z is negative or NaN. See ZForConfidence for z.
func Wilson(successes, n int64, z float64) (lo, hi float64) {
	if n < 0 || successes < 0 || successes > n {
		panic(fmt.Sprintf("stats: Wilson(%d, %d): need 0 ≤ successes ≤ n", successes, n))
	}
	if !(z >= 0) {
		panic(fmt.Sprintf("stats: Wilson z = %v: need z ≥ 0", z))
	}
	if n == 0 {
		return 0, 1
	}
	s, f, nf := float64(successes), float64(n-successes), float64(n)
	z2 := z * z
	R := math.Sqrt(z2 + 4*s*(f/nf))
	d := 2*s + z2 + z*R
	if successes == 0 {
		lo = 0
	} else {
		lo = 2 * s * s / (nf * d)
	}
	if successes == n {
		hi = 1
	} else {
		hi = min(d/(2*(nf+z2)), 1)
	}
	return min(lo, hi), hi
}

// ZForConfidence returns the two-sided standard normal critical value for
// confidence level conf, z = Φ⁻¹((1 + conf)/2), e.g. 1.959964 for 0.95.
// It panics unless 0 ≤ conf < 1.
func ZForConfidence(conf float64) float64 {
	if !(conf >= 0 && conf < 1) {
		panic(fmt.Sprintf("stats: confidence %v outside [0, 1)", conf))
	}
	return distuv.UnitNormal.Quantile((1 + conf) / 2)
}

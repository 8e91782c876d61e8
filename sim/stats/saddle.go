package stats

import "math"

// This file holds the saddle-point machinery of Loader (2000), "Fast and
// accurate computation of binomial probabilities", as used by R's dbinom and
// dhyper. It evaluates log binomial probabilities to near full relative
// precision for any n, where differences of lgamma values of size ~n·log n
// would lose about log10(n·log n) digits to cancellation.

// ln2Pi is log(2π).
const ln2Pi = 1.837877066409345483560659472811235279722794947275566825634

// stirlerrSmall[n] = log(n!) − (n + ½)·log(n) + n − log(√(2π)) for n ≤ 15,
// computed to 20 digits with mpmath; stirlerrSmall[0] is unused.
var stirlerrSmall = [16]float64{
	0,
	0.08106146679532725822,
	0.041340695955409294094,
	0.027677925684998339149,
	0.020790672103765093112,
	0.016644691189821192163,
	0.013876128823070747999,
	0.011896709945891770095,
	0.010411265261972096497,
	0.0092554621827127329177,
	0.0083305634333628712565,
	0.007573675487951840795,
	0.0069428401072095298657,
	0.0064089941880042070684,
	0.0059513701127588477356,
	0.005554733551962801371,
}

// stirlerr returns the error of Stirling's approximation to log(n!),
//
//	δ(n) = log(n!) − (n + ½)·log(n) + n − log(√(2π)),
//
// for an integer n ≥ 0: from a table for n ≤ 15, else from the asymptotic
// series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹).
func stirlerr(n int64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		return stirlerrSmall[n]
	}
	x := float64(n)
	nn := x * x
	switch {
	case n > 500:
		return (s0 - s1/nn) / x
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / x
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / x
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / x
}

// bd0 returns the deviance term x·log(x/np) + np − x without cancellation
// when x is close to np, using the series 2x·Σ_j v^(2j+1)/(2j+1) − (x−np)·v
// with v = (x−np)/(x+np) in that case.
func bd0(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		if math.Abs(s) < math.SmallestNonzeroFloat64 {
			return s
		}
		ej := 2 * x * v
		v *= v
		for j := 1; j < 1000; j++ {
			ej *= v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
	}
	return x*math.Log(x/np) + np - x
}

// logBinomPMF returns log P(X = x) for X ~ Binomial(n, p), with q = 1 − p
// passed separately so callers can supply it without rounding. It is
//
//	δ(n) − δ(x) − δ(n−x) − bd0(x, np) − bd0(n−x, nq) − ½·log(2πx(1 − x/n))
//
// in Loader's form, with the boundary cases x = 0 and x = n handled apart.
func logBinomPMF(x, n int64, p, q float64) float64 {
	if x < 0 || x > n {
		return math.Inf(-1)
	}
	if p == 0 {
		if x == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	if q == 0 {
		if x == n {
			return 0
		}
		return math.Inf(-1)
	}
	nf := float64(n)
	if x == 0 {
		if n == 0 {
			return 0
		}
		if p < 0.1 {
			return -bd0(nf, nf*q) - nf*p
		}
		return nf * math.Log(q)
	}
	if x == n {
		if q < 0.1 {
			return -bd0(nf, nf*p) - nf*q
		}
		return nf * math.Log(p)
	}
	xf := float64(x)
	lc := stirlerr(n) - stirlerr(x) - stirlerr(n-x) - bd0(xf, nf*p) - bd0(nf-xf, nf*q)
	lf := ln2Pi + math.Log(xf) + math.Log1p(-xf/nf)
	return lc - 0.5*lf
}

// tailEps bounds the relative truncation error of sumTail.
const tailEps = 0x1p-60

// sumTail returns Σ pmf(j) for j from j0 to end inclusive in steps of dir
// (±1), given t0 = pmf(j0) and ratio(j) = pmf(j+dir)/pmf(j). The pmf must be
// log-concave and j0 must lie on or beyond the mode in direction dir, so that
// terms decrease geometrically with ratios that only shrink: once the
// current term t and ratio r < 1 satisfy t·r/(1−r) ≤ 2^-60·sum, the rest can
// be dropped. Terms are added in a fixed order, so the result is
// deterministic.
func sumTail(t0 float64, j0, end, dir int64, ratio func(j int64) float64) float64 {
	sum, t := t0, t0
	for j := j0; j != end; j += dir {
		r := ratio(j)
		t *= r
		sum += t
		if t == 0 || (r < 1 && t*r <= tailEps*sum*(1-r)) {
			break
		}
	}
	return sum
}

package stats

import "math"

// NewcombeDiff returns Newcombe's hybrid score interval (his method 10,
// Statistics in Medicine 17:873–890, 1998) for the difference p₁ − p₂ of two
// independent binomial proportions, k1 of n1 and k2 of n2, at normal quantile
// z. With the Wilson intervals [l₁, u₁] and [l₂, u₂] of the two proportions
// and θ̂ = p̂₁ − p̂₂,
//
//	lo = θ̂ − √((p̂₁ − l₁)² + (u₂ − p̂₂)²)
//	hi = θ̂ + √((u₁ − p̂₁)² + (p̂₂ − l₂)²)
//
// Its coverage is close to nominal even near 0 and 1, where the Wald
// interval fails. It returns NaNs when n1 or n2 is 0.
func NewcombeDiff(k1, n1, k2, n2 int64, z float64) (lo, hi float64) {
	return newcombe(k1, n1, k2, n2, 0, z)
}

// NewcombePaired returns Newcombe's interval for the difference of two
// proportions measured on the same n pairs (his method 10 for paired data,
// Statistics in Medicine 17:2635–2650, 1998): both = pairs where both
// succeed, onlyA and onlyB = pairs where only the first or only the second
// does, neither = the rest. With p̂₁ = (both + onlyA)/n, p̂₂ = (both + onlyB)/n,
// their Wilson intervals, and φ the phi coefficient of the 2×2 table (0 when
// a margin is empty),
//
//	lo = θ̂ − √((p̂₁ − l₁)² − 2φ(p̂₁ − l₁)(u₂ − p̂₂) + (u₂ − p̂₂)²)
//	hi = θ̂ + √((u₁ − p̂₁)² − 2φ(u₁ − p̂₁)(p̂₂ − l₂) + (p̂₂ − l₂)²)
//
// A positive correlation between the pairs (common random numbers) narrows
// the interval. It returns NaNs when there are no pairs.
func NewcombePaired(both, onlyA, onlyB, neither int64, z float64) (lo, hi float64) {
	n := both + onlyA + onlyB + neither
	a, b, c, d := float64(both), float64(onlyA), float64(onlyB), float64(neither)
	phi := 0.0
	if den := (a + b) * (c + d) * (a + c) * (b + d); den > 0 {
		phi = (a*d - b*c) / math.Sqrt(den)
	}
	return newcombe(both+onlyA, n, both+onlyB, n, phi, z)
}

func newcombe(k1, n1, k2, n2 int64, phi, z float64) (lo, hi float64) {
	if n1 <= 0 || n2 <= 0 {
		return math.NaN(), math.NaN()
	}
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	l1, u1 := Wilson(k1, n1, z)
	l2, u2 := Wilson(k2, n2, z)
	d := p1 - p2
	dl := math.Sqrt(math.Max(0, sq(p1-l1)-2*phi*(p1-l1)*(u2-p2)+sq(u2-p2)))
	du := math.Sqrt(math.Max(0, sq(u1-p1)-2*phi*(u1-p1)*(p2-l2)+sq(p2-l2)))
	return math.Max(-1, d-dl), math.Min(1, d+du)
}

func sq(x float64) float64 { return x * x }

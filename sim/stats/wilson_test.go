package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// z95 is Φ⁻¹(0.975) to 17 digits.
const z95 = 1.9599639845400542

// Reference values computed with mpmath at 30 digits from the textbook form
// (p̂ + z²/2n ∓ z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
var wilsonCases = []struct {
	s, n   int64
	z      float64
	lo, hi float64
}{
	{0, 10, z95, 0, 0.27753279986288925},
	{1, 10, z95, 0.017876213095072904, 0.4041500267952385},
	{3, 10, z95, 0.10779126740630102, 0.60322185253885468},
	{5, 10, z95, 0.23659309051256398, 0.76340690948743602},
	{9, 10, z95, 0.5958499732047615, 0.9821237869049271},
	{10, 10, z95, 0.72246720013711075, 1},
	{0, 1, z95, 0, 0.79345068562276261},
	{1, 1, z95, 0.20654931437723739, 1},
	{50, 100, z95, 0.40383153036599563, 0.59616846963400437},
	{1, 1000, z95, 0.00017654637062607801, 0.0056425585979579359},
	{999, 1000, z95, 0.99435744140204206, 0.99982345362937392},
	{12345, 100000, z95, 0.12142561775452175, 0.12550331116056454},
	{3, 10, 2.5758293035489008, 0.079566316523065773, 0.67997532079889749},
	{0, 100, 2.5758293035489008, 0, 0.062220687715822987},
	{7, 20, 1, 0.25281475095139693, 0.46147096333431735},
	{7, 20, 0, 0.35, 0.35},
	{0, 0, z95, 0, 1},
	{0, 0, 0, 0, 1},
}

func TestWilson(t *testing.T) {
	for _, c := range wilsonCases {
		lo, hi := Wilson(c.s, c.n, c.z)
		require.InEpsilon(t, c.hi, hi, 1e-14, "hi of %d/%d z=%v", c.s, c.n, c.z)
		if c.lo == 0 {
			require.Zero(t, lo, "lo of %d/%d z=%v", c.s, c.n, c.z)
		} else {
			require.InEpsilon(t, c.lo, lo, 1e-14, "lo of %d/%d z=%v", c.s, c.n, c.z)
		}
	}
}

// TestWilsonTextbook compares with the textbook form over many (s, n) and
// checks the interval's basic properties.
func TestWilsonTextbook(t *testing.T) {
	r := Stream(3, 3)
	for range 10000 {
		n := 1 + r.Int64N(1_000_000)
		s := r.Int64N(n + 1)
		z := 3 * r.Float64()
		lo, hi := Wilson(s, n, z)
		p := float64(s) / float64(n)
		nf := float64(n)
		c := (p + z*z/(2*nf)) / (1 + z*z/nf)
		h := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
		require.InDelta(t, c-h, lo, 1e-12)
		require.InDelta(t, c+h, hi, 1e-12)
		require.True(t, 0 <= lo && lo <= p && p <= hi && hi <= 1, "%d/%d z=%v: [%v, %v]", s, n, z, lo, hi)
	}
}

// TestWilsonSymmetric checks hi(s) = 1 − lo(n−s).
func TestWilsonSymmetric(t *testing.T) {
	for n := int64(1); n < 60; n++ {
		for s := int64(0); s <= n; s++ {
			lo, hi := Wilson(s, n, z95)
			lo2, hi2 := Wilson(n-s, n, z95)
			require.InDelta(t, hi, 1-lo2, 1e-15)
			require.InDelta(t, lo, 1-hi2, 1e-15)
		}
	}
}

func TestWilsonPanics(t *testing.T) {
	require.Panics(t, func() { Wilson(-1, 10, 1) })
	require.Panics(t, func() { Wilson(11, 10, 1) })
	require.Panics(t, func() { Wilson(0, -1, 1) })
	require.Panics(t, func() { Wilson(1, 10, -1) })
	require.Panics(t, func() { Wilson(1, 10, math.NaN()) })
}

func TestZForConfidence(t *testing.T) {
	// Reference values from mpmath: √2·erfinv(conf).
	for _, c := range []struct{ conf, z float64 }{
		{0, 0},
		{0.5, 0.67448975019608174},
		{0.9, 1.6448536269514727},
		{0.95, z95},
		{0.99, 2.5758293035489008},
	} {
		require.InDelta(t, c.z, ZForConfidence(c.conf), 1e-13, "conf %v", c.conf)
	}
	require.Panics(t, func() { ZForConfidence(1) })
	require.Panics(t, func() { ZForConfidence(-0.1) })
	require.Panics(t, func() { ZForConfidence(math.NaN()) })
}

func BenchmarkWilson(b *testing.B) {
	var sink float64
	for i := range b.N {
		lo, hi := Wilson(int64(i%1000), 1000, z95)
		sink += lo + hi
	}
	_ = sink
}

package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestThreshold(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want uint64
	}{
		{math.NaN(), 0},
		{math.Inf(-1), 0},
		{-1, 0},
		{0, 0},
		{math.SmallestNonzeroFloat64, 0},
		{0x1p-64, 1},
		{0x1p-60, 16},
		{0.25, 1 << 62},
		{0.5, 1 << 63},
		{0.75, 3 << 62},
		{math.Nextafter(1, 0), math.MaxUint64 - (1<<11 - 1)},
		{1, math.MaxUint64},
		{1.5, math.MaxUint64},
		{math.Inf(1), math.MaxUint64},
	} {
		require.Equal(t, c.want, Threshold(c.p), "Threshold(%v)", c.p)
	}
	// Monotone, and only p = 1 reaches the reserved maximum.
	prev := uint64(0)
	for i := 0; i <= 1000; i++ {
		p := float64(i) / 1000
		th := Threshold(p)
		require.GreaterOrEqual(t, th, prev)
		if i < 1000 {
			require.Less(t, th, uint64(math.MaxUint64))
			require.InDelta(t, p, float64(th)/0x1p64, 0x1p-53)
		}
		prev = th
	}
}

func TestBernoulliFrequency(t *testing.T) {
	const n = 1_000_000
	for i, p := range []float64{0, 1e-4, 0.01, 0.1, 1.0 / 3, 0.5, 0.9, 0.999, 1} {
		r := Stream(11, uint64(i))
		th := Threshold(p)
		hits, inline := 0, 0
		for range n {
			if Bernoulli(r, th) {
				hits++
			}
			if r.Uint64() < th {
				inline++
			}
		}
		switch p {
		case 0:
			require.Zero(t, hits)
			require.Zero(t, inline)
		case 1:
			require.Equal(t, n, hits, "Bernoulli with p = 1 must always succeed")
			require.Equal(t, n, inline, "inline p = 1 fails with probability 2^-64 per draw")
		default:
			// Within 5 standard errors.
			tol := 5 * math.Sqrt(p*(1-p)/n)
			require.InDelta(t, p, float64(hits)/n, tol, "Bernoulli p = %v", p)
			require.InDelta(t, p, float64(inline)/n, tol, "inline p = %v", p)
		}
	}
}

// TestBernoulliOneDraw checks that Bernoulli consumes exactly one Uint64
// whatever the threshold, including p = 0 and p = 1.
func TestBernoulliOneDraw(t *testing.T) {
	for _, p := range []float64{0, 0.3, 1} {
		a, b := Stream(3, 4), Stream(3, 4)
		th := Threshold(p)
		for range 100 {
			Bernoulli(a, th)
			b.Uint64()
		}
		require.Equal(t, b.Uint64(), a.Uint64(), "p = %v", p)
	}
}

var sinkBool bool

func BenchmarkThreshold(b *testing.B) {
	var sink uint64
	for i := range b.N {
		sink += Threshold(float64(i&1023) / 1024)
	}
	_ = sink
}

// BenchmarkThresholdCompare is the inline draw r.Uint64() < t.
func BenchmarkThresholdCompare(b *testing.B) {
	r := Stream(1, 2)
	th := Threshold(0.3)
	n := 0
	for range b.N {
		if r.Uint64() < th {
			n++
		}
	}
	sinkBool = n > 0
}

func BenchmarkBernoulli(b *testing.B) {
	r := Stream(1, 2)
	th := Threshold(0.3)
	n := 0
	for range b.N {
		if Bernoulli(r, th) {
			n++
		}
	}
	sinkBool = n > 0
}

package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestThreshold32(t *testing.T) {
	tests := []struct {
		p    float64
		want uint64
	}{
		{0, 0}, {-1, 0}, {math.NaN(), 0}, {1, 1 << 32}, {2, 1 << 32},
		{0.5, 1 << 31}, {0.25, 1 << 30}, {1 - 1e-12, 1<<32 - 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Threshold32(tc.p), "p=%v", tc.p)
	}
}

func TestFastFrequencies(t *testing.T) {
	f := NewFast(42)
	const n = 1_000_000
	for _, p := range []float64{0.01, 0.3, 0.5, 0.9, 0.999} {
		th := Threshold32(p)
		hits := 0
		for i := 0; i < n/2; i++ {
			x := f.Uint64()
			if x&0xffffffff < th {
				hits++
			}
			if x>>32 < th {
				hits++
			}
		}
		se := math.Sqrt(p * (1 - p) / n)
		assert.InDelta(t, p, float64(hits)/n, 5*se, "p=%v", p)
	}
}

func TestFastDeterministic(t *testing.T) {
	a, b := NewFast(7), NewFast(7)
	for i := 0; i < 100; i++ {
		assert.Equal(t, a.Uint64(), b.Uint64())
	}
	c, d := NewFast(8), NewFast(7)
	assert.NotEqual(t, d.Uint64(), c.Uint64())
}

func BenchmarkFastUint64(b *testing.B) {
	f := NewFast(1)
	var s uint64
	for i := 0; i < b.N; i++ {
		s += f.Uint64()
	}
	sink = s
}

var sink uint64

// Fast.Bernoulli succeeds with probability t/2^64 (1 for p = 1), like
// Bernoulli: 10^6 trials within 5 standard errors, and exactly at the edges.
func TestFastBernoulli(t *testing.T) {
	const n = 1_000_000
	for i, p := range []float64{0, 1e-4, 0.005, 0.3, 0.5, 0.999, 1} {
		th := Threshold(p)
		f := NewFast(uint64(i) + 3)
		hits := 0
		for range n {
			var ok bool
			ok, f = f.Bernoulli(th)
			if ok {
				hits++
			}
		}
		switch p {
		case 0:
			assert.Zero(t, hits)
		case 1:
			assert.Equal(t, n, hits)
		default:
			assert.InDelta(t, p, float64(hits)/n, 5*math.Sqrt(p*(1-p)/n), "p=%v", p)
		}
	}
	// One draw whatever t.
	f := NewFast(9)
	for _, th := range []uint64{0, 1 << 63, math.MaxUint64} {
		_, g := f.Bernoulli(th)
		assert.Equal(t, f.Skip(1), g)
	}
}

package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestIntMean(t *testing.T) {
	var m IntMean
	require.Zero(t, m.Count())
	require.True(t, math.IsNaN(m.Mean()))
	require.True(t, math.IsNaN(m.Variance()))
	m.Add(7)
	require.Equal(t, 7.0, m.Mean())
	require.True(t, math.IsNaN(m.Variance()))

	for _, c := range []struct {
		name     string
		xs       []int64
		mean     float64
		variance float64
	}{
		{"small", []int64{2, 4, 4, 4, 5, 5, 7, 9}, 5, 32.0 / 7},
		{"negative", []int64{-3, -1, 1, 3}, 0, 20.0 / 3},
		{"thirds", []int64{0, 0, 1}, 1.0 / 3, 1.0 / 3},
		// Catastrophic cancellation in floating point; exact here.
		{"offset", []int64{1e9 + 1, 1e9 + 2, 1e9 + 3}, 1e9 + 2, 1},
		{"extremes", []int64{-math.MaxInt64, math.MaxInt64}, 0, math.Ldexp(1, 127)},
	} {
		var m IntMean
		for _, x := range c.xs {
			m.Add(x)
		}
		require.Equal(t, int64(len(c.xs)), m.Count(), c.name)
		require.Equal(t, c.mean, m.Mean(), c.name)
		require.InEpsilon(t, c.variance, m.Variance(), 1e-15, c.name)
		require.InEpsilon(t, math.Sqrt(c.variance/float64(len(c.xs))), m.StdErr(), 1e-15, c.name)
	}
}

func TestIntMeanMergeOrder(t *testing.T) {
	r := Stream(9, 9)
	xs := make([]int64, 5000)
	for i := range xs {
		xs[i] = r.Int64N(2001) - 1000
	}
	var want IntMean
	for _, x := range xs {
		want.Add(x)
	}
	for round := range 10 {
		parts := make([]IntMean, 1+r.IntN(16))
		for _, x := range xs {
			parts[r.IntN(len(parts))].Add(x)
		}
		var got IntMean
		for _, i := range r.Perm(len(parts)) {
			got.Merge(&parts[i])
		}
		require.Equal(t, want, got, "round %d", round)
		require.Equal(t, want.Mean(), got.Mean())
		require.Equal(t, want.Variance(), got.Variance())
	}
}

func TestIntMeanOverflow(t *testing.T) {
	var m IntMean
	m.Add(math.MaxInt64)
	require.Panics(t, func() { m.Add(1) })
	var n IntMean
	n.Add(math.MinInt64)
	require.Panics(t, func() { n.Add(-1) })
	require.Panics(t, func() { m.Merge(&m) })
	// Σx² overflows 128 bits at the fifth square of 2^63 − 1 (each ≈ 2^126).
	var s IntMean
	for range 2 {
		s.Add(math.MaxInt64)
		s.Add(-math.MaxInt64)
	}
	require.Panics(t, func() { s.Add(math.MaxInt64) })
}

func BenchmarkIntMeanAdd(b *testing.B) {
	var m IntMean
	for i := range b.N {
		m.Add(int64(i & 1023))
	}
	sinkHist = m.Mean()
}

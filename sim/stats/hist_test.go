package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestShareHistBins(t *testing.T) {
	for _, c := range []struct {
		v   float64
		bin int
	}{
		{0, 0},
		{0.00004, 0},
		{0.00006, 1},
		{0.12344, 1234},
		{0.12346, 1235},
		{0.5, 5000},
		{0.99996, 10000},
		{1, 10000},
	} {
		var h ShareHist
		h.Add(c.v)
		require.Equal(t, int64(1), h.Bin(c.bin), "v = %v", c.v)
		require.Equal(t, c.v, h.Min(), "Min at 1e-9 resolution keeps v = %v", c.v)
	}
}

func TestShareHistStats(t *testing.T) {
	h := NewShareHist()
	require.Zero(t, h.Count())
	require.True(t, math.IsNaN(h.Mean()))
	require.True(t, math.IsNaN(h.Min()))
	require.True(t, math.IsNaN(h.Max()))
	require.True(t, math.IsNaN(h.Quantile(0.5)))

	for _, v := range []float64{0.4, 0.1, 0.3, 0.2} {
		h.Add(v)
	}
	require.Equal(t, int64(4), h.Count())
	require.Equal(t, 0.25, h.Mean())
	require.Equal(t, 0.1, h.Min())
	require.Equal(t, 0.4, h.Max())
	for _, c := range []struct{ q, want float64 }{
		{0, 0.1},    // rank 1
		{0.1, 0.1},  // ⌈0.4⌉ = 1
		{0.25, 0.1}, // rank 1 exactly
		{0.26, 0.2}, // ⌈1.04⌉ = 2
		{0.5, 0.2},  // rank 2
		{0.75, 0.3}, // rank 3
		{0.76, 0.4}, // ⌈3.04⌉ = 4
		{1, 0.4},
	} {
		require.Equal(t, c.want, h.Quantile(c.q), "q = %v", c.q)
	}

	// Mean and extremes keep 1e-9 resolution, quantiles report the bin.
	var g ShareHist
	g.Add(0.123456789)
	g.Add(0.123456791)
	require.InDelta(t, 0.12345679, g.Mean(), 1e-17)
	require.Equal(t, 0.123456789, g.Min())
	require.Equal(t, 0.123456791, g.Max())
	require.Equal(t, 0.1235, g.Quantile(0.5))

	// Decimal q rank as written: 0.07·100 is 7, not 8.
	var d ShareHist
	for i := range 100 {
		d.Add(float64(i) / 100)
	}
	require.Equal(t, 0.06, d.Quantile(0.07))
	require.Equal(t, 0.07, d.Quantile(0.0701))
	require.Equal(t, 0.94, d.Quantile(0.95))
	require.Equal(t, 0.49, d.Quantile(0.5))
}

func TestShareHistPanics(t *testing.T) {
	var h ShareHist
	for _, v := range []float64{-1e-300, 1.0000000000000002, math.NaN(), math.Inf(1)} {
		require.Panics(t, func() { h.Add(v) }, "Add(%v)", v)
	}
	h.Add(0.5)
	for _, q := range []float64{-0.1, 1.1, math.NaN()} {
		require.Panics(t, func() { h.Quantile(q) }, "Quantile(%v)", q)
	}
	// The fixed-point sum refuses to wrap.
	h.sum = math.MaxInt64 - 5
	require.Panics(t, func() { h.Add(1) })
	var o ShareHist
	o.Add(1)
	require.Panics(t, func() { h.Merge(&o) })
}

func shareValues(n int) []float64 {
	r := Stream(123, 0)
	vs := make([]float64, n)
	for i := range vs {
		switch r.IntN(10) {
		case 0:
			vs[i] = 0
		case 1:
			vs[i] = 1
		case 2:
			vs[i] = float64(r.IntN(51)) / 50 // exact ratios, often on bin edges
		default:
			vs[i] = r.Float64()
		}
	}
	return vs
}

type histSummary struct {
	Count                            int64
	Mean, Min, Max, P05, P50, P95, Q float64
}

func summarise(h *ShareHist) histSummary {
	return histSummary{h.Count(), h.Mean(), h.Min(), h.Max(),
		h.Quantile(0.05), h.Quantile(0.5), h.Quantile(0.95), h.Quantile(0.999)}
}

// TestShareHistMergeOrder splits 10,000 values into random partitions, merges
// the parts in several orders and groupings, and requires the identical
// state and statistics every time.
func TestShareHistMergeOrder(t *testing.T) {
	vs := shareValues(10000)
	var want ShareHist
	for _, v := range vs {
		want.Add(v)
	}
	wantSum := summarise(&want)

	r := Stream(123, 1)
	for round := range 20 {
		parts := make([]*ShareHist, 1+r.IntN(32))
		for i := range parts {
			parts[i] = NewShareHist()
		}
		// Values in a shuffled order to random parts.
		for _, i := range r.Perm(len(vs)) {
			parts[r.IntN(len(parts))].Add(vs[i])
		}

		// Left fold in a random order.
		var fold ShareHist
		for _, i := range r.Perm(len(parts)) {
			fold.Merge(parts[i])
		}
		require.Equal(t, want, fold, "round %d: fold", round)
		require.Equal(t, wantSum, summarise(&fold), "round %d: fold", round)

		// Pairwise tree merge into copies, in another random order.
		level := make([]*ShareHist, 0, len(parts))
		for _, i := range r.Perm(len(parts)) {
			c := *parts[i]
			level = append(level, &c)
		}
		for len(level) > 1 {
			next := level[:0:0]
			for i := 0; i < len(level); i += 2 {
				if i+1 < len(level) {
					level[i].Merge(level[i+1])
				}
				next = append(next, level[i])
			}
			r.Shuffle(len(next), func(a, b int) { next[a], next[b] = next[b], next[a] })
			level = next
		}
		require.Equal(t, want, *level[0], "round %d: tree", round)
		require.Equal(t, wantSum, summarise(level[0]), "round %d: tree", round)
	}

	// Merging empty histograms, either way round, changes nothing.
	var empty, e2 ShareHist
	c := want
	c.Merge(&empty)
	require.Equal(t, want, c)
	e2.Merge(&want)
	require.Equal(t, want, e2)
}

func TestShareHistMeanExact(t *testing.T) {
	// The mean is the exact fixed-point mean, rounded once.
	var h ShareHist
	for range 3 {
		h.Add(0.1)
	}
	h.Add(0.2)
	require.Equal(t, 0.125, h.Mean())
	h.Reset()
	require.Equal(t, ShareHist{}, h)
	for i := range 3 {
		h.Add(float64(i+1) / 3) // 1/3, 2/3, 1
	}
	// (333333333 + 666666667 + 10⁹) / (3·10⁹)
	require.InDelta(t, 2.0/3, h.Mean(), 1e-16)
}

var sinkHist float64

func BenchmarkShareHistAdd(b *testing.B) {
	var h ShareHist
	r := Stream(1, 1)
	vs := make([]float64, 1024)
	for i := range vs {
		vs[i] = r.Float64()
	}
	b.ResetTimer()
	for i := range b.N {
		h.Add(vs[i&1023])
	}
	sinkHist = float64(h.Count())
}

func BenchmarkShareHistMerge(b *testing.B) {
	var h, o ShareHist
	for _, v := range shareValues(1000) {
		o.Add(v)
	}
	b.ResetTimer()
	for range b.N {
		h.Merge(&o)
		if h.sum > math.MaxInt64/2 {
			h.Reset()
		}
	}
	sinkHist = float64(h.Count())
}

func BenchmarkShareHistQuantile(b *testing.B) {
	var h ShareHist
	for _, v := range shareValues(100000) {
		h.Add(v)
	}
	b.ResetTimer()
	for range b.N {
		sinkHist += h.Quantile(0.95)
	}
}

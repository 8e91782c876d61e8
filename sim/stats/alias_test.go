package stats

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestNewAliasErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		weights []float64
	}{
		{"nil", nil},
		{"empty", []float64{}},
		{"negative", []float64{1, -1, 2}},
		{"negative zero sum", []float64{math.Copysign(0, -1), -1}},
		{"NaN", []float64{1, math.NaN()}},
		{"+Inf", []float64{math.Inf(1), 1}},
		{"-Inf", []float64{1, math.Inf(-1)}},
		{"all zero", []float64{0, 0, 0}},
		{"single zero", []float64{0}},
	} {
		a, err := NewAlias(c.weights)
		require.Error(t, err, c.name)
		require.Nil(t, a, c.name)
	}
}

// impliedProbs returns the exact distribution a table encodes, assuming the
// column and the remainder of a draw are exactly uniform.
func impliedProbs(a *Alias) []float64 {
	n := float64(len(a.col))
	p := make([]float64, len(a.col))
	for i, c := range a.col {
		keep := float64(c.keep) / 0x1p64
		if c.keep == math.MaxUint64 {
			keep = 1
		}
		p[i] += keep / n
		p[c.alias] += (1 - keep) / n
	}
	return p
}

var aliasCases = []struct {
	name    string
	weights []float64
}{
	{"single", []float64{3}},
	{"uniform", []float64{1, 1, 1, 1, 1}},
	{"linear", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	{"zeros", []float64{0, 5, 0, 0, 1, 0, 2, 0}},
	{"skewed", []float64{1e-6, 1, 1e6, 3}},
	{"huge", []float64{1e308, 1e308, 1e308, 1e-300}},
	{"tiny", []float64{5e-324, 1e-320, 0}},
	{"one nonzero", []float64{0, 0, 0, 7, 0}},
	{"powers", func() []float64 {
		w := make([]float64, 64)
		for i := range w {
			w[i] = math.Ldexp(1, -i)
		}
		return w
	}()},
	{"many", func() []float64 {
		r := Stream(77, 0)
		w := make([]float64, 1000)
		for i := range w {
			if r.IntN(4) > 0 {
				w[i] = r.ExpFloat64()
			}
		}
		return w
	}()},
}

// TestAliasExact checks the distribution encoded by the table itself, which
// needs no sampling: it must match the normalised weights to rounding.
func TestAliasExact(t *testing.T) {
	for _, c := range aliasCases {
		a, err := NewAlias(c.weights)
		require.NoError(t, err, c.name)
		require.Equal(t, len(c.weights), a.Len())
		maxW := 0.0
		for _, w := range c.weights {
			maxW = max(maxW, w)
		}
		sum := 0.0
		for _, w := range c.weights {
			sum += w / maxW
		}
		got := impliedProbs(a)
		for i, w := range c.weights {
			want := w / maxW / sum
			require.InDelta(t, want, got[i], 1e-12, "%s: outcome %d", c.name, i)
			if w == 0 {
				require.Zero(t, got[i], "%s: zero weight %d has mass", c.name, i)
			}
		}
		for i, col := range a.col {
			require.True(t, col.alias >= 0 && col.alias < len(a.col), "%s: alias out of range", c.name)
			require.NotZero(t, c.weights[col.alias], "%s: column %d aliases a zero weight", c.name, i)
			if c.weights[i] == 0 {
				require.Zero(t, col.keep, "%s: zero weight %d keeps its column", c.name, i)
			}
		}
	}
}

func TestAliasDeterministic(t *testing.T) {
	for _, c := range aliasCases {
		a, err := NewAlias(c.weights)
		require.NoError(t, err)
		b, err := NewAlias(append([]float64(nil), c.weights...))
		require.NoError(t, err)
		require.Equal(t, a, b, c.name)
	}
}

// TestAliasChiSquare samples each table and applies Pearson's chi-square
// test at the 0.9999 quantile (the stream is fixed, so the outcome is too).
func TestAliasChiSquare(t *testing.T) {
	const n = 1_000_000
	for ci, c := range aliasCases {
		a, err := NewAlias(c.weights)
		require.NoError(t, err)
		r := Stream(2024, uint64(ci))
		counts := make([]int, a.Len())
		for range n {
			counts[a.Sample(r)]++
		}
		want := impliedProbs(a)
		chi2, df := 0.0, -1
		for i, p := range want {
			if p == 0 {
				require.Zero(t, counts[i], "%s: zero-weight outcome %d drawn", c.name, i)
				continue
			}
			e := p * n
			chi2 += (float64(counts[i]) - e) * (float64(counts[i]) - e) / e
			df++
		}
		if df == 0 {
			continue // one possible outcome: all draws must be it
		}
		limit := distuv.ChiSquared{K: float64(df)}.Quantile(0.9999)
		require.Less(t, chi2, limit, "%s: chi-square with %d df", c.name, df)
	}
}

func TestAliasSampleNoAllocs(t *testing.T) {
	a, err := NewAlias([]float64{1, 2, 3})
	require.NoError(t, err)
	r := Stream(1, 1)
	allocs := testing.AllocsPerRun(1000, func() { a.Sample(r) })
	require.Zero(t, allocs)
}

// TestAliasOneDraw checks that each sample consumes exactly one Uint64.
func TestAliasOneDraw(t *testing.T) {
	a, err := NewAlias([]float64{1, 0, 2, 3})
	require.NoError(t, err)
	r, s := Stream(8, 9), Stream(8, 9)
	for range 100 {
		a.Sample(r)
		s.Uint64()
	}
	require.Equal(t, s.Uint64(), r.Uint64())
}

func BenchmarkAliasSample(b *testing.B) {
	for _, n := range []int{4, 64, 4096, 1 << 20} {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			r := Stream(5, 5)
			w := make([]float64, n)
			for i := range w {
				w[i] = r.ExpFloat64()
			}
			a, err := NewAlias(w)
			if err != nil {
				b.Fatal(err)
			}
			sink := 0
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				sink += a.Sample(r)
			}
			_ = sink
		})
	}
}

func BenchmarkNewAlias(b *testing.B) {
	r := Stream(5, 6)
	w := make([]float64, 1000)
	for i := range w {
		w[i] = r.ExpFloat64()
	}
	b.ReportAllocs()
	for range b.N {
		if _, err := NewAlias(w); err != nil {
			b.Fatal(err)
		}
	}
}

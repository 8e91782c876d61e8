package sweep

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVary(t *testing.T) {
	tests := []struct {
		arg     string
		kind    ParamKind
		values  []string
		errPart string
	}{
		{arg: "stages[name=election].elect.surplus=0.05:0.25:0.05", kind: Grid, values: []string{"0.05", "0.10", "0.15", "0.20", "0.25"}},
		{arg: "k=0.05:1:0.05", kind: Grid, values: nil}, // 20 values, checked below
		{arg: "units[0].seats=10:30:10", kind: Grid, values: []string{"10", "20", "30"}},
		{arg: "k=-0.1:0.1:0.1", kind: Grid, values: []string{"-0.1", "0.0", "0.1"}},
		{arg: "k=1:2", kind: Interval},
		{arg: "k=0:0.5", kind: Interval},
		{arg: "k=expanded, full", kind: List, values: []string{"expanded", "full"}},
		{arg: "k=[a, b],{x: 1},'p,q'", kind: List, values: []string{"[a, b]", "{x: 1}", "'p,q'"}},
		{arg: "units[name=A=B].seats=3", kind: List, values: []string{"3"}},
		{arg: "k=a:b", kind: List, values: []string{"a:b"}},
		{arg: "run.trials=1,2", errPart: "run settings cannot be swept"},
		{arg: "RUN.seed=1,2", errPart: "run settings cannot be swept"},
		{arg: "k=0.3:0.1:0.1", errPart: "start ≤ stop"},
		{arg: "k=0:1:0", errPart: "step > 0"},
		{arg: "k=1:1", errPart: "lo < hi"},
		{arg: "k=", errPart: "no values"},
		{arg: "k=a,,b", errPart: "empty value"},
		{arg: "novalue", errPart: "expected KEY=SPEC"},
		{arg: "k=0:1:0.0000001", errPart: "more than"},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			p, err := ParseVary(tc.arg)
			if tc.errPart != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.errPart)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.kind, p.Kind)
			if tc.values != nil {
				assert.Equal(t, tc.values, p.Values)
			}
		})
	}
	p, err := ParseVary("k=0.05:1:0.05")
	require.NoError(t, err)
	require.Len(t, p.Values, 20, "binary rounding must not lose the last grid value")
	assert.Equal(t, "0.30", p.Values[5])
	assert.Equal(t, "1.00", p.Values[19])
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		spec        string
		first, last string
		n           int
	}{
		{"0:0.25:0.005", "0.000", "0.250", 51},
		{"0:1", "0.00", "1.00", 101},
		{"0:0.25", "0.000", "0.250", 251},
		{"0:200", "0", "200", 201},
		{"2:9:1", "2", "9", 8},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			p, err := ParseRange("k", tc.spec)
			require.NoError(t, err)
			assert.Equal(t, tc.first, p.Values[0])
			assert.Equal(t, tc.last, p.Values[len(p.Values)-1])
			assert.Len(t, p.Values, tc.n)
		})
	}
	_, err := ParseRange("k", "a,b")
	assert.ErrorContains(t, err, "range")
}

func mustParams(t testing.TB, args ...string) []*Param {
	t.Helper()
	var ps []*Param
	for _, a := range args {
		p, err := ParseVary(a)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	return ps
}

func TestGridIsFullFactorialLastKeyFastest(t *testing.T) {
	d, err := NewDesign(DesignGrid, mustParams(t, "a=1,2", "b=x,y,z"), 0)
	require.NoError(t, err)
	pts := d.Enumerate(7)
	require.Len(t, pts, 6)
	var got []string
	for i, p := range pts {
		assert.Equal(t, i, p.Index)
		got = append(got, p.Values[0]+p.Values[1])
	}
	assert.Equal(t, []string{"1x", "1y", "1z", "2x", "2y", "2z"}, got)
	assert.Equal(t, []string{"a=2", "b=y"}, d.Sets(pts[4]))
}

func TestNewDesignErrors(t *testing.T) {
	tests := []struct {
		name    string
		kind    string
		args    []string
		points  int
		errPart string
	}{
		{"nothing", DesignGrid, nil, 0, "nothing to sweep"},
		{"twice", DesignGrid, []string{"a=1,2", "A=3"}, 0, "varied twice"},
		{"interval on grid", DesignGrid, []string{"a=0:1"}, 0, "needs a Latin-hypercube design"},
		{"points on grid", DesignGrid, []string{"a=0:1:0.5"}, 5, "a number of points is for a Latin-hypercube design"},
		{"lhs without points", DesignLHS, []string{"a=0:1"}, 0, "points"},
		{"unknown", "sobol", []string{"a=0:1"}, 4, "unknown design"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDesign(tc.kind, mustParams(t, tc.args...), tc.points)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.errPart)
		})
	}
}

func TestLatinHypercubeStratifiesEveryKey(t *testing.T) {
	const n = 40
	d, err := NewDesign(DesignLHS, mustParams(t, "x=0:1", "y=10:50:1", "z=a,b,c,d"), n)
	require.NoError(t, err)
	pts := d.Enumerate(3)
	require.Len(t, pts, n)
	xs := map[int]int{}
	ys := map[int]int{}
	zs := map[string]int{}
	for _, p := range pts {
		x, err := strconv.ParseFloat(p.Values[0], 64)
		require.NoError(t, err)
		y, err := strconv.Atoi(p.Values[1]) // a grid gives its own values
		require.NoError(t, err)
		require.True(t, x >= 0 && x <= 1 && y >= 10 && y <= 50, "%v", p.Values)
		xs[min(int(x*n), n-1)]++
		ys[y]++
		zs[p.Values[2]]++
	}
	// Every one of the n strata of x holds one point, but for values that
	// rounding to six digits moved across a stratum's edge.
	assert.GreaterOrEqual(t, len(xs), n-1)
	for y, c := range ys {
		assert.LessOrEqual(t, c, 2, "40 strata over the 41 values 10…50: a value lies in at most two strata (%d)", y)
	}
	assert.Equal(t, map[string]int{"a": 10, "b": 10, "c": 10, "d": 10}, zs)

	again := d.Enumerate(3)
	assert.Equal(t, pts, again, "the same seed gives the same design")
	other := d.Enumerate(4)
	assert.NotEqual(t, pts[0].Values, other[0].Values, "another seed gives another design")
}

func TestPointSeedDependsOnlyOnSeedAndPoint(t *testing.T) {
	a, err := NewDesign(DesignGrid, mustParams(t, "k=0.1:0.5:0.1"), 0)
	require.NoError(t, err)
	b, err := NewDesign(DesignGrid, mustParams(t, "k=0.3,0.5"), 0)
	require.NoError(t, err)
	for _, p := range a.Enumerate(9) {
		assert.Equal(t, uint64(9), p.Seed, "common random numbers: every point has the base seed")
	}
	a.Independent, b.Independent = true, true
	assert.Equal(t, RandomIndependent, a.Definition(9, 1, nil).RandomNumbers)
	pa, pb := a.Enumerate(9), b.Enumerate(9)
	assert.Equal(t, pa[2].Seed, pb[0].Seed, "k=0.3 has one seed whatever its index or design")
	assert.Equal(t, pa[4].Seed, pb[1].Seed)
	assert.NotEqual(t, pa[2].Seed, a.Enumerate(10)[2].Seed, "the base seed matters")

	// Key order does not matter; the seed stays below 2^48 and is never 0.
	s1 := PointSeed(1, []string{"a", "b"}, []string{"1", "2"})
	s2 := PointSeed(1, []string{"b", "a"}, []string{"2", "1"})
	assert.Equal(t, s1, s2)
	seen := map[uint64]bool{}
	for _, p := range a.Enumerate(9) {
		assert.Equal(t, PointSeed(9, []string{"k"}, p.Values), p.Seed)
		assert.Less(t, p.Seed, uint64(1)<<48)
		assert.NotZero(t, p.Seed)
		assert.False(t, seen[p.Seed])
		seen[p.Seed] = true
	}
}

func TestShard(t *testing.T) {
	d, err := NewDesign(DesignGrid, mustParams(t, "k=1:10:1"), 0)
	require.NoError(t, err)
	pts := d.Enumerate(1)
	covered := map[int]int{}
	for k := 1; k <= 3; k++ {
		for _, p := range Shard(pts, k, 3) {
			assert.Equal(t, k-1, p.Index%3)
			covered[p.Index]++
		}
	}
	assert.Len(t, covered, 10)
	for _, spec := range []string{"0/3", "4/3", "1/0", "a/b", "1/3x", " 1/3"} {
		_, _, err := ParseShard(spec)
		assert.Error(t, err, spec)
	}
	k, n, err := ParseShard("2/5")
	require.NoError(t, err)
	assert.Equal(t, [2]int{2, 5}, [2]int{k, n})
}

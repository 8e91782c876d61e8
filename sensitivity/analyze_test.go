package sensitivity

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ishigami is f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³, with a
// fourth, dummy input.
func ishigami(x []float64) []float64 {
	const a, b = 7, 0.1
	return []float64{math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])}
}

// ishigamiIndices are the analytic S1 and ST of Ishigami (a = 7, b = 0.1).
func ishigamiIndices() (s1, st []float64) {
	const a, b = 7.0, 0.1
	pi4, pi8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v1 := 0.5 * math.Pow(1+b*pi4/5, 2)
	v2 := a * a / 8
	v13 := b * b * pi8 * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13
	return []float64{v1 / v, v2 / v, 0, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v, 0}
}

// sobolG is the Sobol G function Π (|4xᵢ − 2| + aᵢ) / (1 + aᵢ) on [0, 1]^d.
func sobolG(a []float64) Func {
	return func(x []float64) []float64 {
		g := 1.0
		for i, ai := range a {
			g *= (math.Abs(4*x[i]-2) + ai) / (1 + ai)
		}
		return []float64{g}
	}
}

// sobolGIndices are the G function's analytic S1 and ST.
func sobolGIndices(a []float64) (s1, st []float64) {
	vi := make([]float64, len(a))
	prod := 1.0
	for i, ai := range a {
		vi[i] = 1 / (3 * (1 + ai) * (1 + ai))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	for i := range a {
		s1 = append(s1, vi[i]/v)
		st = append(st, vi[i]*prod/(1+vi[i])/v)
	}
	return s1, st
}

func box(n int, lo, hi float64) []Param {
	names := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"}
	out := make([]Param, n)
	for i := range out {
		out[i] = Param{Name: names[i], Lo: lo, Hi: hi}
	}
	return out
}

func TestSobolRecoversAnalyticIndices(t *testing.T) {
	gA := []float64{0, 1, 4.5, 9, 99, 99}
	ishS1, ishST := ishigamiIndices()
	gS1, gST := sobolGIndices(gA)
	tests := []struct {
		name     string
		params   []Param
		f        Func
		s1, st   []float64
		sampler  string
		n        int
		maxWidth float64 // of any interval
	}{
		{"ishigami+dummy halton", box(4, -math.Pi, math.Pi), func(x []float64) []float64 { return ishigami(x) }, ishS1, ishST, Halton, 4096, 0.15},
		{"ishigami+dummy random", box(4, -math.Pi, math.Pi), func(x []float64) []float64 { return ishigami(x) }, ishS1, ishST, Random, 8192, 0.15},
		{"G function halton", box(6, 0, 1), sobolG(gA), gS1, gST, Halton, 4096, 0.15},
		{"G function random", box(6, 0, 1), sobolG(gA), gS1, gST, Random, 8192, 0.15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Analyse(tc.params, []string{"y"}, tc.f, Options{Method: Sobol, N: tc.n, Sampler: tc.sampler, Seed: 42})
			require.NoError(t, err)
			require.Len(t, res.Outputs, 1)
			out := res.Outputs[0]
			for i, p := range tc.params {
				pi := out.Param(p.Name)
				for _, c := range []struct {
					ix   Index
					want float64
				}{{pi.Index(S1), tc.s1[i]}, {pi.Index(ST), tc.st[i]}} {
					t.Logf("%s %s: %.4f [%.4f, %.4f], analytic %.4f", p.Name, c.ix.Name, c.ix.Estimate, c.ix.Low, c.ix.High, c.want)
					assert.LessOrEqual(t, c.ix.Low, c.want, "%s %s", p.Name, c.ix.Name)
					assert.GreaterOrEqual(t, c.ix.High, c.want, "%s %s", p.Name, c.ix.Name)
					assert.InDelta(t, c.want, c.ix.Estimate, 0.05, "%s %s", p.Name, c.ix.Name)
					assert.Less(t, c.ix.High-c.ix.Low, tc.maxWidth, "%s %s", p.Name, c.ix.Name)
				}
			}
		})
	}
}

func TestSobolDummyIsExactlyZero(t *testing.T) {
	res, err := Analyse(box(4, -math.Pi, math.Pi), []string{"y"}, ishigami, Options{N: 512, Seed: 1})
	require.NoError(t, err)
	dummy := res.Outputs[0].Param("x4")
	for _, ix := range dummy.Indices {
		assert.Equal(t, Index{Name: ix.Name}, ix, "an input the model ignores")
	}
}

func TestSobolConstantOutputIsUndefined(t *testing.T) {
	res, err := Analyse(box(2, 0, 1), []string{"const", "sum"}, func(x []float64) []float64 { return []float64{3, x[0] + x[1]} }, Options{N: 256, Seed: 1})
	require.NoError(t, err)
	c := res.Outputs[0]
	assert.NotEmpty(t, c.Note)
	assert.True(t, math.IsNaN(c.Param("x1").Index(S1).Estimate))
	// The linear sum: S1 = ST = ½ for both.
	for _, p := range []string{"x1", "x2"} {
		for _, name := range []string{S1, ST} {
			assert.InDelta(t, 0.5, res.Outputs[1].Param(p).Index(name).Estimate, 0.03, "%s %s", p, name)
		}
	}
}

func TestMorrisLinear(t *testing.T) {
	// f = 3 x1 − 2 x2 + 0.5 x3 + 0 x4 on [0,1]³ × [0,2]: μ* = |cᵢ| × range,
	// μ keeps the sign, σ = 0.
	params := []Param{{"x1", 0, 1}, {"x2", 0, 1}, {"x3", 0, 2}, {"x4", 0, 1}}
	f := func(x []float64) []float64 { return []float64{3*x[0] - 2*x[1] + 0.5*x[2] + 0*x[3]} }
	want := []float64{3, -2, 1, 0}
	for _, design := range []string{Campolongo, Plain} {
		for _, levels := range []int{4, 6} {
			res, err := Analyse(params, []string{"y"}, f, Options{Method: Morris, Trajectories: 20, Levels: levels, TrajectoryDesign: design, Seed: 3})
			require.NoError(t, err)
			require.Equal(t, 20*5, res.Evaluations)
			for i, p := range params {
				pi := res.Outputs[0].Param(p.Name)
				assert.InDelta(t, math.Abs(want[i]), pi.Index(MuStar).Estimate, 1e-9, "%s %s p=%d", design, p.Name, levels)
				assert.InDelta(t, want[i], pi.Index(Mu).Estimate, 1e-9, "%s %s", design, p.Name)
				assert.InDelta(t, 0, pi.Index(Sigma).Estimate, 1e-9, "%s %s", design, p.Name)
				ms := pi.Index(MuStar)
				assert.InDelta(t, ms.Estimate, ms.Low, 1e-9)
				assert.InDelta(t, ms.Estimate, ms.High, 1e-9)
			}
		}
	}
}

func TestMorrisRanksIshigami(t *testing.T) {
	res, err := Analyse(box(4, -math.Pi, math.Pi), []string{"y"}, ishigami, Options{Method: Morris, Trajectories: 50, Seed: 5})
	require.NoError(t, err)
	out := res.Outputs[0]
	ms := func(p string) Index { return out.Param(p).Index(MuStar) }
	for _, p := range []string{"x1", "x2", "x3"} {
		assert.Greater(t, ms(p).Low, 0.0, "%s matters", p)
		assert.Greater(t, out.Param(p).Index(Sigma).Estimate, 0.0, "%s is non-linear", p)
	}
	assert.Equal(t, Index{Name: MuStar}, ms("x4"), "the dummy")
	assert.Equal(t, 0.0, out.Param("x4").Index(Sigma).High)
}

func TestCampolongoSpreadsTrajectories(t *testing.T) {
	spread := func(des *Design) float64 {
		d := len(des.Params)
		var ts []trajectory
		for k := 0; k < len(des.Unit); k += d + 1 {
			ts = append(ts, trajectory{points: des.Unit[k : k+d+1]})
		}
		s := 0.0
		for i := range ts {
			for j := i + 1; j < len(ts); j++ {
				dist := trajectoryDistance(ts[i], ts[j])
				s += dist * dist
			}
		}
		return math.Sqrt(s)
	}
	plain, err := NewDesign(box(5, 0, 1), Options{Method: Morris, Trajectories: 10, TrajectoryDesign: Plain, Seed: 9})
	require.NoError(t, err)
	camp, err := NewDesign(box(5, 0, 1), Options{Method: Morris, Trajectories: 10, Seed: 9})
	require.NoError(t, err)
	assert.Greater(t, spread(camp), spread(plain))
	for _, des := range []*Design{plain, camp} {
		for _, u := range des.Unit {
			for _, v := range u {
				assert.True(t, v >= 0 && v <= 1)
				k := v * 3 // levels 0, ⅓, ⅔, 1
				assert.InDelta(t, math.Round(k), k, 1e-12)
			}
		}
	}
}

func TestDeterministicForAnyWorkers(t *testing.T) {
	des, err := NewDesign(box(3, -math.Pi, math.Pi), Options{N: 300, Seed: 11})
	require.NoError(t, err)
	f := func(_ context.Context, x []float64) ([]float64, error) { return ishigami(append(x, 0)), nil }
	var results []*Result
	for _, w := range []int{1, 2, 7} {
		y, err := des.Evaluate(context.Background(), f, w, nil)
		require.NoError(t, err)
		res, err := des.Analyze([]string{"y"}, y)
		require.NoError(t, err)
		results = append(results, res)
	}
	assert.Equal(t, results[0], results[1])
	assert.Equal(t, results[0], results[2])
}

func TestEvaluateStopsOnErrorAndCancel(t *testing.T) {
	des, err := NewDesign(box(2, 0, 1), Options{N: 100, Seed: 1})
	require.NoError(t, err)
	boom := errors.New("boom")
	_, err = des.Evaluate(context.Background(), func(_ context.Context, x []float64) ([]float64, error) {
		if x[0] > 0.5 {
			return nil, boom
		}
		return []float64{x[0]}, nil
	}, 2, nil)
	require.ErrorIs(t, err, boom)
	var ee *EvalError
	require.ErrorAs(t, err, &ee)

	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err = des.Evaluate(ctx, func(_ context.Context, x []float64) ([]float64, error) {
		if calls++; calls == 10 {
			cancel()
		}
		return []float64{x[0]}, nil
	}, 1, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 10, calls)
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name   string
		params []Param
		opts   Options
		want   string
	}{
		{"no params", nil, Options{}, "no parameters"},
		{"empty range", []Param{{"x", 1, 1}}, Options{}, "lo < hi"},
		{"twice", []Param{{"x", 0, 1}, {"x", 0, 1}}, Options{}, "twice"},
		{"method", box(1, 0, 1), Options{Method: "fast"}, "unknown method"},
		{"odd levels", box(1, 0, 1), Options{Method: Morris, Levels: 3}, "even"},
		{"one trajectory", box(1, 0, 1), Options{Method: Morris, Trajectories: 1}, "at least 2"},
		{"few candidates", box(1, 0, 1), Options{Method: Morris, Trajectories: 5, Candidates: 4}, "candidates"},
		{"sampler", box(1, 0, 1), Options{Sampler: "sobol"}, "unknown sampler"},
		{"confidence", box(1, 0, 1), Options{Confidence: 1}, "confidence"},
		{"N", box(1, 0, 1), Options{N: 1}, "at least 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDesign(tc.params, tc.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

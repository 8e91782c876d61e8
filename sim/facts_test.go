package sim_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
	"simulate/sim"
)

func share(v float64) *float64 { return &v }

func TestShareFact(t *testing.T) {
	base := sim.ShareResult{Name: "women", Label: "Women", Samples: 400, Mean: 0.275, P05: 0.2636, P50: 0.275, P95: 0.2862}
	tests := []struct {
		name       string
		published  *float64
		samples    int64
		ok         bool
		reproduced bool
		verdict    string
	}{
		{"nothing published", nil, 400, false, false, ""},
		{"inside", share(0.27), 400, true, true, "27.0% in [26.4%, 28.6%]"},
		{"exactly at p05", share(0.2636), 400, true, true, "26.4% in [26.4%, 28.6%]"},
		{"exactly at p95", share(0.2862), 400, true, true, "28.6% in [26.4%, 28.6%]"},
		{"one bin below p05", share(0.2635), 400, true, false, "26.35% < p05 26.36%"},
		{"one bin above p95", share(0.2863), 400, true, false, "28.63% > p95 28.62%"},
		{"far below", share(0.20), 400, true, false, "20.0% < p05 26.4%"},
		{"far above", share(0.35), 400, true, false, "35.0% > p95 28.6%"},
		{"bound as a sum of floats", share(0.3), 400, true, true, "30.0% in [30.0%, 40.0%]"},
		{"share never defined", share(0), 0, true, false, "never defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			s.Published, s.Samples = tc.published, tc.samples
			if tc.samples == 0 {
				s.Mean, s.P05, s.P50, s.P95 = 0, 0, 0, 0
			}
			if tc.name == "bound as a sum of floats" {
				// 0.1 + 0.2 is 0.30000000000000004, above the published 0.3:
				// the tolerance absorbs the float noise.
				a, b := 0.1, 0.2
				s.P05, s.P95 = a+b, 0.4
				require.Greater(t, s.P05, *tc.published)
			}
			f, ok := sim.ShareFact(s)
			require.Equal(t, tc.ok, ok)
			if !ok {
				return
			}
			assert.Equal(t, sim.FactShare, f.Kind)
			assert.Equal(t, "women", f.Name)
			assert.Equal(t, *tc.published, f.Published.Share)
			assert.Empty(t, f.Published.Outcome)
			assert.Equal(t, s.Mean, f.Model)
			assert.Equal(t, s.P05, f.Low)
			assert.Equal(t, s.P95, f.High)
			assert.Contains(t, f.Criterion, "90% predictive interval [p05, p95]")
			assert.Equal(t, tc.reproduced, f.Reproduced)
			assert.Equal(t, tc.verdict, f.Verdict())
		})
	}
}

func TestTargetFact(t *testing.T) {
	tests := []struct {
		name       string
		outcome    string
		met        int64
		reproduced bool
		verdict    string
	}{
		{"nothing published", "", 200, false, ""},
		{"met, P exactly 0.5", scenario.PublishedMet, 200, true, "P 0.500 ≥ 0.5"},
		{"met, P just below 0.5", scenario.PublishedMet, 199, false, "P 0.497 < 0.5"},
		{"met, P 1", scenario.PublishedMet, 400, true, "P 1.000 ≥ 0.5"},
		{"met, P 0", scenario.PublishedMet, 0, false, "P 0.000 < 0.5"},
		{"missed, P exactly 0.5", scenario.PublishedMissed, 200, true, "P 0.500 ≤ 0.5"},
		{"missed, P just above 0.5", scenario.PublishedMissed, 201, false, "P 0.502 > 0.5"},
		{"missed, P 0", scenario.PublishedMissed, 0, true, "P 0.000 ≤ 0.5"},
		{"unknown outcome", "perhaps", 200, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const trials = 400
			tr := sim.TargetResult{Name: "women_above_members", Label: "above", Met: tc.met,
				Probability: float64(tc.met) / trials, CILow: 0.1, CIHigh: 0.9}
			f, ok := sim.TargetFact(tr, tc.outcome)
			wantOK := tc.verdict != ""
			require.Equal(t, wantOK, ok)
			if !ok {
				return
			}
			assert.Equal(t, sim.FactTarget, f.Kind)
			assert.Equal(t, tc.outcome, f.Published.Outcome)
			assert.Equal(t, tr.Probability, f.Model)
			assert.Equal(t, 0.1, f.Low)
			assert.Equal(t, 0.9, f.High)
			assert.Contains(t, f.Criterion, "P(met)")
			assert.Equal(t, tc.reproduced, f.Reproduced)
			assert.Equal(t, tc.verdict, f.Verdict())
		})
	}
}

func TestCheckFacts(t *testing.T) {
	targets := []sim.TargetResult{
		{Name: "a", Met: 10, Probability: 1},
		{Name: "b", Met: 0, Probability: 0},
		{Name: "c", Met: 5, Probability: 0.5},
		{Name: "undeclared", Probability: 1},
	}
	shares := []sim.ShareResult{
		{Name: "s1", Samples: 10, Mean: 0.3, P05: 0.2, P95: 0.4, Published: share(0.4)},
		{Name: "s2", Samples: 10, Mean: 0.3, P05: 0.2, P95: 0.4},
		{Name: "s3", Samples: 10, Mean: 0.3, P05: 0.2, P95: 0.4, Published: share(0.1)},
	}
	tests := []struct {
		name       string
		sc         scenario.Scenario
		shares     []sim.ShareResult
		nilResult  bool
		reproduced int
		names      []string
	}{
		{"no facts", scenario.Scenario{Targets: []scenario.Target{{Name: "a"}, {Name: "b"}}, Shares: []scenario.Share{{Name: "s2"}}},
			shares[1:2], true, 0, nil},
		{"targets only", scenario.Scenario{Targets: []scenario.Target{
			// Scenario order differs from the results': items follow the results.
			{Name: "b", Published: scenario.PublishedMissed}, {Name: "a", Published: scenario.PublishedMet}, {Name: "c"}}},
			nil, false, 2, []string{"a", "b"}},
		{"targets then shares", scenario.Scenario{Targets: []scenario.Target{
			{Name: "a", Published: scenario.PublishedMet}, {Name: "b", Published: scenario.PublishedMet},
			{Name: "c", Published: scenario.PublishedMissed}},
			Shares: []scenario.Share{{Name: "s1", Source: "yearbook"}, {Name: "s2"}, {Name: "s3"}}},
			shares, false, 3, []string{"a", "b", "c", "s1", "s3"}},
		{"shares only", scenario.Scenario{}, shares, false, 1, []string{"s1", "s3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := sim.CheckFacts(&tc.sc, targets, tc.shares)
			if tc.nilResult {
				require.Nil(t, fc)
				return
			}
			require.NotNil(t, fc)
			var names []string
			n := 0
			for _, f := range fc.Items {
				names = append(names, f.Name)
				if f.Reproduced {
					n++
				}
			}
			assert.Equal(t, tc.names, names)
			assert.Equal(t, len(tc.names), fc.Total)
			assert.Equal(t, tc.reproduced, fc.Reproduced)
			assert.Equal(t, n, fc.Reproduced)
		})
	}
	fc := sim.CheckFacts(&scenario.Scenario{Targets: []scenario.Target{{Name: "a", Published: scenario.PublishedMet, Source: "notice"}},
		Shares: []scenario.Share{{Name: "s1", Source: "yearbook"}}}, targets, shares[:1])
	require.NotNil(t, fc)
	assert.Equal(t, "notice", fc.Items[0].Source)
	assert.Equal(t, "yearbook", fc.Items[1].Source)
}

func TestFactJSON(t *testing.T) {
	fc := &sim.FactCheck{Reproduced: 1, Total: 2, Items: []sim.Fact{
		{Kind: sim.FactTarget, Name: "a", Published: sim.FactValue{Outcome: scenario.PublishedMet}, Model: 0.25, Low: 0.1, High: 0.4, Criterion: "c"},
		{Kind: sim.FactShare, Name: "s", Published: sim.FactValue{Share: 0.597}, Model: 0.6, Low: 0.58, High: 0.61, Criterion: "c", Reproduced: true},
	}}
	data, err := json.Marshal(fc)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"published":"met"`)
	assert.Contains(t, string(data), `"published":0.597`)
	var back sim.FactCheck
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, *fc, back)
	assert.Equal(t, "met", back.Items[0].Published.String())
	assert.Equal(t, "59.7%", back.Items[1].Published.String())
	var bad sim.FactValue
	assert.Error(t, json.Unmarshal([]byte(`{}`), &bad))
}

// The teaching scenario publishes nothing; published values set on it with
// overrides (as --set does) are checked after a run.
func TestFactsOfARun(t *testing.T) {
	res := run(t, embedded(t, "teaching"), 200, 0)
	assert.Nil(t, res.Facts, "a scenario without published facts has no fact check")

	sc := embedded(t, "teaching",
		"targets[name=women].published=met", "targets[name=young].published=missed",
		"shares[name=women].published=0.3", "shares[name=front_line].published=0.95")
	res = run(t, sc, 200, 0)
	require.NotNil(t, res.Facts)
	fc := res.Facts
	assert.Equal(t, 4, fc.Total)
	var names []string
	for _, f := range fc.Items {
		names = append(names, f.Kind+" "+f.Name)
	}
	assert.Equal(t, []string{"target women", "target young", "share women", "share front_line"}, names)
	young := target(t, res, "young")
	require.Greater(t, young.Probability, 0.5, "teaching meets the young target almost always")
	assert.False(t, fc.Items[1].Reproduced, "published missed, P(met) > 0.5")
	assert.Equal(t, young.Probability, fc.Items[1].Model)
	assert.True(t, fc.Items[2].Reproduced, "30% women is the pool's share")
	assert.False(t, fc.Items[3].Reproduced, "95% front-line is far above p95")
	assert.Equal(t, res.Shares[1].P95, fc.Items[3].High)
	n := 0
	for _, f := range fc.Items {
		if f.Reproduced {
			n++
		}
	}
	assert.Equal(t, n, fc.Reproduced)

	// The same check survives a JSON round trip of the whole result.
	data, err := json.Marshal(res)
	require.NoError(t, err)
	var back sim.Result
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, *res, back)
}

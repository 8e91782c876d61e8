package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata/draw.yaml nominates 20 people from a pool that is 30% women: the
// women nominated are Binomial(20, 0.3), and P(at least K) is 0.9645,
// 0.8929, 0.7625, 0.5836 for K = 3…6.
const drawScenario = "testdata/draw.yaml"

func TestSolveFindsAKnownThreshold(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		answer string
		lines  []string
	}{
		{"largest count with P ≥ 0.8",
			[]string{"--param", "targets[name=women].min_count", "--range", "0:20:1", "--at-least", "0.8", "--largest"},
			"4", []string{"bracket: [4, 5]", "at 4: P = 0.8", "at 5: P = 0.7", "(not reached)", "trials used:"}},
		{"smallest count with P ≤ 0.7, KEY=RANGE form",
			[]string{"--param", "targets[name=women].min_count=0:20:1", "--at-most", "0.7"},
			"6", []string{"bracket: [5, 6]"}},
		// The exact crossing is W* = 1.678 (sweep's exactWeight(0.8)).
		{"share criterion: at least 7 of 20 women, by their nomination weight",
			[]string{"--param", "stages[name=nomination].nominate.weights[0].values.female=0.5:6:0.05", "--at-least", "0.8", "--target", "women>=0.35"},
			"", []string{"P(women>=0.35) ≥ 0.8", "bracket: [1.60, 1.70]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"solve", drawScenario, "--target", "women", "--trials", "500", "--quiet"}, tc.args...)
			out, errOut, code := execute(t, args...)
			require.Equal(t, 0, code, errOut)
			if tc.answer != "" {
				assert.Contains(t, out, "answer: targets[name=women].min_count = "+tc.answer+"\n")
			}
			for _, l := range tc.lines {
				assert.Contains(t, out, l)
			}
		})
	}
}

func TestSolveJSON(t *testing.T) {
	out, errOut, code := execute(t, "solve", drawScenario, "--param", "targets[name=women].min_count", "--range", "0:20:1",
		"--target", "women", "--at-least", "0.8", "--largest", "--trials", "500", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var sol struct {
		Found  bool `json:"found"`
		Answer struct {
			Value string `json:"value"`
			Seed  uint64 `json:"seed"`
		} `json:"answer"`
		Bracket []struct {
			Value   string `json:"value"`
			Verdict string `json:"verdict"`
		} `json:"bracket"`
		TrialsUsed int64  `json:"trials_used"`
		Version    string `json:"version"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sol))
	assert.True(t, sol.Found)
	assert.Equal(t, "4", sol.Answer.Value)
	require.Len(t, sol.Bracket, 2)
	assert.Equal(t, "reached", sol.Bracket[0].Verdict)
	assert.Equal(t, "not reached", sol.Bracket[1].Verdict)
	assert.Positive(t, sol.TrialsUsed)
	assert.Equal(t, "test", sol.Version)
}

func TestSolveNotFoundAndUsage(t *testing.T) {
	out, errOut, code := execute(t, "solve", drawScenario, "--param", "targets[name=women].min_count", "--range", "15:20:1",
		"--target", "women", "--at-least", "0.5", "--trials", "200")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "answer: none in the range")
	assert.Contains(t, errOut, "no value of targets[name=women].min_count in 15:20:1 reaches the level")

	tests := []struct {
		name    string
		args    []string
		errPart string
	}{
		{"no param", []string{"--range", "0:1", "--target", "women", "--at-least", "0.5"}, "--param KEY is required"},
		{"no range", []string{"--param", "k", "--target", "women", "--at-least", "0.5"}, "--range"},
		{"range twice", []string{"--param", "k=0:1", "--range", "0:1", "--target", "women", "--at-least", "0.5"}, "give the range once"},
		{"no target", []string{"--param", "k", "--range", "0:1", "--at-least", "0.5"}, "--target is required"},
		{"no level", []string{"--param", "k", "--range", "0:1", "--target", "women"}, "exactly one of --at-least"},
		{"two levels", []string{"--param", "k", "--range", "0:1", "--target", "women", "--at-least", "0.5", "--at-most", "0.6"}, "exactly one"},
		{"level 1", []string{"--param", "k", "--range", "0:1", "--target", "women", "--at-least", "1"}, "strictly between 0 and 1"},
		{"unknown target", []string{"--param", "k", "--range", "0:1", "--target", "men", "--at-least", "0.5"}, "no target \"men\""},
		{"bad range", []string{"--param", "k", "--range", "1:0", "--target", "women", "--at-least", "0.5"}, "--range"},
		{"single value", []string{"--param", "k", "--range", "1:1.5:1", "--target", "women", "--at-least", "0.5"}, "single value"},
		{"invalid value", []string{"--param", "targets[name=women].min_count", "--range", "0:1:0.5", "--target", "women", "--at-least", "0.5"}, "min_count: expected an integer"},
		{"run key", []string{"--param", "run.trials", "--range", "1:5:1", "--target", "women", "--at-least", "0.5"}, "run settings"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, append([]string{"solve", drawScenario, "--quiet"}, tc.args...)...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, tc.errPart)
			assert.Empty(t, out)
		})
	}
}

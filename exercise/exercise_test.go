package exercise_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/exercise"
)

func embedded(t *testing.T) []*exercise.Exercise {
	t.Helper()
	all, err := exercise.Load(configs.Exercises())
	require.NoError(t, err)
	return all
}

func TestEmbeddedExercises(t *testing.T) {
	all := embedded(t)
	require.GreaterOrEqual(t, len(all), 8)
	kinds := map[string]bool{}
	seen := map[string]bool{}
	for i, ex := range all {
		assert.Equal(t, i+1, ex.Number, "exercises are numbered 1, 2, 3 …")
		assert.False(t, seen[ex.ID], "duplicate id %s", ex.ID)
		seen[ex.ID] = true
		kinds[ex.Answer.Kind] = true
		assert.NotEmpty(t, ex.Hints, ex.ID)
		assert.NotEmpty(t, ex.Explanation, ex.ID)
		assert.NotEmpty(t, ex.Wrong, ex.ID)
		assert.LessOrEqual(t, ex.Trials, exercise.MaxTrials, ex.ID)
		// The scenario loads with the strict loader, as a student's copy would.
		_, err := ex.LoadScenario()
		require.NoError(t, err, ex.ID)
		got, ok := exercise.Find(all, ex.ID)
		require.True(t, ok)
		assert.Same(t, ex, got)
	}
	for _, k := range []string{exercise.KindLeast, exercise.KindEstimate, exercise.KindChoice, exercise.KindFeasible} {
		assert.True(t, kinds[k], "no exercise of kind %s", k)
	}
	ex, ok := exercise.Find(all, "1")
	require.True(t, ok, "find by number")
	assert.Equal(t, 1, ex.Number)
}

// TestExerciseAnswers checks every exercise's reference answer against its
// own check, and wrong answers against theirs, with the explanation given.
func TestExerciseAnswers(t *testing.T) {
	all := embedded(t)
	wrong := map[string][]struct{ answer, because string }{
		"nomination-surplus": {{"1", "Not enough"}, {"2", "More than needed"}, {"0.7", "steps of 0.5"}, {"0", "not valid"}},
		"voter-bias":         {{"5", "too low"}, {"60", "too high"}},
		"full-vs-expanded":   {{"0", "too low"}},
		"uncontested":        {{"plain", "Highland has the highest value"}},
		"infeasible-quota":   {{"60", "Not feasible"}, {"50", "not the largest"}, {"56.5", "whole percentage"}},
		"province-women":     {{"Riverside", "Islands has the highest value"}},
		"majority-entitled":  {{"0.7", "Not enough"}, {"0.8", "More than needed"}},
		"objections":         {{"2.6", "too high"}},
	}
	for _, ex := range all {
		t.Run(ex.ID, func(t *testing.T) {
			t.Parallel()
			g, err := exercise.Check(context.Background(), ex, ex.Answer.Reference)
			require.NoError(t, err)
			assert.True(t, g.Correct, "reference answer %s rejected: %s", ex.Answer.Reference, strings.Join(g.Lines, " "))
			assert.Equal(t, ex.Trials, g.Trials)
			assert.Equal(t, ex.Seed, g.Seed)
			cases, ok := wrong[ex.ID]
			require.True(t, ok, "no wrong answers tested for %s", ex.ID)
			for _, w := range cases {
				g, err := exercise.Check(context.Background(), ex, w.answer)
				require.NoError(t, err, w.answer)
				assert.False(t, g.Correct, "%s accepted", w.answer)
				text := strings.Join(g.Lines, "\n")
				assert.Contains(t, text, w.because, "answer %s", w.answer)
				assert.Contains(t, text, strings.TrimSpace(ex.Wrong), "the idea behind the question follows")
			}
		})
	}
}

func TestUnusableAnswers(t *testing.T) {
	all := embedded(t)
	tests := []struct{ id, answer string }{
		{"nomination-surplus", "lots"},
		{"voter-bias", "NaN"},
		{"uncontested", "Lowland"},
		{"infeasible-quota", "half"},
	}
	for _, tc := range tests {
		ex, ok := exercise.Find(all, tc.id)
		require.True(t, ok)
		_, err := exercise.Check(context.Background(), ex, tc.answer)
		assert.ErrorIs(t, err, exercise.ErrBadAnswer, "%s %q", tc.id, tc.answer)
	}
}

// TestGreatest grades a "greatest" exercise built in memory on an embedded
// scenario: the greatest integrity veto rate that keeps the women target.
func TestGreatest(t *testing.T) {
	scen, err := fs.ReadFile(configs.Exercises(), "01-nomination-surplus/scenario.yaml")
	require.NoError(t, err)
	yaml := `id: veto-rate
title: The greatest veto rate
question: How strict may the inspection be?
hints: [try]
scenario: s.yaml
trials: 300
seed: 5
answer:
  kind: greatest
  reference: "0.1"
  template: "stages[name=inspection].filter.vetoes=[{reason: integrity, rate: {value}}]"
  min: 0
  max: 0.4
  step: 0.1
  target: women
  probability: 0.6
explanation: right
wrong: think
`
	fsys := fstest.MapFS{
		"01-veto-rate/exercise.yaml": {Data: []byte(yaml)},
		"01-veto-rate/s.yaml":        {Data: scen},
	}
	all, err := exercise.Load(fsys)
	require.NoError(t, err)
	ex := all[0]
	// Find the greatest qualifying value by scanning, then grade around it.
	p := map[string]float64{}
	for _, v := range []string{"0", "0.1", "0.2", "0.3", "0.4"} {
		g, err := exercise.Check(context.Background(), ex, v)
		require.NoError(t, err)
		require.NotEmpty(t, g.Evidence)
		p[v] = g.Evidence[0].Value
	}
	best := ""
	for _, v := range []string{"0", "0.1", "0.2", "0.3", "0.4"} {
		if p[v] >= 0.6 {
			best = v
		}
	}
	require.NotEmpty(t, best, "no rate qualifies: %v", p)
	for v := range p {
		g, err := exercise.Check(context.Background(), ex, v)
		require.NoError(t, err)
		want := v == best
		// The grid is monotone here, so exactly the greatest qualifying value passes.
		assert.Equal(t, want, g.Correct, "rate %s (P %v): %s", v, p, strings.Join(g.Lines, " "))
	}
}

func TestLoadRejectsBrokenExercises(t *testing.T) {
	scen, err := fs.ReadFile(configs.Exercises(), "05-infeasible-quota/scenario.yaml")
	require.NoError(t, err)
	base := "id: x\ntitle: t\nquestion: q\nscenario: s.yaml\ntrials: 10\nseed: 1\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", base + "colour: red\nanswer: {kind: estimate}\n", "colour"},
		{"bad kind", base + "answer: {kind: guess, reference: '1'}\n", "answer.kind"},
		{"unknown target", base + "answer: {kind: largest_feasible_share, reference: '1', target: nobody}\n", "not a target"},
		{"too many trials", strings.Replace(base, "trials: 10", "trials: 5000", 1) + "answer: {kind: largest_feasible_share, reference: '1', target: men, with: [women]}\n", "trials"},
		{"overlapping groups", base + "answer: {kind: largest_feasible_share, reference: '1', target: men, with: [men]}\n", "same people"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := exercise.Load(fstest.MapFS{
				"01-x/exercise.yaml": {Data: []byte(tc.yaml)},
				"01-x/s.yaml":        {Data: scen},
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

package exercise_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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
		"nomination-surplus": {{"1", "Not enough"}, {"2", "More than needed"}, {"0", "not valid"}},
		"voter-bias":         {{"5", "too low"}, {"60", "too high"}},
		"full-vs-expanded":   {{"0", "too low"}},
		"uncontested":        {{"plain", "Plain does not have the highest value"}},
		"infeasible-quota":   {{"60", "Not feasible"}, {"50", "not the largest"}},
		"province-women":     {{"Riverside", "Riverside does not have the highest value"}},
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
				assertNoGiveaway(t, ex, w.answer, g)
			}
		})
	}
}

// assertNoGiveaway checks that the verdict on a wrong answer does not give
// the right one away: no reference answer in its words or its JSON, and
// evidence about the answer given only.
func assertNoGiveaway(t *testing.T, ex *exercise.Exercise, answer string, g *exercise.Grade) {
	t.Helper()
	// The evidence's measurements (probabilities, intervals) are about the
	// answer given and may equal the reference by coincidence (a probability
	// of 0.75 where the answer is a turnout of 0.75): the words and the
	// settings are searched, not those numbers.
	words := *g
	words.Evidence = nil
	for _, ev := range g.Evidence {
		words.Evidence = append(words.Evidence, exercise.Evidence{Setting: ev.Setting, Measure: ev.Measure})
	}
	js, err := json.Marshal(words)
	require.NoError(t, err)
	ref := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(ex.Answer.Reference) + `([^0-9]|$)`)
	assert.NotRegexp(t, ref, string(js), "answer %s: the verdict names the reference answer %s", answer, ex.Answer.Reference)
	assert.NotContains(t, string(js), strings.TrimSpace(ex.Explanation), "answer %s: the solution's explanation is shown", answer)
	for _, ev := range g.Evidence {
		switch ex.Answer.Kind {
		case exercise.KindLeast, exercise.KindGreatest:
			assert.True(t, strings.HasSuffix(ev.Setting, "="+answer) || strings.Contains(ev.Setting, " "+answer+"}"),
				"answer %s: evidence about another value: %s", answer, ev.Setting)
		case exercise.KindChoice:
			assert.True(t, strings.HasPrefix(strings.ToLower(ev.Setting), strings.ToLower(answer)+":"),
				"answer %s: evidence about another option: %s", answer, ev.Setting)
		case exercise.KindFeasible:
			assert.Contains(t, ev.Setting, " "+answer+"%", "answer %s: evidence about another share", answer)
		default:
			t.Errorf("answer %s: a wrong estimate shows the model's measurement: %+v", answer, ev)
		}
	}
}

func TestUnusableAnswers(t *testing.T) {
	all := embedded(t)
	tests := []struct{ id, answer, why string }{
		{"nomination-surplus", "lots", "not a number"},
		{"nomination-surplus", "0.7", "steps of 0.5"},
		{"nomination-surplus", "3.5", "from 0 to 3"},
		{"majority-entitled", "-1", "not one of them"},
		{"voter-bias", "NaN", "not a number"},
		{"uncontested", "Lowland", "not one of the options"},
		{"infeasible-quota", "half", "not a number"},
		{"infeasible-quota", "56.5", "whole percentage"},
		{"infeasible-quota", "101", "whole percentage"},
	}
	for _, tc := range tests {
		ex, ok := exercise.Find(all, tc.id)
		require.True(t, ok)
		_, err := exercise.Check(context.Background(), ex, tc.answer)
		require.ErrorIs(t, err, exercise.ErrBadAnswer, "%s %q", tc.id, tc.answer)
		assert.Contains(t, err.Error(), tc.why)
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

// TestLoadProblemsHaveLines checks that a lecturer's mistakes are reported
// with the file, the line and the field, and the nearest right name.
func TestLoadProblemsHaveLines(t *testing.T) {
	scen, err := fs.ReadFile(configs.Exercises(), "05-infeasible-quota/scenario.yaml")
	require.NoError(t, err)
	base := "id: x\ntitle: t\nquestion: q\nscenario: s.yaml\ntrials: 10\nseed: 1\n"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"misspelt key", base + "answer:\n  kind: largest_feasible_share\n  reference: '1'\n  traget: men\n",
			[]string{"lecturer/01-x/exercise.yaml: invalid exercise", "line 10: answer.traget: unknown field; did you mean \"target\"?"}},
		{"misspelt target", base + "answer:\n  kind: largest_feasible_share\n  reference: '1'\n  target: mne\n",
			[]string{"line 10: answer.target: \"mne\" is not a target of the scenario; did you mean \"men\"?"}},
		{"wrong type", strings.Replace(base, "trials: 10", "trials: many", 1) + "answer: {kind: estimate}\n",
			[]string{"line 5: trials: expected an integer, got \"many\""}},
		{"missing keys", "id: x\nscenario: s.yaml\nanswer:\n  kind: estimate\n  measure: {of: target_probabilty, target: men}\n",
			[]string{"title: required", "question: required", "trials: required", "seed: required"}},
		{"bad answer", base + "answer:\n  kind: estimate\n  measure: {of: target_probabilty, target: men}\n",
			[]string{"answer.reference: required", "line 9: answer.measure.of: \"target_probabilty\": did you mean \"target_probability\"?", "line 7: answer.tolerance: must be > 0"}},
		{"missing scenario file", strings.Replace(base, "s.yaml", "nope.yaml", 1) + "answer: {kind: estimate}\n",
			[]string{"line 4: scenario: cannot read lecturer/01-x/nope.yaml"}},
		{"syntax", base + "answer: [\n", []string{"line 7"}},
		{"empty", "", []string{"empty file"}},
		{"id differs", strings.Replace(base, "id: x", "id: y", 1) + "answer: {kind: largest_feasible_share, reference: '1', target: men, with: [women]}\n",
			[]string{"line 1: id: \"y\" differs from the directory name 01-x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := exercise.LoadFrom(fstest.MapFS{
				"01-x/exercise.yaml": {Data: []byte(tc.yaml)},
				"01-x/s.yaml":        {Data: scen},
			}, "lecturer")
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestLoadFromDirectory loads a lecturer's directory written as the
// embedded exercises are, and refuses a directory without exercises.
func TestLoadFromDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"exercise.yaml", "scenario.yaml"} {
		data, err := fs.ReadFile(configs.Exercises(), "02-voter-bias/"+name)
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "07-voter-bias"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "07-voter-bias", name), data, 0o644))
	}
	all, err := exercise.LoadFrom(os.DirFS(dir), dir)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, 7, all[0].Number)
	g, err := exercise.Check(context.Background(), all[0], all[0].Answer.Reference)
	require.NoError(t, err)
	assert.True(t, g.Correct)

	_, err = exercise.LoadFrom(os.DirFS(t.TempDir()), "empty")
	require.ErrorContains(t, err, "no exercises in empty")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "Extra Exercise"), 0o755))
	_, err = exercise.LoadFrom(os.DirFS(dir), dir)
	require.ErrorContains(t, err, "want a name NN-id, like 01-extra-exercise")
}

// FuzzParse feeds arbitrary exercise files to the parser: it never panics,
// and it either returns an exercise or a located error.
func FuzzParse(f *testing.F) {
	entries, err := fs.ReadDir(configs.Exercises(), ".")
	require.NoError(f, err)
	for _, e := range entries {
		data, err := fs.ReadFile(configs.Exercises(), e.Name()+"/exercise.yaml")
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("answer:\n  options:\n    - {name: a, of: [1]}\n"))
	f.Add([]byte("trials: {a: 1}\nhints: 3\n"))
	f.Add([]byte("- 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := exercise.Parse("ex.yaml", data)
		if err != nil {
			require.Nil(t, ex)
			require.Contains(t, err.Error(), "ex.yaml")
			return
		}
		require.NotNil(t, ex)
	})
}

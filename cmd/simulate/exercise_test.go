package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
)

func TestExerciseCommands(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"list", []string{"exercise", "list"}, 0, []string{"nomination-surplus", "infeasible-quota", "objections"}, ""},
		{"show", []string{"exercise", "show", "voter-bias"}, 0, []string{"Question", "Hints", "name: ex-voter-bias", "simulate exercise check voter-bias"}, ""},
		{"show by number with solution", []string{"exercise", "show", "5", "--solution"}, 0, []string{"Solution: 56"}, ""},
		{"correct", []string{"exercise", "check", "infeasible-quota", "--answer", "56"}, 0, []string{"✓ correct", "⌈13.11⌉ = 14"}, ""},
		{"wrong", []string{"exercise", "check", "uncontested", "--answer", "Plain"}, 1, []string{"✗ not correct", "Plain does not have the highest value"}, "is not correct"},
		{"off the grid", []string{"exercise", "check", "nomination-surplus", "--answer", "0.7"}, 2, nil, "steps of 0.5"},
		{"not a whole percentage", []string{"exercise", "check", "infeasible-quota", "--answer", "56.5"}, 2, nil, "whole percentage"},
		{"misspelt exercise", []string{"exercise", "show", "voter-bais"}, 2, nil, `did you mean "voter-bias"?`},
		{"handout", []string{"exercise", "handout", "voter-bias"}, 0, []string{"# Exercise 2:", "## Question", "```yaml", "simulate exercise check voter-bias --answer VALUE"}, ""},
		{"handout html", []string{"exercise", "handout", "all", "--format", "html"}, 0, []string{"<!DOCTYPE html>", `<section id="objections">`}, ""},
		{"handout into a .pdf", []string{"exercise", "handout", "1", "--format", "html", "--out", "ex.pdf"}, 2, nil, "write to ex.html"},
		{"no such exercise directory", []string{"exercise", "list", "--exercises", "/no/such/dir"}, 2, nil, "not a directory"},
		{"json", []string{"exercise", "check", "infeasible-quota", "--answer", "60", "--format", "json"}, 1, []string{`"correct": false`, `"explanation": [`}, "is not correct"},
		{"unreadable answer", []string{"exercise", "check", "voter-bias", "--answer", "lots"}, 2, nil, "not a number"},
		{"no answer", []string{"exercise", "check", "voter-bias"}, 2, nil, "--answer"},
		{"unknown exercise", []string{"exercise", "show", "nope"}, 2, nil, "no exercise"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			for _, s := range tc.stdout {
				assert.Contains(t, out, s)
			}
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}

// TestExerciseScenarioRuns saves an exercise's scenario as a student would
// and runs it.
func TestExerciseScenarioRuns(t *testing.T) {
	out, _, code := execute(t, "exercise", "show", "objections", "--scenario")
	require.Equal(t, 0, code)
	path := filepath.Join(t.TempDir(), "ex.yaml")
	require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
	res, errOut, code := execute(t, "run", path, "--trials", "50", "--quiet")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, res, "ex-objections")
}

// TestHandoutHasNoAnswers writes every exercise's handout in both formats
// and looks for the answer, its explanation and the wrong-answer feedback.
func TestHandoutHasNoAnswers(t *testing.T) {
	all, err := loadExercises("")
	require.NoError(t, err)
	for _, format := range []string{"md", "html"} {
		out, errOut, code := execute(t, "exercise", "handout", "all", "--format", format)
		require.Equal(t, 0, code, errOut)
		for _, ex := range all {
			assert.Contains(t, out, ex.Title[:20], "%s: exercise %s missing", format, ex.ID)
			for _, secret := range []string{ex.Explanation, ex.Wrong} {
				first := strings.Fields(secret)
				assert.NotContains(t, out, strings.Join(first[:min(8, len(first))], " "), "%s: %s gives its answer away", format, ex.ID)
			}
			assert.NotContains(t, out, "reference", format)
			assert.NotContains(t, out, "Solution", format)
		}
	}
}

// TestLecturerExercises loads a lecturer's directory with --exercises: a
// working exercise is listed, shown, checked and handed out with the
// directory in its commands; a broken one is reported with file and line.
func TestLecturerExercises(t *testing.T) {
	dir := t.TempDir()
	copyExercise := func(from, to string) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, to), 0o755))
		for _, name := range []string{"exercise.yaml", "scenario.yaml"} {
			data, err := fs.ReadFile(configs.Exercises(), from+"/"+name)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, to, name), data, 0o644))
		}
	}
	copyExercise("08-objections", "01-objections")
	out, errOut, code := execute(t, "exercise", "list", "--exercises", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "1  objections")
	assert.NotContains(t, out, "nomination-surplus")
	assert.Contains(t, out, "simulate exercise check --exercises "+dir+" ID --answer VALUE")
	out, errOut, code = execute(t, "exercise", "handout", "objections", "--exercises", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "simulate exercise check --exercises "+dir+" objections --answer VALUE")
	_, errOut, code = execute(t, "exercise", "check", "1", "--exercises", dir, "--answer", "100")
	assert.Equal(t, 1, code, errOut)

	path := filepath.Join(dir, "01-objections", "exercise.yaml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	broken := strings.Replace(string(data), "seed:", "sede:", 1)
	require.NoError(t, os.WriteFile(path, []byte(broken), 0o644))
	_, errOut, code = execute(t, "exercise", "list", "--exercises", dir)
	assert.Equal(t, 2, code)
	assert.Regexp(t, `01-objections/exercise.yaml: invalid exercise: line \d+: sede: unknown field; did you mean "seed"\?`, errOut)
}

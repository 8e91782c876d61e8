package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		{"wrong", []string{"exercise", "check", "uncontested", "--answer", "Plain"}, 1, []string{"✗ not correct", "Highland has the highest value"}, "is not correct"},
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

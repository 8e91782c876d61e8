package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunPrecisionIsReproducible(t *testing.T) {
	args := []string{"run", "teaching", "--trials", "100", "--precision", "0.03", "--format", "json", "--quiet"}
	one, errOut, code := execute(t, append(args, "--workers", "1")...)
	require.Equal(t, 0, code, errOut)
	three, errOut, code := execute(t, append(args, "--workers", "3")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, one, three, "the same bytes for any number of workers")
	assert.NotContains(t, one, `"trials": 100,`, "more than the first batch")
}

func TestRunPrecisionUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"cap without precision", []string{"--max-trials", "500"}, "give --precision too"},
		{"precision out of range", []string{"--precision", "0.7"}, "between 0 and 0.5"},
		{"cap below the first batch", []string{"--precision", "0.01", "--trials", "100", "--max-trials", "50"}, "must lie between"},
		{"shard", []string{"--precision", "0.01", "--shard", "1/2"}, "a --shard needs it fixed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := execute(t, append([]string{"run", "teaching", "--quiet"}, tc.args...)...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tc.want)
		})
	}
	_, errOut, code := execute(t, "run", "teaching", "--quiet", "--trials", "50", "--precision", "0.005", "--max-trials", "100")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "precision ±0.005 not reached: stopped at --max-trials 100")
}

func TestSequentialSolveAndSweepIgnoreWorkers(t *testing.T) {
	for _, args := range [][]string{
		{"solve", drawScenario, "--param", "stages[name=nomination].nominate.weights[0].values.female=0.5:6:0.05",
			"--target", "women", "--at-least", "0.8", "--trials", "100", "--precision", "0.02", "--quiet"},
		{"sweep", "teaching", "--vary", "stages[name=election].elect.surplus=0.05:0.15:0.05", "--trials", "50",
			"--precision", "0.05", "--quiet"},
	} {
		one, errOut, code := execute(t, append(args, "--workers", "1")...)
		require.Equal(t, 0, code, errOut)
		three, errOut, code := execute(t, append(args, "--workers", "3")...)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, one, three, args[0])
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
)

func TestGoldenCalibrateTeaching(t *testing.T) {
	out, stderr, code := execute(t, "calibrate", "teaching", "--quiet")
	require.Equal(t, 0, code, stderr)
	golden(t, "calibrate-teaching.txt", out)
}

func TestCalibrateWritesTheFittedScenario(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "teaching.yaml")
	data, ok := configs.Read("teaching")
	require.True(t, ok)
	require.NoError(t, os.WriteFile(in, data, 0o644))
	out, stderr, code := execute(t, "calibrate", in, "--out", in, "--format", "json", "--max-evals", "30", "--trials", "300", "--quiet")
	require.Equal(t, 0, code, stderr)
	var fit struct {
		Parameters []struct {
			Path  string  `json:"path"`
			Value float64 `json:"value"`
		} `json:"parameters"`
		Reproduced, Total int
	}
	require.NoError(t, json.Unmarshal([]byte(out), &fit))
	require.Len(t, fit.Parameters, 2)
	written, err := os.ReadFile(in)
	require.NoError(t, err)
	// Only the two fitted numbers changed: same lines, same comments.
	a, b := strings.Split(string(data), "\n"), strings.Split(string(written), "\n")
	require.Equal(t, len(a), len(b))
	changed := 0
	for i := range a {
		if a[i] != b[i] {
			changed++
			assert.Contains(t, a[i], "values: {", "line %d", i+1)
		}
	}
	assert.LessOrEqual(t, changed, 2)
	// The written file validates and running calibrate on it continues.
	_, stderr, code = execute(t, "validate", in)
	require.Equal(t, 0, code, stderr)
}

func TestCalibrateRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	data, _ := configs.Read("teaching")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(data), "{share: women, published: 0.35", "{share: wmen, published: 0.35", 1)), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"calibrate", "union"}, "declares nothing to calibrate"},
		{[]string{"calibrate", bad}, `no tracked share is named "wmen"; did you mean "women"?`},
		{[]string{"calibrate", "teaching", "--format", "xml"}, "unknown --format"},
	} {
		out, stderr, code := execute(t, tc.args...)
		assert.Equal(t, exitBadInput, code, "%v", tc.args)
		assert.Empty(t, out)
		assert.Contains(t, stderr, tc.want)
	}
}

func TestOutputsNeverOverwriteTheScenario(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "t.yaml")
	data, _ := configs.Read("teaching")
	require.NoError(t, os.WriteFile(in, data, 0o644))
	// A scenario file named like a sweep's output, so that the extension check
	// (which alone would refuse --out t.yaml) lets the comparison decide.
	csv := filepath.Join(dir, "t.csv")
	require.NoError(t, os.WriteFile(csv, data, 0o644))
	for _, args := range [][]string{
		{"report", in, "--html", in},
		{"sweep", csv, "--vary", "stages[name=election].elect.surplus=0.1,0.2", "--out", csv, "--quiet"},
	} {
		_, stderr, code := execute(t, args...)
		assert.Equal(t, exitBadInput, code, "%v", args)
		assert.Contains(t, stderr, "is the scenario file itself", "%v", args)
	}
	for _, f := range []string{in, csv} {
		after, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.Equal(t, string(data), string(after), f)
	}
}

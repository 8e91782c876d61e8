package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type compareJSON struct {
	Paired bool `json:"paired"`
	Rows   []struct {
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		Method     string `json:"method"`
		Difference struct {
			Value  float64 `json:"value"`
			CILow  float64 `json:"ci_low"`
			CIHigh float64 `json:"ci_high"`
		} `json:"difference"`
	} `json:"rows"`
	Notes []string `json:"notes"`
}

func TestCompareScenarioWithItselfIsExactlyZero(t *testing.T) {
	out, errOut, code := execute(t, "compare", "teaching", "teaching", "--trials", "300", "--format", "json", "--quiet")
	require.Equal(t, 0, code, errOut)
	var c compareJSON
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	assert.True(t, c.Paired)
	require.Len(t, c.Rows, 6)
	for _, r := range c.Rows {
		assert.Zero(t, r.Difference.Value, r.Name)
		assert.Equal(t, "paired", r.Method)
	}
	out, errOut, code = execute(t, "compare", "teaching", "teaching", "--trials", "300", "--format", "json", "--quiet", "--independent")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	assert.False(t, c.Paired)
	assert.Equal(t, "independent", c.Rows[0].Method)
}

func TestCompareWorkersDoNotMatter(t *testing.T) {
	args := []string{"compare", drawScenario, drawScenario, "--set-b", "stages[name=nomination].nominate.weights[0].values.female=2", "--trials", "500", "--quiet"}
	one, errOut, code := execute(t, append(args, "--workers", "1")...)
	require.Equal(t, 0, code, errOut)
	three, _, _ := execute(t, append(args, "--workers", "3")...)
	assert.Equal(t, one, three)
	assert.Contains(t, one, "B higher")
	html, _, code := execute(t, append(args, "--format", "html")...)
	require.Equal(t, 0, code)
	assert.Contains(t, html, "<table>")
}

func TestCompareRunFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, args ...string) string {
		out, errOut, code := execute(t, append([]string{"run", drawScenario, "--format", "json", "--quiet", "--trials", "400"}, args...)...)
		require.Equal(t, 0, code, errOut)
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(out), 0o644))
		return p
	}
	a := write("a.json")
	b := write("b.json", "--set", "stages[name=nomination].nominate.weights[0].values.female=2")
	out, errOut, code := execute(t, "compare", a, b, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var c compareJSON
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	assert.False(t, c.Paired, "run files hold no per-trial outcomes")
	assert.Equal(t, "independent", c.Rows[0].Method)
	assert.Less(t, c.Rows[0].Difference.Value, 0.0)
	assert.Contains(t, c.Notes[0], "both ran with seed 11")
	// A run file against a scenario simulated with its own settings.
	out, errOut, code = execute(t, "compare", a, drawScenario, "--format", "json")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	assert.Zero(t, c.Rows[0].Difference.Value, "the same scenario, seed and trials")
}

func TestCompareUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"one argument", []string{"teaching"}, "two scenarios or run files"},
		{"bad format", []string{"teaching", "teaching", "--format", "csv"}, "unknown --format"},
		{"bad confidence", []string{"teaching", "teaching", "--confidence", "1"}, "--confidence"},
		{"unknown scenario", []string{"teaching", "nosuch"}, "no scenario file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := execute(t, append([]string{"compare"}, tc.args...)...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, tc.want)
		})
	}
}

// FuzzReadRunResult feeds arbitrary files to the run-result reader: it must
// never panic, and a result it accepts has trials and counts in range.
func FuzzReadRunResult(f *testing.F) {
	f.Add([]byte(`{"scenario":"x","scenario_sha256":"ab","trials":10,"targets":[{"name":"t","met":3}],"shares":[{"name":"s","samples":10,"mean":0.3,"sd":0.1}]}`))
	f.Add([]byte(`{"targets":[],"scenario_sha256":"","trials":-1}`))
	f.Add([]byte(`name: teaching`))
	f.Add([]byte(`{"targets":5,"scenario_sha256":1,"trials":"x"}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "r.json")
		require.NoError(t, os.WriteFile(p, data, 0o644))
		r, err := readRunResult(p)
		if err != nil || r == nil {
			return
		}
		assert.Positive(t, r.Trials)
		for _, tr := range r.Targets {
			assert.True(t, tr.Met >= 0 && tr.Met <= int64(r.Trials))
		}
	})
}

func TestCompareListsWhatOnlyOneSideHas(t *testing.T) {
	out, errOut, code := execute(t, "compare", "teaching", drawScenario, "--trials", "50", "--quiet")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "only in A, not compared: target front_line, target young, share front_line, share aged_45_or_under")
}

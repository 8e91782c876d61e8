package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// execute runs the CLI with args and returns stdout, stderr and the exit code.
func execute(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	version = "test"
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), exitCodeQuiet(err)
}

func exitCodeQuiet(err error) int {
	stderr := os.Stderr
	os.Stderr, _ = os.Open(os.DevNull)
	defer func() { os.Stderr = stderr }()
	return exitCode(err)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/simulate -update to create %s", path)
	assert.Equal(t, string(want), got)
}

func TestGoldenTeachingJSON(t *testing.T) {
	out, stderr, code := execute(t, "run", "teaching", "--trials", "400", "--seed", "7", "--format", "json", "--quiet")
	require.Equal(t, 0, code, stderr)
	golden(t, "teaching.json", out)
}

func TestGoldenTeachingText(t *testing.T) {
	out, stderr, code := execute(t, "run", "teaching", "--trials", "400", "--seed", "7", "--by-unit", "--quiet")
	require.Equal(t, 0, code, stderr)
	golden(t, "teaching.txt", out)
}

func TestGoldenTeachingCSV(t *testing.T) {
	out, stderr, code := execute(t, "run", "teaching", "--trials", "400", "--seed", "7", "--format", "csv", "--quiet")
	require.Equal(t, 0, code, stderr)
	golden(t, "teaching.csv", out)
}

// factSets give the teaching scenario, which publishes nothing, published
// facts: two reproduced (women's target met, women's share 30%) and two not
// (young published as missed, front-line share 80%).
var factSets = []string{
	"--set", "targets[name=women].published=met", "--set", "targets[name=young].published=missed",
	"--set", "shares[name=women].published=0.3", "--set", "shares[name=front_line].published=0.8",
}

func TestGoldenTeachingFacts(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"teaching-facts.txt", nil},
		{"teaching-facts.csv", []string{"--format", "csv"}},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			args := append([]string{"run", "teaching", "--trials", "400", "--seed", "7", "--quiet"}, factSets...)
			out, stderr, code := execute(t, append(args, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			golden(t, tc.golden, out)
		})
	}
}

// The fact check is part of the JSON result, and merging shards gives it
// exactly as the unsplit run does.
func TestFactsInJSONAndMerge(t *testing.T) {
	args := append([]string{"run", "teaching", "--trials", "101"}, factSets...)
	single, errOut, code := execute(t, append(args, "--format", "json")...)
	require.Equal(t, 0, code, errOut)
	var res struct {
		Facts *struct {
			Reproduced, Total int
			Items             []struct {
				Kind, Name string
				Published  any
				Reproduced bool
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(single), &res))
	require.NotNil(t, res.Facts)
	assert.Equal(t, 4, res.Facts.Total)
	require.Len(t, res.Facts.Items, 4)
	assert.Equal(t, "met", res.Facts.Items[0].Published)
	assert.Equal(t, 0.8, res.Facts.Items[3].Published)

	dir := t.TempDir()
	var files []string
	for k := 1; k <= 2; k++ {
		out, errOut, code := execute(t, append(args, "--shard", fmt.Sprintf("%d/2", k))...)
		require.Equal(t, 0, code, errOut)
		path := filepath.Join(dir, fmt.Sprintf("part%d.json", k))
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
		files = append(files, path)
	}
	merged, errOut, code := execute(t, append([]string{"merge", "--format", "json"}, files...)...)
	require.Equal(t, 0, code, errOut)
	require.True(t, single == merged, "merged shards differ from the single run")
	text, errOut, code := execute(t, append([]string{"merge"}, files...)...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, text, "\npublished facts reproduced: ")

	// Without published facts there is no "facts" key.
	out, _, code := execute(t, "run", "teaching", "--trials", "50", "--format", "json")
	require.Equal(t, 0, code)
	assert.NotContains(t, out, `"facts"`)
}

func TestWorkersGiveIdenticalBytes(t *testing.T) {
	tests := []struct {
		scenario string
		trials   string
	}{
		{"teaching", "500"},
		{"union", "200"},
		{"cpc20", "16"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			one, _, code := execute(t, "run", tc.scenario, "--trials", tc.trials, "--workers", "1", "--format", "json")
			require.Equal(t, 0, code)
			four, _, code := execute(t, "run", tc.scenario, "--trials", tc.trials, "--workers", "4", "--format", "json")
			require.Equal(t, 0, code)
			require.True(t, one == four, "--workers 1 and --workers 4 differ")
		})
	}
}

func TestJSONContract(t *testing.T) {
	out, _, code := execute(t, "run", "teaching", "--trials", "50", "--format", "json")
	require.Equal(t, 0, code)
	for _, key := range []string{`"scenario": "teaching"`, `"scenario_sha256": "`, `"seed": 7`, `"trials": 50`, `"version": "test"`,
		`"targets": [`, `"probability":`, `"ci_low":`, `"ci_high":`, `"shares": [`, `"p05":`, `"p50":`, `"p95":`,
		`"funnel": [`, `"entered":`, `"left":`} {
		assert.Contains(t, out, key)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("name: x\nquota: '12'\n"), 0o644))
	tests := []struct {
		name    string
		args    []string
		code    int
		errPart string
	}{
		{"ok", []string{"validate", "teaching"}, 0, ""},
		{"bad scenario", []string{"run", bad}, 2, "line 2: quota: expected an integer"},
		{"missing file", []string{"run", filepath.Join(dir, "none.yaml")}, 2, "no scenario file"},
		{"bad flag", []string{"run", "--trials", "x"}, 2, "invalid argument"},
		{"bad format", []string{"run", "teaching", "--format", "xml"}, 2, "unknown --format"},
		{"bad set", []string{"run", "teaching", "--set", "units[9].seats=3"}, 2, "index out of range"},
		{"absurd trials", []string{"run", "teaching", "--trials", "1000000000000"}, 2, "run.trials"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"graph bad machine", []string{"graph", "--machine", "x"}, 2, "unknown --machine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Contains(t, errOut, tc.errPart)
			if code != 0 {
				assert.Empty(t, out, "nothing on stdout for a failed command")
			}
		})
	}
}

func TestScenariosAndGraph(t *testing.T) {
	out, _, code := execute(t, "scenarios")
	require.Equal(t, 0, code)
	for _, n := range []string{"cpc20 (default)", "teaching", "union"} {
		assert.Contains(t, out, n)
	}
	out, _, code = execute(t, "scenarios", "show", "teaching")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "name: teaching")
	out, _, code = execute(t, "graph", "teaching", "--machine", "candidate", "--format", "mermaid")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "stateDiagram-v2")
	assert.Contains(t, out, "elected")
	out, _, code = execute(t, "graph", "teaching", "--machine", "unit", "--format", "dot")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "digraph")
}

func TestShardsMergeToIdenticalBytes(t *testing.T) {
	dir := t.TempDir()
	single, _, code := execute(t, "run", "teaching", "--trials", "101", "--format", "json")
	require.Equal(t, 0, code)
	var files []string
	for k := 1; k <= 3; k++ {
		out, errOut, code := execute(t, "run", "teaching", "--trials", "101", "--shard", fmt.Sprintf("%d/3", k))
		require.Equal(t, 0, code, errOut)
		path := filepath.Join(dir, fmt.Sprintf("part%d.json", k))
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
		files = append(files, path)
	}
	merged, errOut, code := execute(t, append([]string{"merge", "--format", "json"}, files...)...)
	require.Equal(t, 0, code, errOut)
	require.True(t, single == merged, "merged shards differ from the single run")

	_, errOut, code = execute(t, "merge", files[0], files[2])
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "missing shards [2]")
	_, errOut, code = execute(t, "run", "teaching", "--shard", "4/3")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--shard")
}

func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	_, errOut, code := execute(t, "run", "teaching", "--trials", "200", "--cpuprofile", cpu, "--memprofile", mem)
	require.Equal(t, 0, code, errOut)
	for _, p := range []string{cpu, mem} {
		st, err := os.Stat(p)
		require.NoError(t, err)
		assert.Positive(t, st.Size(), p)
	}
	_, errOut, code = execute(t, "run", "teaching", "--cpuprofile", filepath.Join(dir, "no", "such", "dir.prof"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--cpuprofile")
}

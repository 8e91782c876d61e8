package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sweep"
)

// teachingSweepArgs is a 10-point sweep of the teaching scenario.
var teachingSweepArgs = []string{"sweep", "teaching",
	"--vary", "stages[name=election].elect.surplus=0.05:0.25:0.05",
	"--vary", "stages[name=election].elect.voters.approval=0.8,0.9",
	"--trials", "40", "--seed", "7", "--quiet"}

func sweepArgs(extra ...string) []string {
	return append(append([]string(nil), teachingSweepArgs...), extra...)
}

// executeCtx is execute with a context of the caller's.
func executeCtx(t *testing.T, ctx context.Context, args ...string) (string, string, int) {
	t.Helper()
	version = "test"
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), exitCodeQuiet(err)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestGoldenSweepCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sweep.csv")
	_, errOut, code := execute(t, sweepArgs("--out", path)...)
	require.Equal(t, 0, code, errOut)
	lines := strings.SplitAfter(readFile(t, path), "\n")
	require.Len(t, lines, 12, "a header, 10 rows and the empty rest")
	golden(t, "sweep-teaching.csv", strings.Join(lines[:4], ""))

	// stdout gets the same bytes.
	out, errOut, code := execute(t, sweepArgs()...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, readFile(t, path), out)
}

func TestSweepResumesAfterInterruption(t *testing.T) {
	for _, enc := range []string{"csv", "jsonl"} {
		t.Run(enc, func(t *testing.T) {
			dir := t.TempDir()
			full := filepath.Join(dir, "full."+enc)
			_, errOut, code := execute(t, sweepArgs("--out", full)...)
			require.Equal(t, 0, code, errOut)

			// Interrupt after the third row, as Ctrl-C would: main cancels
			// the command's context.
			path := filepath.Join(dir, "cut."+enc)
			ctx, cancel := context.WithCancel(context.Background())
			rows := 0
			sweepAfterRow = func(*sweep.Row) {
				if rows++; rows == 3 {
					cancel()
				}
			}
			_, errOut, code = executeCtx(t, ctx, sweepArgs("--out", path)...)
			sweepAfterRow = nil
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, "sweep interrupted: "+path+" holds the 3 of 10 points that finished; run the same command with --resume")
			f, err := sweep.Read(strings.NewReader(readFile(t, path)))
			require.NoError(t, err)
			assert.Len(t, f.Rows, 3)

			_, errOut, code = execute(t, sweepArgs("--out", path, "--resume")...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, readFile(t, full), readFile(t, path), "the resumed file equals the uninterrupted sweep's")

			// Resuming a finished sweep changes nothing.
			_, errOut, code = execute(t, sweepArgs("--out", path, "--resume")...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, readFile(t, full), readFile(t, path))
		})
	}
}

func TestSweepRefusesMismatchedResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	_, errOut, code := execute(t, sweepArgs("--out", path)...)
	require.Equal(t, 0, code, errOut)
	before := readFile(t, path)
	tests := []struct {
		name    string
		args    []string
		errPart string
	}{
		{"another scenario", sweepArgs("--out", path, "--resume", "--set", "units[0].entitled_voters=121"), "computed for a different scenario"},
		{"another seed", sweepArgs("--out", path, "--resume", "--seed", "8"), "written by a different sweep definition"},
		{"more trials", sweepArgs("--out", path, "--resume", "--trials", "41"), "ran 40 trials per point, this sweep runs 41"},
		{"another grid", sweepArgs("--out", path, "--resume", "--vary", "stages[name=preliminary].select.size.surplus=0.3,0.35"), "it varies"},
		{"a share target", sweepArgs("--out", path, "--resume", "--share-target", "women>=0.3"), "reports the targets"},
		{"another format", sweepArgs("--out", path, "--resume", "--format", "jsonl"), "it is a csv file"},
		{"not resuming", sweepArgs("--out", path), "exists: add --resume to continue it, or --force"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, tc.errPart)
			assert.Empty(t, out)
			assert.Equal(t, before, readFile(t, path), "a refused file is not touched")
		})
	}
	_, errOut, code = execute(t, sweepArgs("--out", path, "--force")...)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, before, readFile(t, path))
}

func TestSweepShardsMergeToIdenticalBytes(t *testing.T) {
	for _, enc := range []string{"csv", "jsonl"} {
		t.Run(enc, func(t *testing.T) {
			dir := t.TempDir()
			single, errOut, code := execute(t, sweepArgs("--format", enc)...)
			require.Equal(t, 0, code, errOut)
			var files []string
			for k := 1; k <= 3; k++ {
				path := filepath.Join(dir, fmt.Sprintf("part%d.%s", k, enc))
				_, errOut, code := execute(t, sweepArgs("--shard", fmt.Sprintf("%d/3", k), "--out", path)...)
				require.Equal(t, 0, code, errOut)
				files = append(files, path)
			}
			plot := filepath.Join(dir, "merged.svg")
			merged, errOut, code := execute(t, append([]string{"merge", "--plot", plot}, files...)...)
			require.Equal(t, 0, code, errOut)
			require.True(t, single == merged, "merged shards differ from the single sweep")
			assert.FileExists(t, plot)

			_, errOut, code = execute(t, "merge", files[0], files[2])
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, "3 of the sweep's 10 points are missing (points 1, 4, 7)")
		})
	}
	dir := t.TempDir()
	part := filepath.Join(dir, "part.json")
	out, _, code := execute(t, "run", "teaching", "--trials", "20", "--shard", "1/2")
	require.Equal(t, 0, code)
	require.NoError(t, os.WriteFile(part, []byte(out), 0o644))
	csvPart := filepath.Join(dir, "s.csv")
	_, errOut, code := execute(t, sweepArgs("--shard", "1/2", "--out", csvPart)...)
	require.Equal(t, 0, code, errOut)
	_, errOut, code = execute(t, "merge", csvPart, part)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "is a sweep file but")
	_, errOut, code = execute(t, "merge", csvPart, "--format", "json")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "apply to run partials")
}

func TestSweepPointReRunsAlone(t *testing.T) {
	out, errOut, code := execute(t, sweepArgs("--format", "jsonl")...)
	require.Equal(t, 0, code, errOut)
	list, errOut, code := execute(t, sweepArgs("--list")...)
	require.Equal(t, 0, code, errOut)
	listed := strings.Split(strings.TrimSpace(list), "\n")
	require.Len(t, listed, 10)
	f, err := sweep.Read(strings.NewReader(out))
	require.NoError(t, err)
	row := f.Rows[7]
	fields := strings.Split(listed[7], "\t")
	assert.Equal(t, fmt.Sprint(row.Seed), fields[1])
	assert.Contains(t, fields[4], fmt.Sprintf("--seed %d --trials 40", row.Seed))
	// The run the listing prints, in JSON.
	res, errOut, code := execute(t, "run", "teaching",
		"--set", "stages[name=election].elect.surplus="+row.Values[0],
		"--set", "stages[name=election].elect.voters.approval="+row.Values[1],
		"--seed", fmt.Sprint(row.Seed), "--trials", "40", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var r struct {
		Targets []struct {
			Name        string  `json:"name"`
			Met         int64   `json:"met"`
			Probability float64 `json:"probability"`
		} `json:"targets"`
	}
	require.NoError(t, json.Unmarshal([]byte(res), &r))
	require.Len(t, r.Targets, len(row.Targets))
	for i, tr := range r.Targets {
		assert.Equal(t, row.Targets[i].Name, tr.Name)
		assert.Equal(t, row.Targets[i].Met, tr.Met)
		assert.Equal(t, row.Targets[i].Probability, tr.Probability)
	}
}

func TestSweepLHSAndPlot(t *testing.T) {
	dir := t.TempDir()
	plot := filepath.Join(dir, "lhs.png")
	out, errOut, code := execute(t, "sweep", "teaching", "--design", "lhs", "--points", "12",
		"--vary", "stages[name=election].elect.surplus=0:0.25",
		"--vary", "units[0].entitled_voters=60:200:1",
		"--trials", "20", "--quiet", "--plot", plot)
	require.Equal(t, 0, code, errOut)
	f, err := sweep.Read(strings.NewReader(out))
	require.NoError(t, err)
	assert.Len(t, f.Rows, 12)
	assert.FileExists(t, plot)
}

func TestSweepUsageErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		errPart string
	}{
		{"no vary", []string{"sweep", "teaching"}, 2, "nothing to sweep"},
		{"bad vary", []string{"sweep", "teaching", "--vary", "k"}, 2, "expected KEY=SPEC"},
		{"run key", []string{"sweep", "teaching", "--vary", "run.trials=1,2"}, 2, "run settings cannot be swept"},
		{"lhs without points", []string{"sweep", "teaching", "--design", "lhs", "--vary", "units[0].seats=1:2"}, 2, "--points"},
		{"resume without out", sweepArgs("--resume"), 2, "--resume needs --out"},
		{"bad plot", sweepArgs("--plot", "x.gif"), 2, "unknown image format"},
		{"bad shard", sweepArgs("--shard", "4/3"), 2, "--shard"},
		{"too many shards", sweepArgs("--shard", "1/11"), 2, "more shards than the sweep's 10 points"},
		{"bad share target", sweepArgs("--share-target", "nobody>=0.3"), 2, "tracks no share"},
		{"bad format", sweepArgs("--format", "xml"), 2, "unknown --format"},
		{"unknown key", []string{"sweep", "teaching", "--vary", "units[0].colour=1,2"}, 2, "point 0"},
		{"invalid value", []string{"sweep", "teaching", "--vary", "stages[name=election].elect.surplus=0.1,0.9"}, 2, "point 1 (--set 'stages[name=election].elect.surplus=0.9')"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Contains(t, errOut, tc.errPart)
			assert.Empty(t, out)
		})
	}
}

func TestSweepSeedsCommonOrIndependent(t *testing.T) {
	seeds := func(extra ...string) map[string]bool {
		t.Helper()
		list, errOut, code := execute(t, sweepArgs(append([]string{"--list"}, extra...)...)...)
		require.Equal(t, 0, code, errOut)
		out := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
			out[strings.Split(line, "\t")[1]] = true
		}
		return out
	}
	assert.Len(t, seeds(), 1, "common random numbers: every point runs with the base seed")
	assert.Len(t, seeds("--independent"), 10, "--independent: every point its own seed")
}

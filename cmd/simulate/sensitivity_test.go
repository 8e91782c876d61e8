package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	ratioKey    = "stages[name=nomination].nominate.ratio"
	approvalKey = "stages[name=election].elect.voters.approval"
	abstainKey  = "stages[name=election].elect.voters.abstain"
)

// teachingSensitivityArgs analyse the teaching scenario in two parameters
// that matter and one that cannot (abstaining or voting against changes no
// tally), with few trials per point.
func teachingSensitivityArgs(extra ...string) []string {
	return append([]string{"sensitivity", "teaching",
		"--param", ratioKey + "=0.4:1.5",
		"--param", approvalKey + "=0.6:0.95",
		"--param", abstainKey + "=0.1:0.9",
		"--trials", "30", "--seed", "7", "--resamples", "200", "--quiet"}, extra...)
}

func TestSensitivityTeachingSobolCSV(t *testing.T) {
	out, errOut, code := execute(t, teachingSensitivityArgs("--samples", "32", "--format", "csv", "--workers", "2")...)
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"method", "output", "parameter", "index", "estimate", "ci_low", "ci_high"}, recs[0])
	outputs := []string{"target.women", "target.front_line", "target.young", "share.women", "share.front_line", "share.aged_45_or_under"}
	require.Len(t, recs, 1+len(outputs)*3*2, "one row per output × parameter × index")
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		assert.Equal(t, "sobol", r[0])
		assert.Contains(t, outputs, r[1])
		assert.Contains(t, []string{ratioKey, approvalKey, abstainKey}, r[2])
		assert.Contains(t, []string{"S1", "ST"}, r[3])
		seen[r[1]+" "+r[2]+" "+r[3]] = true
		est, err := strconv.ParseFloat(r[4], 64)
		require.NoError(t, err, "%v", r)
		if r[2] == abstainKey {
			// Same seed at every point: the outputs do not move at all.
			assert.Equal(t, []string{"0", "0", "0"}, r[4:], "%v", r)
		}
		if r[1] == "share.women" && r[2] == ratioKey && r[3] == "ST" {
			assert.Greater(t, est, 0.3, "the nomination ratio drives the women's share")
		}
	}
	assert.Len(t, seen, len(outputs)*3*2)

	// The same bytes with one worker.
	one, errOut, code := execute(t, teachingSensitivityArgs("--samples", "32", "--format", "csv", "--workers", "1")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, out, one)
}

func TestSensitivityTeachingMorrisJSONAndPlot(t *testing.T) {
	plot := filepath.Join(t.TempDir(), "morris.svg")
	out, errOut, code := execute(t, teachingSensitivityArgs("--method", "morris", "--trajectories", "6", "--format", "json", "--plot", plot)...)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, `\u003c`, "no HTML escaping")
	var res struct {
		Method      string
		Evaluations int
		Trials      int
		Parameters  []struct{ Name string }
		Outputs     []struct {
			Name    string
			Indices []struct {
				Parameter, Index string
				Estimate         *float64
				CILow            *float64 `json:"ci_low"`
				CIHigh           *float64 `json:"ci_high"`
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, "morris", res.Method)
	assert.Equal(t, 6*4, res.Evaluations)
	assert.Equal(t, 30, res.Trials)
	require.Len(t, res.Parameters, 3)
	require.Len(t, res.Outputs, 6)
	for _, o := range res.Outputs {
		require.Len(t, o.Indices, 3*3, o.Name)
		for _, ix := range o.Indices {
			require.NotNil(t, ix.Estimate)
			if ix.Parameter == abstainKey {
				assert.Equal(t, 0.0, *ix.Estimate, "%s %s", o.Name, ix.Index)
			}
		}
	}
	svg, err := os.ReadFile(plot)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<svg")
}

func TestSensitivityText(t *testing.T) {
	out, errOut, code := execute(t, teachingSensitivityArgs("--samples", "8")...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Sobol indices, Saltelli sampling: N = 8 base samples (halton), 3 parameters → 40 points")
	assert.Contains(t, out, "every point: 30 trials with seed 7 (common random numbers)")
	assert.Contains(t, out, "share.women")
	assert.Regexp(t, `stages\[name=election\]\.elect\.voters\.abstain\s+0\.000 \[0\.000, 0\.000\]\s+0\.000 \[0\.000, 0\.000\]`, out)
}

func TestSensitivityErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no param", []string{"sensitivity", "teaching"}, "at least one --param"},
		{"list", []string{"sensitivity", "teaching", "--param", ratioKey + "=0.5,0.6"}, "numeric range"},
		{"bad key", []string{"sensitivity", "teaching", "--param", "stages[name=nope].x=0:1"}, "nope"},
		{"invalid value at an end", []string{"sensitivity", "teaching", "--param", ratioKey + "=0.2:1.5"}, "stage preliminary keeps 26 people"},
		{"method", []string{"sensitivity", "teaching", "--param", ratioKey + "=0.4:1", "--method", "fast"}, "unknown method"},
		{"format", []string{"sensitivity", "teaching", "--param", ratioKey + "=0.4:1", "--format", "xml"}, "unknown --format"},
		{"plot", []string{"sensitivity", "teaching", "--param", ratioKey + "=0.4:1", "--plot", "x.gif"}, "unknown image format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, 2, code, errOut)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.want)
		})
	}
}

func TestSensitivityStopsOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sensitivityAfterPoint = func(done int) {
		if done == 5 {
			cancel()
		}
	}
	defer func() { sensitivityAfterPoint = nil }()
	out, errOut, code := executeCtx(t, ctx, teachingSensitivityArgs("--samples", "500", "--workers", "1")...)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "sensitivity interrupted")
}

// sensitivityFileArgs is a small analysis with two parameters whose points
// go to a file.
func sensitivityFileArgs(extra ...string) []string {
	return append([]string{"sensitivity", "teaching",
		"--param", ratioKey + "=0.4:1.5",
		"--param", approvalKey + "=0.6:0.95",
		"--samples", "6", "--trials", "20", "--seed", "11", "--resamples", "100", "--quiet"}, extra...)
}

func TestSensitivityResumeIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	want, errOut, code := execute(t, sensitivityFileArgs("--out", full, "--format", "csv", "--workers", "2")...)
	require.Equal(t, 0, code, errOut)
	wantFile, err := os.ReadFile(full)
	require.NoError(t, err)
	lines := strings.Count(string(wantFile), "\n")
	require.Equal(t, 1+6*4, lines, "the definition and one line per point")
	plain, errOut, code := execute(t, sensitivityFileArgs("--format", "csv")...)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, want, plain, "--out does not change the indices")

	for _, stop := range []int{1, 5, 23} {
		t.Run(strconv.Itoa(stop), func(t *testing.T) {
			part := filepath.Join(t.TempDir(), "part.jsonl")
			ctx, cancel := context.WithCancel(context.Background())
			sensitivityAfterPoint = func(done int) {
				if done == stop {
					cancel()
				}
			}
			out, errOut, code := executeCtx(t, ctx, sensitivityFileArgs("--out", part, "--format", "csv", "--workers", "1")...)
			sensitivityAfterPoint = nil
			require.Equal(t, 1, code, errOut)
			assert.Empty(t, out)
			assert.Contains(t, errOut, fmt.Sprintf("holds the %d of 24 points that finished; run the same command with --resume", stop))
			got, err := os.ReadFile(part)
			require.NoError(t, err)
			require.Equal(t, 1+stop, strings.Count(string(got), "\n"))
			require.True(t, strings.HasPrefix(string(wantFile), string(got)))
			// A write cut off in the middle of a line.
			next := strings.SplitAfter(string(wantFile), "\n")[1+stop]
			require.NoError(t, os.WriteFile(part, append(got, next[:len(next)/2]...), 0o644))

			out, errOut, code = execute(t, sensitivityFileArgs("--out", part, "--resume", "--format", "csv", "--workers", "2")...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, want, out)
			got, err = os.ReadFile(part)
			require.NoError(t, err)
			assert.Equal(t, string(wantFile), string(got))
		})
	}

	// Resuming a finished file simulates nothing and gives the same indices.
	out, errOut, code := execute(t, sensitivityFileArgs("--out", full, "--resume", "--format", "csv")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want, out)
}

func TestSensitivityShardsMergeToTheUnshardedFile(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	want, errOut, code := execute(t, sensitivityFileArgs("--out", full, "--format", "csv")...)
	require.Equal(t, 0, code, errOut)
	wantFile, err := os.ReadFile(full)
	require.NoError(t, err)

	var parts []string
	for k := 1; k <= 3; k++ {
		part := filepath.Join(dir, fmt.Sprintf("part%d.jsonl", k))
		out, errOut, code := execute(t, sensitivityFileArgs("--shard", fmt.Sprintf("%d/3", k), "--out", part)...)
		require.Equal(t, 0, code, errOut)
		assert.Empty(t, out, "a shard writes points, not indices")
		parts = append(parts, part)
	}
	merged, errOut, code := execute(t, append([]string{"merge"}, parts...)...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, string(wantFile), merged)

	_, errOut, code = execute(t, "merge", parts[0], parts[2])
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "8 of the analysis's 24 points are missing (points 1, 4, 7")

	mergedPath := filepath.Join(dir, "merged.jsonl")
	require.NoError(t, os.WriteFile(mergedPath, []byte(merged), 0o644))
	out, errOut, code := execute(t, "sensitivity", "--from", mergedPath, "--format", "csv", "--resamples", "100")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want, out)

	_, errOut, code = execute(t, "sensitivity", "--from", parts[1], "--format", "csv")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "holds 8 of the design's 24 points")
}

func TestSensitivityResumeRefusesTamperedFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	_, errOut, code := execute(t, sensitivityFileArgs("--out", good)...)
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	tamper := func(i int, old, new string) string {
		l := append([]string(nil), lines[:4]...)
		require.Contains(t, l[i], old)
		l[i] = strings.Replace(l[i], old, new, 1)
		return strings.Join(l, "")
	}
	tests := []struct{ name, data, want string }{
		{"seed", tamper(2, `"seed":11`, `"seed":12`), "seed 12 is not the point's seed 11"},
		{"probability", lines[0] + lines[1] + lines[2] + regexp.MustCompile(`"y":\[[0-9.e-]+`).ReplaceAllString(lines[3], `"y":[0.123`), "not a number of trials out of 20"},
		{"definition", tamper(0, `"trials":20`, `"trials":10`), "does not hash"},
		{"other seed", strings.Join(lines[:1], "") + lines[2] + lines[1], "follows point 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			require.NoError(t, os.WriteFile(path, []byte(tc.data), 0o644))
			out, errOut, code := execute(t, sensitivityFileArgs("--out", path, "--resume")...)
			assert.Equal(t, 2, code, errOut)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "cannot resume")
			assert.Contains(t, errOut, tc.want)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tc.data, string(after), "a refused file is left as it was")
			_, errOut, code = execute(t, "merge", path)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tc.want)
		})
	}

	// Another analysis (another seed) is refused whole.
	_, errOut, code = execute(t, append(sensitivityFileArgs("--out", good, "--resume"), "--seed", "12")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "written by a different analysis")
	// Another shard's file.
	_, errOut, code = execute(t, sensitivityFileArgs("--out", good, "--resume", "--shard", "2/3")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "another --shard")
}

func TestSensitivityFileErrors(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "x.jsonl")
	require.NoError(t, os.WriteFile(existing, []byte("x"), 0o644))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"resume without out", sensitivityFileArgs("--resume"), "--resume needs --out"},
		{"shard without out", sensitivityFileArgs("--shard", "1/2"), "--shard needs --out"},
		{"shard with format", sensitivityFileArgs("--shard", "1/2", "--out", filepath.Join(dir, "s.jsonl"), "--format", "csv"), "--shard computes points only"},
		{"bad shard", sensitivityFileArgs("--shard", "3/2", "--out", filepath.Join(dir, "s.jsonl")), "1 ≤ k ≤ n"},
		{"exists", sensitivityFileArgs("--out", existing), "add --resume to continue it, or --force"},
		{"resume and force", sensitivityFileArgs("--out", existing, "--resume", "--force"), "contradict"},
		{"from with param", []string{"sensitivity", "--from", existing, "--param", ratioKey + "=0.4:1"}, "--param does not apply"},
		{"from not a file of points", []string{"sensitivity", "--from", existing}, "not a sensitivity points file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, 2, code, errOut)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.want)
		})
	}
}

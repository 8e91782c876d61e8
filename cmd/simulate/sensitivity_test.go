package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
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

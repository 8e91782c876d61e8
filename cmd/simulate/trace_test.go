package main

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/report"
	"simulate/sim"
)

func TestGoldenTrace(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"trace-teaching.txt", []string{"trace", "teaching", "--seed", "7", "--trial", "0"}},
		{"trace-teaching-zh.txt", []string{"trace", "teaching", "--seed", "7", "--trial", "0", "--lang", "zh"}},
		{"trace-teaching.json", []string{"trace", "teaching", "--seed", "7", "--trial", "0", "--format", "json"}},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			out, stderr, code := execute(t, tc.args...)
			require.Equal(t, 0, code, stderr)
			golden(t, tc.golden, out)
		})
	}
}

// traceRunTotals is what one run reports, as totals over its trials.
type traceRunTotals struct {
	met             map[string]int64
	elected         float64
	entered, passed []float64
}

func runTotalsOf(t *testing.T, trials int, seed string) traceRunTotals {
	t.Helper()
	tot := traceRunTotals{met: map[string]int64{}}
	if trials == 0 {
		return tot
	}
	out, stderr, code := execute(t, "run", "teaching", "--trials", strconv.Itoa(trials), "--seed", seed, "--format", "json", "--quiet")
	require.Equal(t, 0, code, stderr)
	var res sim.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	for _, tr := range res.Targets {
		tot.met[tr.Name] = tr.Met
	}
	tot.elected = res.Elected.Mean * float64(trials)
	for _, f := range res.Funnel {
		tot.entered = append(tot.entered, f.Entered*float64(trials))
		tot.passed = append(tot.passed, f.Left*float64(trials))
	}
	return tot
}

// TestTraceIsTrialOfRun checks that trial N of trace is trial N of run: the
// difference between a run of N+1 trials and one of N trials is exactly what
// the trace of trial N shows.
func TestTraceIsTrialOfRun(t *testing.T) {
	const seed = "19"
	for _, trial := range []int{0, 4, 11} {
		t.Run(strconv.Itoa(trial), func(t *testing.T) {
			after, before := runTotalsOf(t, trial+1, seed), runTotalsOf(t, trial, seed)
			out, stderr, code := execute(t, "trace", "teaching", "--seed", seed, "--trial", strconv.Itoa(trial), "--format", "json")
			require.Equal(t, 0, code, stderr)
			var log report.TraceLog
			require.NoError(t, json.Unmarshal([]byte(out), &log))
			assert.Equal(t, uint64(trial), log.Trial)
			for _, tt := range log.Outcome.Targets {
				want := after.met[tt.Name] - before.met[tt.Name]
				assert.Equal(t, want == 1, tt.Met, "target %s", tt.Name)
			}
			assert.InDelta(t, after.elected-before.elected, float64(log.Outcome.Seated), 1e-6)
			stage := 0
			for _, e := range log.Events {
				if e.Kind != sim.EventStageDone {
					continue
				}
				assert.InDelta(t, after.entered[stage]-atOrZero(before.entered, stage), float64(e.Entered), 1e-6, "stage %s entered", e.Stage)
				assert.InDelta(t, after.passed[stage]-atOrZero(before.passed, stage), float64(e.Left), 1e-6, "stage %s left", e.Stage)
				stage++
			}
			assert.Equal(t, len(after.entered), stage, "one stage_done per stage")
		})
	}
}

func atOrZero(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

func TestTraceUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		errPart string
	}{
		{"bad lang", []string{"trace", "teaching", "--lang", "fr"}, 2, "unknown --lang"},
		{"bad unit", []string{"trace", "teaching", "--unit", "Atlantis"}, 2, "no such unit"},
		{"bad format", []string{"trace", "teaching", "--format", "csv"}, 2, "unknown --format"},
		{"bad trial", []string{"trace", "teaching", "--trial", "-1"}, 2, "invalid argument"},
		{"unit by Chinese name", []string{"trace", "cpc20", "--unit", "广西"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Contains(t, errOut, tc.errPart)
			if code != 0 {
				assert.Empty(t, out)
			}
		})
	}
}

func TestGraphSVG(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"graph", "teaching", "--format", "svg"}, []string{"<svg", `class="state-diagram"`, "further_round_election", "</svg>"}},
		{[]string{"graph", "teaching", "-m", "candidate", "-f", "svg", "--lang", "zh"}, []string{"<svg", "预备人选", "当选"}},
	}
	for _, tc := range tests {
		out, stderr, code := execute(t, tc.args...)
		require.Equal(t, 0, code, stderr)
		for _, w := range tc.want {
			assert.Contains(t, out, w)
		}
	}
	_, stderr, code := execute(t, "graph", "teaching", "-f", "svg", "--lang", "fr")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "unknown --lang")
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/report"
)

// At 80 columns (COLUMNS=80, as an 80×24 terminal gives) the human output
// of run, trace and check fits: no line is wider than 80 columns, Chinese
// counted two. The first screen of 'simulate run' (the default scenario)
// reads without wrapping.
func TestGolden80Columns(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"run-cpc20-80.txt", []string{"run", "--trials", "200", "--quiet"}},
		{"run-teaching-80.txt", []string{"run", "teaching", "--trials", "400", "--seed", "7", "--by-unit", "--quiet"}},
		{"trace-cpc20-80.txt", []string{"trace"}},
		{"trace-teaching-zh-80.txt", []string{"trace", "teaching", "--lang", "zh"}},
		{"check-cpc20-80.txt", []string{"check"}},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			t.Setenv("COLUMNS", "80")
			out, stderr, code := execute(t, tc.args...)
			require.Equal(t, 0, code, stderr)
			for i, line := range strings.Split(out, "\n") {
				assert.LessOrEqual(t, report.DisplayWidth(line), 80, "line %d is wider than 80 columns: %q", i+1, line)
			}
			// check says how long it took: not part of the comparison.
			out = solvedIn.ReplaceAllString(out, "Solved in N ms, the verdict after N ms")
			golden(t, tc.golden, out)
		})
	}
}

var solvedIn = regexp.MustCompile(`Solved in [0-9.]+ m?s, the verdict after [0-9.]+ m?s`)

// --wide prints the full layout whatever $COLUMNS says: the same text as
// piped output without COLUMNS, so scripts reading it see no change.
func TestWideIgnoresColumns(t *testing.T) {
	args := []string{"run", "teaching", "--trials", "400", "--seed", "7", "--by-unit", "--quiet"}
	t.Setenv("COLUMNS", "")
	full, _, code := execute(t, args...)
	require.Equal(t, 0, code)
	t.Setenv("COLUMNS", "60")
	narrow, _, _ := execute(t, args...)
	wide, _, _ := execute(t, append(args, "--wide")...)
	assert.Equal(t, full, wide)
	assert.NotEqual(t, full, narrow)
	golden(t, "teaching.txt", full)
}

func TestOutputWidth(t *testing.T) {
	tests := []struct {
		columns string
		wide    bool
		want    int
	}{
		{"", false, 0}, // not a terminal, no COLUMNS: the full layout
		{"100", false, 100},
		{" 72 ", false, 72},
		{"10", false, minWidth}, // too narrow to lay out: the narrowest layout
		{"abc", false, 0},
		{"-5", false, 0},
		{"100", true, 0}, // --wide wins
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q wide=%v", tc.columns, tc.wide), func(t *testing.T) {
			t.Setenv("COLUMNS", tc.columns)
			cmd := newRunCmd()
			cmd.SetOut(&bytes.Buffer{})
			assert.Equal(t, tc.want, outputWidth(cmd, tc.wide))
		})
	}
}

// merge prints the same summary as run, fitted the same way: two shards
// merged at 80 columns give the 80-column text of the unsharded run.
func TestMergeFitsColumns(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, k := range []string{"1/2", "2/2"} {
		out, stderr, code := execute(t, "run", "teaching", "--trials", "400", "--seed", "7", "--quiet", "--shard", k)
		require.Equal(t, 0, code, stderr)
		path := filepath.Join(dir, strings.ReplaceAll(k, "/", "-")+".json")
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
		files = append(files, path)
	}
	t.Setenv("COLUMNS", "80")
	merged, stderr, code := execute(t, append([]string{"merge", "--by-unit"}, files...)...)
	require.Equal(t, 0, code, stderr)
	for i, line := range strings.Split(merged, "\n") {
		assert.LessOrEqual(t, report.DisplayWidth(line), 80, "line %d is wider than 80 columns: %q", i+1, line)
	}
	run, _, code := execute(t, "run", "teaching", "--trials", "400", "--seed", "7", "--by-unit", "--quiet")
	require.Equal(t, 0, code)
	assert.Equal(t, run, merged)
	wide, _, _ := execute(t, append([]string{"merge", "--by-unit", "--wide"}, files...)...)
	assert.NotEqual(t, merged, wide, "--wide prints the full layout")
}

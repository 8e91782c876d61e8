package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// editField replaces field col of CSV line n (1-based, header = 1).
func editField(t *testing.T, data string, n, col int, value string) string {
	t.Helper()
	lines := strings.SplitAfter(data, "\n")
	f := strings.Split(strings.TrimSuffix(lines[n-1], "\n"), ",")
	f[col] = value
	lines[n-1] = strings.Join(f, ",") + "\n"
	return strings.Join(lines, "")
}

// TestEditedSweepRowsAreRefused: a hand-edited row is refused, with its line
// and reason and exit status 2, by merge and by --resume, which would
// otherwise give a file that differs from an uninterrupted sweep's.
func TestEditedSweepRowsAreRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	_, errOut, code := execute(t, sweepArgs("--out", path, "--shard", "1/2")...)
	require.Equal(t, 0, code, errOut)
	good := readFile(t, path)
	// Columns: point, points, seed, trials, 2 keys, then target women: met, probability, ci_low, ci_high.
	tests := []struct {
		name    string
		edit    func(string) string
		errPart string
	}{
		{"met", func(s string) string { return editField(t, s, 3, 6, "39") }, "line 3: point 2: target women: probability"},
		{"met above trials", func(s string) string { return editField(t, s, 3, 6, "41") }, "line 3: point 2: target women: met is 41, outside 0 … 40 trials"},
		{"probability NaN", func(s string) string { return editField(t, s, 2, 7, "NaN") }, "line 2: point 0: target women: probability and interval must be numbers"},
		{"interval", func(s string) string { return editField(t, s, 2, 8, "0.01") }, "line 2: point 0: target women: interval [0.01,"},
		{"seed", func(s string) string { return editField(t, s, 2, 2, "12345") }, "line 2: point 0: seed 12345 is not the point's seed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := tc.edit(good)
			require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
			out, errOut, code := execute(t, sweepArgs("--out", path, "--shard", "1/2", "--resume")...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, tc.errPart)
			assert.Empty(t, out)
			assert.Equal(t, bad, readFile(t, path), "a refused file is not touched")
			if strings.Contains(tc.errPart, "seed") {
				return // only --resume knows the design that derives the seeds
			}
			out, errOut, code = execute(t, "merge", path)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, path+": "+tc.errPart)
			assert.Empty(t, out)
		})
	}
}

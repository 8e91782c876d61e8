package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A plot that cannot be drawn is refused before the sweep runs: no point is
// simulated and no file written.
func TestSweepPlotCheckedBeforeRunning(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "rows.csv")
	_, stderr, code := execute(t, "sweep", "teaching", "--trials", "20",
		"--vary", "stages[name=election].elect.surplus=0.1,0.2",
		"--vary", "stages[name=election].elect.voters.approval=0.7,0.8",
		"--vary", "units[0].seats=20,21",
		"--out", out, "--plot", filepath.Join(dir, "p.svg"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--plot: a plot draws one or two swept keys; this sweep varies 3")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no rows written")
}

// LABEL=KEY=SPEC names the key on the plot's axis; the CSV keeps the key.
func TestSweepPlotLabel(t *testing.T) {
	dir := t.TempDir()
	plot, out := filepath.Join(dir, "p.svg"), filepath.Join(dir, "rows.csv")
	_, stderr, code := execute(t, "sweep", "teaching", "--trials", "20", "--quiet",
		"--vary", "approval=stages[name=election].elect.voters.approval=0.7,0.8",
		"--out", out, "--plot", plot)
	require.Equal(t, 0, code, stderr)
	svg, err := os.ReadFile(plot)
	require.NoError(t, err)
	assert.Contains(t, string(svg), ">approval</text>")
	assert.Contains(t, string(svg), "approval = stages[name=election].elect.voters.approval")
	rows, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(rows), "stages[name=election].elect.voters.approval")
}

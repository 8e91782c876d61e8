package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGoldenTeachingTidyCSV(t *testing.T) {
	out, stderr, code := execute(t, "run", "teaching", "--trials", "400", "--seed", "7", "--format", "csv", "--tidy", "--quiet")
	require.Equal(t, 0, code, stderr)
	golden(t, "teaching-tidy.csv", out)
}

// TestTrialsOut checks --trials-out: one row per trial whose totals are the
// run's, the same bytes for any worker count, usage errors for a bad path.
func TestTrialsOut(t *testing.T) {
	dir := t.TempDir()
	var files []string
	var summary string
	for _, w := range []string{"1", "2", "5"} {
		path := filepath.Join(dir, "trials-"+w+".csv")
		files = append(files, path)
		out, stderr, code := execute(t, "run", "teaching", "-n", "400", "--seed", "7", "-w", w, "--quiet", "--format", "csv", "--trials-out", path)
		require.Equal(t, 0, code, stderr)
		golden(t, "teaching.csv", out) // the summary is unchanged
		summary = out
	}
	first, err := os.ReadFile(files[0])
	require.NoError(t, err)
	for _, f := range files[1:] {
		other, err := os.ReadFile(f)
		require.NoError(t, err)
		require.Equal(t, string(first), string(other), "per-trial rows depend on the workers")
	}
	rows, err := csv.NewReader(strings.NewReader(string(first))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 401)
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	met := 0
	for _, r := range rows[1:] {
		if r[col["target_women_met"]] == "TRUE" {
			met++
		}
	}
	// The per-trial rows add up to the summary's count of the same run.
	sum, err := csv.NewReader(strings.NewReader(summary)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "met", sum[0][7])
	require.Equal(t, "women", sum[1][5])
	assert.Equal(t, sum[1][7], strconv.Itoa(met), "women met in the rows and in the summary")

	for _, ext := range []string{"jsonl", "parquet"} {
		path := filepath.Join(dir, "trials."+ext)
		_, stderr, code := execute(t, "run", "teaching", "-n", "50", "--quiet", "--trials-out", path)
		require.Equal(t, 0, code, stderr)
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Positive(t, info.Size())
	}

	_, stderr, code := execute(t, "run", "teaching", "-n", "50", "--quiet", "--trials-out", filepath.Join(dir, "x.xlsx"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "want .csv, .jsonl or .parquet")
	_, stderr, code = execute(t, "run", "teaching", "-n", "50", "--quiet", "--tidy")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--tidy applies to --format csv")
}

func TestGoldenSweepTidyCSV(t *testing.T) {
	out, errOut, code := execute(t, sweepArgs("--tidy", "--share-target", "women>=0.27")...)
	require.Equal(t, 0, code, errOut)
	lines := strings.SplitAfter(out, "\n")
	require.Len(t, lines, 1+10*(4*4+3*4)+1, "a header, 28 lines per point and the empty rest")
	golden(t, "sweep-teaching-tidy.csv", strings.Join(lines[:30], ""))
	_, errOut, code = execute(t, sweepArgs("--tidy", "--shard", "1/2")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--tidy writes CSV for analysis")
}

// TestSchemaCommand checks that simulate schema prints the committed schema
// and writes it with --out.
func TestSchemaCommand(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "scenario.schema.json"))
	require.NoError(t, err)
	out, errOut, code := execute(t, "schema")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, string(want), out)
	path := filepath.Join(t.TempDir(), "s.json")
	_, errOut, code = execute(t, "schema", "--out", path)
	require.Equal(t, 0, code, errOut)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	_, _, code = execute(t, "schema", "extra")
	assert.Equal(t, 2, code)
}

package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/internal/colname"
)

// csvOutputs are the flags through which a command writes CSV (a --format
// that offers csv, or a file flag that takes .csv). Each must be covered by
// TestCSVColumnNamesAreIdentifiers; config's --format only shows a setting.
var csvOutputs = map[string]string{
	"run --format":         "run",
	"run --trials-out":     "run",
	"run --tidy":           "run",
	"sweep --tidy":         "sweep",
	"merge --format":       "merge",
	"sensitivity --format": "sensitivity",
	"sweep --format":       "sweep",
	"sweep --out":          "sweep",
	"config --format":      "a setting shown, not this command's output",
}

// TestEveryCSVOutputIsCovered finds every flag that mentions csv and
// requires an entry in csvOutputs, so that a new CSV output is not left
// out of the column-name check.
func TestEveryCSVOutputIsCovered(t *testing.T) {
	root := newRootCmd()
	for _, c := range root.Commands() {
		for _, sub := range append(c.Commands(), c) {
			sub.Flags().VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(strings.ToLower(f.Usage), "csv") {
					return
				}
				key := strings.TrimPrefix(sub.CommandPath(), "simulate ") + " --" + f.Name
				assert.Contains(t, csvOutputs, key, "a CSV output not checked by TestCSVColumnNamesAreIdentifiers")
			})
		}
	}
}

// TestCSVColumnNamesAreIdentifiers runs every command that writes CSV and
// checks every column name of its header with R's make.names rule (a
// syntactically valid name: letters, digits, dots and underscores, starting
// with a letter or a dot not followed by a digit, not a reserved word) and
// Python's identifier rule (pandas attribute access), and that names are
// unique. The Parquet per-trial file is checked too.
func TestCSVColumnNamesAreIdentifiers(t *testing.T) {
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	sweepWith := func(extra ...string) []string {
		return sweepArgs(append([]string{"--share-target", "women>=0.27", "--share-target", "front_line<=0.6"}, extra...)...)
	}
	// Shards to merge.
	for k := range 2 {
		part := []string{"1/2", "2/2"}[k]
		out, errOut, code := execute(t, "run", "teaching", "-n", "40", "--quiet", "--shard", part)
		require.Equal(t, 0, code, errOut)
		require.NoError(t, os.WriteFile(file("part"+part[:1]+".json"), []byte(out), 0o644))
		_, errOut, code = execute(t, sweepWith("--shard", part, "--out", file("sweep"+part[:1]+".csv"))...)
		require.Equal(t, 0, code, errOut)
	}
	tests := []struct {
		name string
		args []string
		file string // the CSV is this file, not stdout
	}{
		{"run", []string{"run", "teaching", "-n", "40", "--quiet", "--format", "csv"}, ""},
		{"run tidy", []string{"run", "teaching", "-n", "40", "--quiet", "--format", "csv", "--tidy"}, ""},
		{"run cpc20", []string{"run", "cpc20", "-n", "2", "--quiet", "--format", "csv", "--tidy"}, ""},
		{"run trials-out", []string{"run", "union", "-n", "40", "--quiet", "--trials-out", file("trials.csv")}, file("trials.csv")},
		{"run trials-out cpc20", []string{"run", "cpc20", "-n", "2", "--quiet", "--trials-out", file("cpc20.csv")}, file("cpc20.csv")},
		{"merge run", []string{"merge", file("part1.json"), file("part2.json"), "--format", "csv"}, ""},
		{"sweep", sweepWith(), ""},
		{"sweep out", sweepWith("--out", file("sweep.csv")), file("sweep.csv")},
		{"sweep tidy", sweepWith("--tidy"), ""},
		{"merge sweep", []string{"merge", file("sweep1.csv"), file("sweep2.csv")}, ""},
		{"sensitivity", teachingSensitivityArgs("--samples", "4", "--format", "csv"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, tc.args...)
			require.Equal(t, 0, code, errOut)
			if tc.file != "" {
				data, err := os.ReadFile(tc.file)
				require.NoError(t, err)
				out = string(data)
			}
			header, err := csv.NewReader(strings.NewReader(out)).Read()
			require.NoError(t, err)
			checkNames(t, header)
		})
	}
	t.Run("run trials-out parquet", func(t *testing.T) {
		path := file("trials.parquet")
		_, errOut, code := execute(t, "run", "cpc20", "-n", "2", "--quiet", "--trials-out", path)
		require.Equal(t, 0, code, errOut)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		var names []string
		for _, c := range f.Schema().Columns() {
			names = append(names, c...)
		}
		checkNames(t, names)
	})
}

func checkNames(t *testing.T, names []string) {
	t.Helper()
	require.NotEmpty(t, names)
	for _, n := range names {
		assert.True(t, colname.ValidR(n), "%q is not a syntactic name in R (make.names would change it)", n)
		assert.True(t, colname.Valid(n), "%q is not a Python identifier", n)
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	assert.Equal(t, len(sorted), len(slices.Compact(sorted)), "duplicate column names: %v", names)
}

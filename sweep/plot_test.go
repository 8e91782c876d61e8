package sweep

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRows builds rows over the given points without simulating.
func fakeRows(keys []string, points [][]string) []*Row {
	var rows []*Row
	for i, vals := range points {
		p := float64(i+1) / float64(len(points)+1)
		rows = append(rows, &Row{Point: i, Points: len(points), Trials: 100, Keys: keys, Values: vals,
			Targets: []TargetStat{
				{Name: "a", Probability: p, CILow: p * 0.9, CIHigh: min(1, p*1.1)},
				{Name: "b", Probability: 1 - p, CILow: (1 - p) * 0.9, CIHigh: 1 - p*0.9},
			}})
	}
	return rows
}

func TestPlotFormatsAndLayouts(t *testing.T) {
	dir := t.TempDir()
	grid2 := [][]string{}
	for _, x := range []string{"0.1", "0.2", "0.3"} {
		for _, y := range []string{"1", "2"} {
			grid2 = append(grid2, []string{x, y})
		}
	}
	tests := []struct {
		name  string
		file  string
		keys  []string
		pts   [][]string
		magic string
	}{
		{"one key svg", "one.svg", []string{"k"}, [][]string{{"0.3"}, {"0.1"}, {"0.2"}}, "<?xml"},
		{"one key png", "one.png", []string{"k"}, [][]string{{"0.1"}, {"0.2"}}, "\x89PNG"},
		{"one nominal key", "nominal.svg", []string{"mode"}, [][]string{{"full"}, {"expanded"}}, "<?xml"},
		{"heat map", "heat.png", []string{"x", "y"}, grid2, "\x89PNG"},
		{"nominal heat map", "heatn.svg", []string{"x", "y"}, [][]string{{"a", "p"}, {"a", "q"}, {"b", "p"}, {"b", "q"}}, "<?xml"},
		{"scattered", "lhs.svg", []string{"x", "y"}, [][]string{{"0.1", "3"}, {"0.5", "1"}, {"0.3", "2"}}, "<?xml"},
		{"pdf", "one.pdf", []string{"k"}, [][]string{{"0.1"}, {"0.2"}}, "%PDF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			require.NoError(t, Plot(path, fakeRows(tc.keys, tc.pts)))
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(b, []byte(tc.magic)), "%s starts %q", tc.file, b[:min(len(b), 8)])
		})
	}
	err := Plot(filepath.Join(dir, "three.svg"), fakeRows([]string{"x", "y", "z"}, [][]string{{"1", "2", "3"}}))
	assert.ErrorContains(t, err, "one or two swept keys")
	err = Plot(filepath.Join(dir, "x.gif"), fakeRows([]string{"k"}, [][]string{{"1"}}))
	assert.ErrorContains(t, err, "unknown image format")
	err = Plot(filepath.Join(dir, "none.svg"), nil)
	assert.ErrorContains(t, err, "no finished points")
}

func TestTitleGivesTheTrialsRange(t *testing.T) {
	assert.Contains(t, title([]*Row{{Trials: 100}, {Trials: 100}}), "100 trials per point")
	assert.Contains(t, title([]*Row{{Trials: 300}, {Trials: 100}, {Trials: 200}}), "100–300 trials per point")
}

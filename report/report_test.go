package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

func teachingResult(t *testing.T) (*scenario.Scenario, *sim.Result) {
	t.Helper()
	data, ok := configs.Read("teaching")
	require.True(t, ok)
	sc, err := scenario.Load("teaching", data, scenario.Options{})
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), m, sim.Options{Trials: 200, Seed: 3})
	require.NoError(t, err)
	res.Version = "test"
	return sc, res
}

func TestFormats(t *testing.T) {
	sc, res := teachingResult(t)
	tests := []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{report.FormatText, func(t *testing.T, out string) {
			for _, part := range []string{"Targets (probability met", "Elected shares", "Stage funnel", "Tracked shares", "Congress votes", "组织考察"} {
				assert.Contains(t, out, part)
			}
			for _, line := range strings.Split(out, "\n") {
				assert.Equal(t, strings.TrimRight(line, " "), line, "no trailing blanks")
			}
		}},
		{report.FormatJSON, func(t *testing.T, out string) {
			var back sim.Result
			require.NoError(t, json.Unmarshal([]byte(out), &back))
			assert.Equal(t, *res, back)
		}},
		{report.FormatCSV, func(t *testing.T, out string) {
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			require.NoError(t, err)
			require.Len(t, rows, 1+len(res.Targets))
			assert.Equal(t, "probability", rows[0][8])
			assert.Equal(t, res.Targets[0].Name, rows[1][5])
		}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, report.Write(&buf, tc.format, sc, res, report.Options{ByUnit: true}))
			tc.check(t, buf.String())
		})
	}
	var buf bytes.Buffer
	assert.ErrorContains(t, report.Write(&buf, "xml", sc, res, report.Options{}), "unknown format")
}

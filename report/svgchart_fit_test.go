package report

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/internal/i18n"
	"simulate/sim"
)

// Labels must fit the picture: the funnel's value labels after the longest
// bar, and the row labels before the plotting area (cpc20's long names).
func TestChartLabelsFit(t *testing.T) {
	r := &sim.Result{
		Funnel: []sim.StageResult{
			{Stage: "nomination", Entered: 3384, Left: 3384},
			{Stage: "publicity", Entered: 2822.6, Left: 2594, Shortfall: 0.03},
			{Stage: "a_rather_long_stage_name", Entered: 2646, Left: 2300, Shortfall: 12.5},
		},
		Targets: []sim.TargetResult{{Name: "women_above_members", Probability: 0.98, CILow: 0.97, CIHigh: 0.99}},
	}
	value := regexp.MustCompile(`<text class="value" x="([0-9.]+)"[^>]*>([^<]*)</text>`)
	svg := FunnelChart(r, i18n.En)
	matches := value.FindAllStringSubmatch(svg, -1)
	require.Len(t, matches, 3)
	for _, m := range matches {
		x, _ := strconv.ParseFloat(m[1], 64)
		assert.LessOrEqual(t, x+textSpan(m[2], valueNarrow, valueWide), chartW, "value label %q runs off the right edge", m[2])
	}
	row := regexp.MustCompile(`<text class="rowlabel" x="([0-9.]+)"[^>]*>([^<]*)</text>`)
	for _, svg := range []string{FunnelChart(r, i18n.En), TargetsChart(r, i18n.En)} {
		for _, m := range row.FindAllStringSubmatch(svg, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			assert.GreaterOrEqual(t, x-textSpan(m[2], rowNarrow, rowWide), 0.0, "row label %q runs off the left edge", m[2])
		}
	}
}

// A label too long for the room left of the plotting area is cut with an
// ellipsis, the whole of it in a tooltip; a short one is written whole.
func TestRowLabelAbbreviated(t *testing.T) {
	long := "a_very_long_target_name_that_no_chart_could_hold_beside_its_bars_at_all"
	r := &sim.Result{Targets: []sim.TargetResult{{Name: long, Probability: 0.5}, {Name: "women", Probability: 0.9}}}
	svg := TargetsChart(r, i18n.En)
	row := regexp.MustCompile(`<text class="rowlabel" x="([0-9.]+)"[^>]*>([^<]*)(<title>([^<]*)</title>)?</text>`)
	m := row.FindAllStringSubmatch(svg, -1)
	require.Len(t, m, 2)
	assert.Equal(t, long, m[0][4], "the whole label in the tooltip")
	assert.True(t, strings.HasSuffix(m[0][2], "…"), m[0][2])
	assert.True(t, strings.HasPrefix(long, strings.TrimSuffix(m[0][2], "…")))
	x, _ := strconv.ParseFloat(m[0][1], 64)
	assert.GreaterOrEqual(t, x-textSpan(m[0][2], rowNarrow, rowWide), 0.0, "the cut label fits")
	assert.Equal(t, "women", m[1][2])
	assert.Empty(t, m[1][3], "no tooltip for a whole label")
}

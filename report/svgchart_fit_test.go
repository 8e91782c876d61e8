package report

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	svg := FunnelChart(r)
	matches := value.FindAllStringSubmatch(svg, -1)
	require.Len(t, matches, 3)
	for _, m := range matches {
		x, _ := strconv.ParseFloat(m[1], 64)
		assert.LessOrEqual(t, x+textSpan(m[2], valueNarrow, valueWide), chartW, "value label %q runs off the right edge", m[2])
	}
	row := regexp.MustCompile(`<text class="rowlabel" x="([0-9.]+)"[^>]*>([^<]*)</text>`)
	for _, svg := range []string{FunnelChart(r), TargetsChart(r)} {
		for _, m := range row.FindAllStringSubmatch(svg, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			assert.GreaterOrEqual(t, x-textSpan(m[2], rowNarrow, rowWide), 0.0, "row label %q runs off the left edge", m[2])
		}
	}
}

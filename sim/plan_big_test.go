package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

func TestPlanningAHugeListIsQuick(t *testing.T) {
	// A unit of 60,000 seats with a planned per-unit target: the planner
	// must not scan every possible count (that was O(k²) exact tails).
	data := fmt.Sprintf(planning, 0.99)
	sc, err := scenario.Load("planning", []byte(data), scenario.Options{Sets: []string{
		"quota=60000", "units[0].seats=60000", "units[0].entitled_voters=10", "stages[name=reserve].select.size={count: 80000}",
		"stages[name=nomination].nominate.ratio=0.5",
	}})
	require.NoError(t, err)
	m, err := Compile(sc)
	require.NoError(t, err)
	lo := m.stages[1].quotas[0].plan[0].lo
	// need > 40% of 60,000 = 24,001 women among 60,000 drawn from 80,000
	require.Greater(t, lo, 24001*80000/60000)
	require.GreaterOrEqual(t, hyperAtLeast(80000, lo, 60000, 24001), 0.99)
	require.Less(t, hyperAtLeast(80000, lo-1, 60000, 24001), 0.99)
}

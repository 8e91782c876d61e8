package sim_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCalibrationCPC20 checks that the default scenario reproduces the
// published 2022 composition: the mean elected share within ±1.5 percentage
// points for each calibrated share, and the elected total within 1% of 2,296.
func TestCalibrationCPC20(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the national scenario")
	}
	sc := embedded(t, "cpc20")
	res := run(t, sc, 300, 0)
	calibrated := []string{
		"front_line", "workers", "farmers", "professional_technical", "women", "minorities",
		"aged_55_or_under", "aged_45_or_under", "junior_college_or_above", "postgraduate",
	}
	byName := map[string]int{}
	for i, s := range res.Shares {
		byName[s.Name] = i
	}
	for _, name := range calibrated {
		i, ok := byName[name]
		require.True(t, ok, "cpc20 tracks %s", name)
		s := res.Shares[i]
		require.NotNil(t, s.Published, "%s has a published value", name)
		assert.LessOrEqualf(t, math.Abs(s.Mean-*s.Published), 0.015,
			"%s: mean %.2f%% vs published %.2f%%", name, 100*s.Mean, 100**s.Published)
	}
	assert.InDelta(t, 2296, res.Elected.Mean, 0.01*2296)
}

package sim_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

// TestCalibrationCPC20 checks that the default scenario reproduces every
// published 2022 fact as a typical outcome, at 2,000 trials and seed 11
// (not the calibration's own trials and seed): each published share within
// ±1.0 point of the model's mean and inside its 90% interval, each target
// published as met with P(met) ≥ 0.9, and the elected mean within ±5 of
// 2,296.
func TestCalibrationCPC20(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the national scenario")
	}
	sc := embedded(t, "cpc20")
	sc.Run.Seed = 11
	res := run(t, sc, 2000, 0)
	shares := 0
	for _, s := range res.Shares {
		if s.Published == nil {
			continue
		}
		shares++
		pub := *s.Published
		assert.LessOrEqualf(t, math.Abs(s.Mean-pub), 0.010,
			"%s: mean %.2f%% vs published %.2f%%", s.Name, 100*s.Mean, 100*pub)
		assert.Truef(t, s.P05 <= pub && pub <= s.P95,
			"%s: published %.1f%% outside the 90%% interval [%.1f%%, %.1f%%]", s.Name, 100*pub, 100*s.P05, 100*s.P95)
	}
	assert.GreaterOrEqual(t, shares, 11, "cpc20 publishes 11 shares")
	met := 0
	for i, tr := range res.Targets {
		if sc.Targets[i].Published != scenario.PublishedMet {
			continue
		}
		met++
		assert.GreaterOrEqualf(t, tr.Probability, 0.9, "%s: published as met, P(met) %.3f", tr.Name, tr.Probability)
	}
	assert.Equal(t, 4, met, "front-line, leading cadres, women above members, minorities")
	assert.InDelta(t, 2296, res.Elected.Mean, 5)
	require.NotNil(t, res.Facts)
	assert.Equal(t, res.Facts.Total, res.Facts.Reproduced, "published facts reproduced")
}

package sim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const recommending = `
name: levels
run: {seed: 9}
quota: 10
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.5, female: 0.5}
units:
  - name: U
    seats: 10
    recommending:
      - name: womens_federation
        weight: 3
        pool: [{trait: gender, shares: {female: 1}}]
      - name: factory
        weight: 7
        pool: [{trait: gender, shares: {male: 1}}]
stages:
  - name: nomination
    nominate: {mode: full}
targets:
  - name: exactly_three_women
    when: {gender: [female]}
    min_count: 3
    max_count: 3
shares:
  - name: women
    when: {gender: [female]}
`

func TestRecommendingUnitsSplitLevelByLevel(t *testing.T) {
	// 10 nominations split 3:7 between two bodies whose pools are all women
	// and all men: every trial nominates exactly 3 women.
	res := run(t, load(t, "levels", recommending), 200, 2)
	assert.Equal(t, 1.0, target(t, res, "exactly_three_women").Probability)
	assert.Equal(t, 0.3, res.Shares[0].P05)
	assert.Equal(t, 0.3, res.Shares[0].P95)
}

func TestNominationModes(t *testing.T) {
	tests := []struct {
		name string
		set  string
		want float64
	}{
		{"full", "stages[0].nominate={mode: full}", 10},
		{"expanded", "stages[0].nominate={mode: expanded, ratio: 0.25}", 13},                   // 10 + ⌈2.5⌉
		{"combined", "stages[0].nominate={mode: combined, ratio: 1, expanded_share: 0.5}", 15}, // 10 + ⌈1·5⌉
		{"unit override", "units[0].nomination={mode: expanded, ratio: 2}", 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, load(t, "levels", recommending, tc.set), 20, 1)
			assert.Equal(t, tc.want, res.Funnel[0].Left)
		})
	}
}

func TestTotalCountBesideAShareIsNotAQuota(t *testing.T) {
	// A total-scope target with min_share 0.05 and min_count 5 of 10 seats:
	// the count stays a requirement on the result, but beside a share bound
	// it does not become a list quota (docs §11.5): a list of 10 from 40
	// nominees of a pool with 30% women keeps the women the merit order
	// gives it (3 on average), not at least 5.
	sc := load(t, "levels", recommending,
		`units[0].recommending=[]`,
		`pool=[{trait: gender, shares: {male: 0.7, female: 0.3}}]`,
		`stages=[{name: nomination, nominate: {mode: expanded, ratio: 4}}, {name: shortlist, select: {size: {count: 10}, from_targets: true}}]`,
		`targets=[{name: women, when: {gender: [female]}, min_share: 0.05, min_count: 5}]`)
	res := run(t, sc, 400, 1)
	// With the count as a quota the list would hold 5 women whenever 5 were
	// nominated (P05 ≥ 0.5).
	assert.Less(t, res.Shares[0].P05, 0.5)
	assert.InDelta(t, 0.3, res.Shares[0].Mean, 0.05)
}

package scenario_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

func TestCeilFloorMul(t *testing.T) {
	tests := []struct {
		r           float64
		n           int
		ceil, floor int
	}{
		{0.15, 20, 3, 3}, // 0.15·20 = 3.0000000000000004 in binary: still exactly 3
		{0.15, 67, 11, 10},
		{0.3, 20, 6, 6},
		{0.6, 20, 12, 12}, // 12.000000000000002
		{0.1, 30, 3, 3},   // 3.0000000000000004
		{0.7, 10, 7, 7},   // 7.000000000000001
		{0.29, 100, 29, 29},
		{0.3333333333, 26, 9, 8}, // one third of 26 → 9
		{1.0 / 3, 27, 9, 9},
		{0.5, 1, 1, 0},
		{0.2, 24, 5, 4},
		{0, 20, 0, 0},
		{0.4, 0, 0, 0},
		{2, 7, 14, 14},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%v×%d", tc.r, tc.n), func(t *testing.T) {
			assert.Equal(t, tc.ceil, scenario.CeilMul(tc.r, tc.n), "CeilMul")
			assert.Equal(t, tc.floor, scenario.FloorMul(tc.r, tc.n), "FloorMul")
		})
	}
}

// Extra: "at least r" asks for ⌈r·n⌉ extra names, "more than r" for
// ⌊r·n⌋+1, and no ratio asks for none.
func TestExtra(t *testing.T) {
	tests := []struct {
		r      float64
		strict bool
		n      int
		want   int
	}{
		{0.15, true, 20, 4},
		{0.15, true, 67, 11},
		{0.15, false, 20, 3},
		{0.15, false, 67, 11},
		{0.15, true, 30, 5}, // 4.5 → 4, more than → 5
		{0.15, false, 30, 5},
		{0.2, true, 10, 3},
		{0.2, false, 10, 2},
		{0.2, false, 11, 3},
		{0.2, true, 11, 3},
		{0.15, true, 1, 1},
		{0.15, false, 1, 1},
		{0, true, 20, 0},
		{0, false, 20, 0},
		{0.15, true, 0, 0},
		{1, true, 5, 6},
		{1, false, 5, 5},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%v/%v/%d", tc.r, tc.strict, tc.n), func(t *testing.T) {
			assert.Equal(t, tc.want, scenario.Extra(tc.r, tc.strict, tc.n))
		})
	}
}

func TestNomineeCount(t *testing.T) {
	tests := []struct {
		name string
		m    scenario.NominationMode
		n    int
		want int
	}{
		{"expanded 60%", scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: 0.6}, 20, 32},
		{"expanded 20% of 1", scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: 0.2}, 1, 2},
		{"expanded 20% of 25", scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: 0.2}, 25, 30},
		{"expanded 0%", scenario.NominationMode{Mode: scenario.ModeExpanded}, 20, 20},
		{"full", scenario.NominationMode{Mode: scenario.ModeFull}, 20, 20},
		{"combined half", scenario.NominationMode{Mode: scenario.ModeCombined, Ratio: 0.2, ExpandedShare: 0.5}, 20, 22},
		{"combined 30% of 25", scenario.NominationMode{Mode: scenario.ModeCombined, Ratio: 0.2, ExpandedShare: 0.3}, 25, 27},
		{"combined rounds the expanded part up", scenario.NominationMode{Mode: scenario.ModeCombined, Ratio: 1, ExpandedShare: 0.1}, 11, 13},
		{"no mode", scenario.NominationMode{}, 20, 20},
		{"zero seats", scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: 0.6}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, scenario.NomineeCount(tc.m, tc.n))
		})
	}
}

// List and ballot sizes of the base scenario: 20 seats, a strict 15% surplus.
func TestListSizes(t *testing.T) {
	sc, err := loadBase(t, scenario.Options{})
	require.NoError(t, err)
	u := sc.Units[0]
	surplus, count := 0.3, 22
	assert.Equal(t, 4, sc.BallotExtra(&u))
	assert.Equal(t, 24, sc.ListSize(scenario.ListSize{Ballot: true}, &u))
	assert.Equal(t, 26, sc.ListSize(scenario.ListSize{Surplus: &surplus}, &u))
	assert.Equal(t, 27, sc.ListSize(scenario.ListSize{Surplus: &surplus, Strict: true}, &u))
	assert.Equal(t, 22, sc.ListSize(scenario.ListSize{Count: &count}, &u))
	assert.Equal(t, 20, sc.ListSize(scenario.ListSize{}, &u))

	central := u
	central.Central = 5 // 15 local seats: ⌊0.15·15⌋+1 = 3 extra
	assert.Equal(t, 3, sc.BallotExtra(&central))
	assert.Equal(t, 18, sc.ListSize(scenario.ListSize{Ballot: true}, &central))

	uncontested := u
	uncontested.Uncontested = true
	assert.Equal(t, 0, sc.BallotExtra(&uncontested))
	assert.Equal(t, 20, sc.ListSize(scenario.ListSize{Ballot: true}, &uncontested))

	assert.Equal(t, []int{0}, sc.TargetUnits(&sc.Targets[0]))
	assert.Empty(t, sc.TargetUnits(&scenario.Target{Units: []string{"Town"}}))
	assert.Equal(t, []int{0}, sc.TargetUnits(&scenario.Target{Groups: []string{"county"}}))
}

func TestMinMaxCountAndHolds(t *testing.T) {
	third := 0.3333333333
	tests := []struct {
		name   string
		target scenario.Target
		c, n   int
		member float64
		want   bool
	}{
		{"one third of 26 needs 9", scenario.Target{MinShare: &third}, 9, 26, 0, true},
		{"8 of 26 is short", scenario.Target{MinShare: &third}, 8, 26, 0, false},
		{"above 29% of 26 needs 8", scenario.Target{AboveMemberShare: true, Strict: true}, 8, 26, 0.29, true},
		{"7 of 26 is not above 29%", scenario.Target{AboveMemberShare: true, Strict: true}, 7, 26, 0.29, false},
		{"nobody meets a positive minimum share", scenario.Target{MinShare: &third}, 0, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.target.Holds(tc.c, tc.n, tc.member))
		})
	}
	assert.Equal(t, 9, scenario.MinCount(third, false, 26))
	assert.Equal(t, 8, scenario.MinCount(0.29, true, 26))
	assert.Equal(t, 3, scenario.MaxCount(0.15, false, 20))
	assert.Equal(t, 2, scenario.MaxCount(0.15, true, 20))
	assert.Equal(t, []int{3, 7}, scenario.LargestRemainder([]float64{3, 7}, 10))
	assert.Equal(t, []int{2, 1, 1}, scenario.LargestRemainder([]float64{1, 1, 1}, 4), "ties go to the earlier index")
	assert.Equal(t, []int{0, 0}, scenario.LargestRemainder([]float64{0, 0}, 5))
}

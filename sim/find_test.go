package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim"
)

// TestFindTrialFirstMatch: the trial found is the lowest that matches,
// whatever the number of workers; no earlier one does.
func TestFindTrialFirstMatch(t *testing.T) {
	sc := embedded(t, "teaching")
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	q := sim.TrialQuery{Kind: sim.FindMissed, Target: "women", Scope: sc.Target("women").Scope}
	var found []uint64
	for _, workers := range []int{1, 3} {
		trial, _, ok, err := sim.FindTrial(context.Background(), m, q, 7, 0, 200, workers, nil)
		require.NoError(t, err)
		require.True(t, ok)
		found = append(found, trial)
	}
	assert.Equal(t, found[0], found[1])
	for k := range found[0] + 1 {
		hit, _, err := q.Matches(m, 7, k)
		require.NoError(t, err)
		assert.Equal(t, k == found[0], hit, "trial %d", k)
	}
	_, _, ok, err := sim.FindTrial(context.Background(), m, sim.TrialQuery{Kind: sim.FindMet, Target: "women", Scope: q.Scope}, 7, found[0], found[0]+1, 1, nil)
	require.NoError(t, err)
	assert.False(t, ok, "the trial that missed the target did not meet it")
}

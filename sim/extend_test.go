package sim_test

import (
	"context"
	"testing"

	"simulate/sim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExtendEqualsOneRun: consecutive batches extended one by one give the
// result of one run of all their trials; a gap or another seed is refused.
func TestExtendEqualsOneRun(t *testing.T) {
	m, err := sim.Compile(embedded(t, "teaching"))
	require.NoError(t, err)
	ctx := context.Background()
	whole, err := sim.Run(ctx, m, sim.Options{Trials: 70, Seed: 5})
	require.NoError(t, err)
	total, err := sim.RunTally(ctx, m, sim.Options{Trials: 16, Seed: 5})
	require.NoError(t, err)
	for _, b := range []struct{ first, n int }{{16, 30}, {46, 24}} {
		next, err := sim.RunTally(ctx, m, sim.Options{FirstTrial: b.first, Trials: b.n, Seed: 5})
		require.NoError(t, err)
		require.NoError(t, total.Extend(next))
	}
	assert.Equal(t, whole, total.Result())

	gap, err := sim.RunTally(ctx, m, sim.Options{FirstTrial: 80, Trials: 4, Seed: 5})
	require.NoError(t, err)
	assert.ErrorContains(t, total.Extend(gap), "cannot follow")
	other, err := sim.RunTally(ctx, m, sim.Options{FirstTrial: 70, Trials: 4, Seed: 6})
	require.NoError(t, err)
	assert.ErrorContains(t, total.Extend(other), "seed 6")
}

package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim"
)

// TestRunPairedMarginalsAreTheRuns checks that each side of a paired run
// is exactly the plain run of its model with its seed, for any workers, and
// that with one seed the shared draws make the two sides agree wherever the
// models do.
func TestRunPairedMarginalsAreTheRuns(t *testing.T) {
	a, err := sim.Compile(embedded(t, "teaching"))
	require.NoError(t, err)
	b, err := sim.Compile(embedded(t, "teaching", "stages[name=election].elect.voters.approval=0.8"))
	require.NoError(t, err)
	ctx := context.Background()
	var first *sim.PairedTally
	for _, workers := range []int{1, 3} {
		p, err := sim.RunPaired(ctx, a, b, sim.PairedOptions{Trials: 300, SeedA: 4, SeedB: 4, Workers: workers})
		require.NoError(t, err)
		if first == nil {
			first = p
		} else {
			assert.Equal(t, first, p, "the same tally for any number of workers")
		}
	}
	ra, err := sim.Run(ctx, a, sim.Options{Trials: 300, Seed: 4})
	require.NoError(t, err)
	rb, err := sim.Run(ctx, b, sim.Options{Trials: 300, Seed: 4})
	require.NoError(t, err)
	require.Len(t, first.Targets, len(ra.Targets))
	for i, tp := range first.Targets {
		assert.Equal(t, ra.Targets[i].Met, tp.Both+tp.OnlyA, tp.Name)
		assert.Equal(t, rb.Targets[i].Met, tp.Both+tp.OnlyB, tp.Name)
		assert.Equal(t, int64(300), tp.Both+tp.OnlyA+tp.OnlyB+tp.Neither)
	}
	for i, sp := range first.Shares {
		assert.InDelta(t, ra.Shares[i].Mean, float64(sp.SumA)/float64(sp.NA)/sim.ShareScale, 1e-4, sp.Name)
		assert.InDelta(t, rb.Shares[i].Mean, float64(sp.SumB)/float64(sp.NB)/sim.ShareScale, 1e-4, sp.Name)
	}
	// The approval acts only at the election: the nominees and every earlier
	// stage are the same trial by trial, so the funnels agree before it.
	for s := 0; s < 4; s++ {
		assert.Equal(t, ra.Funnel[s].Composition, rb.Funnel[s].Composition, "stage %s", ra.Funnel[s].Stage)
	}
}

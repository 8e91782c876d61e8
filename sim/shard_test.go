package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim"
)

// roundTrip writes a partial as JSON and reads it back, as a shard's file would be.
func roundTrip(t *testing.T, p *sim.Partial) *sim.Partial {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.NewEncoder(&buf).Encode(p))
	back, err := sim.ReadPartial(&buf)
	require.NoError(t, err)
	return back
}

func TestShardsMergeToTheUnsplitRun(t *testing.T) {
	for _, name := range []string{"teaching", "union"} {
		t.Run(name, func(t *testing.T) {
			sc := embedded(t, name)
			m, err := sim.Compile(sc)
			require.NoError(t, err)
			opts := sim.Options{Trials: 203, Seed: 17, Workers: 2}
			whole, err := sim.Run(context.Background(), m, opts)
			require.NoError(t, err)
			want, _ := json.Marshal(whole)
			for _, n := range []int{1, 3, 7} {
				var parts []*sim.Partial
				for k := n; k >= 1; k-- { // any order
					p, err := sim.RunShard(context.Background(), m, opts, k, n)
					require.NoError(t, err)
					parts = append(parts, roundTrip(t, p))
				}
				tally, err := sim.MergePartials(parts)
				require.NoError(t, err)
				got, _ := json.Marshal(tally.Result())
				require.True(t, bytes.Equal(want, got), "%d shards differ from one run", n)
			}
		})
	}
}

func TestMergeRefusesMismatchedShards(t *testing.T) {
	sc := embedded(t, "teaching")
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	opts := sim.Options{Trials: 40, Seed: 1, Workers: 1}
	shard := func(k, n int, o sim.Options) *sim.Partial {
		p, err := sim.RunShard(context.Background(), m, o, k, n)
		require.NoError(t, err)
		return roundTrip(t, p)
	}
	other := embedded(t, "teaching", "units[0].seats=20", "stages[1].filter.vetoes[0].rate=0.02")
	mo, err := sim.Compile(other)
	require.NoError(t, err)
	foreign, err := sim.RunShard(context.Background(), mo, opts, 2, 2)
	require.NoError(t, err)
	reseeded := opts
	reseeded.Seed = 2
	swapped := shard(2, 2, opts)
	swapped.Scenario = other // the tally's hash still claims the first scenario
	tests := []struct {
		name  string
		parts []*sim.Partial
		want  string
	}{
		{"missing", []*sim.Partial{shard(1, 3, opts), shard(3, 3, opts)}, "missing shards [2]"},
		{"twice", []*sim.Partial{shard(1, 2, opts), shard(1, 2, opts), shard(2, 2, opts)}, "given twice"},
		{"other scenario", []*sim.Partial{shard(1, 2, opts), roundTrip(t, foreign)}, "different scenario"},
		{"other seed", []*sim.Partial{shard(1, 2, opts), shard(2, 2, reseeded)}, "seed"},
		{"scenario swapped", []*sim.Partial{shard(1, 2, opts), swapped}, "shard 2 carries a different scenario than shard 1"},
		{"other split", []*sim.Partial{shard(1, 2, opts), shard(2, 3, opts)}, "does not belong"},
		{"none", nil, "no partial"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sim.MergePartials(tc.parts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = sim.ReadPartial(bytes.NewReader([]byte(`{"format":"other"}`)))
	assert.ErrorContains(t, err, "not a partial result")
}

func TestShardRange(t *testing.T) {
	covered := 0
	for k := 1; k <= 7; k++ {
		first, count, err := sim.ShardRange(k, 7, 100)
		require.NoError(t, err)
		assert.Equal(t, covered, first)
		covered += count
	}
	assert.Equal(t, 100, covered)
	for _, bad := range [][3]int{{0, 3, 10}, {4, 3, 10}, {1, 0, 10}, {1, 11, 10}} {
		_, _, err := sim.ShardRange(bad[0], bad[1], bad[2])
		assert.Error(t, err, "%v", bad)
	}
}

func TestMergeRefusesMixedVersions(t *testing.T) {
	sc := embedded(t, "teaching")
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	opts := sim.Options{Trials: 20, Seed: 1, Workers: 1}
	a, err := sim.RunShard(context.Background(), m, opts, 1, 2)
	require.NoError(t, err)
	b, err := sim.RunShard(context.Background(), m, opts, 2, 2)
	require.NoError(t, err)
	a.Version, b.Version = "v1", "v2"
	_, err = sim.MergePartials([]*sim.Partial{roundTrip(t, a), roundTrip(t, b)})
	assert.ErrorContains(t, err, "same program")
}

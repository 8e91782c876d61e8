package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim"
)

// teachingPartial returns the JSON of shard 1 of 2 of a 40-trial teaching run.
func teachingPartial(t testing.TB) []byte {
	t.Helper()
	sc := embedded(t, "teaching")
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	p, err := sim.RunShard(context.Background(), m, sim.Options{Trials: 40, Seed: 3}, 1, 2)
	require.NoError(t, err)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return b
}

// editPartial decodes a partial's JSON into a generic tree, applies f and encodes it.
func editPartial(t *testing.T, data []byte, f func(p map[string]any)) []byte {
	t.Helper()
	var p map[string]any
	require.NoError(t, json.Unmarshal(data, &p))
	f(p)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return b
}

func TestMergeRefusesTamperedShards(t *testing.T) {
	good := teachingPartial(t)
	tally := func(p map[string]any) map[string]any { return p["tally"].(map[string]any) }
	tests := []struct {
		name string
		edit func(p map[string]any)
		want string
	}{
		{"met above trials", func(p map[string]any) { tally(p)["met"].([]any)[0] = 21 }, "met count (21) is impossible"},
		{"negative met", func(p map[string]any) { tally(p)["met"].([]any)[0] = -1 }, "met count (-1)"},
		{"negative list count", func(p map[string]any) { tally(p)["entered"].([]any)[0] = -5 }, "list count (-5)"},
		{"huge list count", func(p map[string]any) { tally(p)["left"].([]any)[0] = int64(1) << 62 }, "list count"},
		{"histogram sum near 2^63", func(p map[string]any) {
			tally(p)["shares"].([]any)[0].(map[string]any)["sum_1e9"] = int64(math.MaxInt64 - 10)
		}, "histogram sum"},
		{"a billion billion shards", func(p map[string]any) { p["shards"] = 1e18 }, "more shards than"},
		{"ten million shards", func(p map[string]any) { p["shards"], p["total_trials"] = 10_000_000, 10_000_000 }, ""},
		{"more histograms than shares", func(p map[string]any) {
			hs := tally(p)["shares"].([]any)
			for i := 0; i < 20000; i++ {
				hs = append(hs, map[string]any{"count": 0, "sum_1e9": 0, "min_1e9": 0, "max_1e9": 0, "bins": []any{}})
			}
			tally(p)["shares"] = hs
		}, "20003 share histograms for a scenario tracking 3 shares"},
		{"elected above seats", func(p map[string]any) { tally(p)["elected_max"] = 999 }, "elected total"},
		{"lost-at counts that do not add up", func(p map[string]any) {
			lost := tally(p)["lost_at"].([]any)[0].([]any)
			lost[0] = lost[0].(float64) + 1
		}, "sum of lost-at counts"},
		{"not json", nil, "not a partial result"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte("{not json")
			if tc.edit != nil {
				data = editPartial(t, good, tc.edit)
			}
			p, err := sim.ReadPartial(bytes.NewReader(data))
			if err == nil {
				_, err = sim.MergePartials([]*sim.Partial{p})
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 400, "the message stays short")
		})
	}
}

func TestReadPartialRefusesOversizedFiles(t *testing.T) {
	big := io.MultiReader(strings.NewReader(`{"format":"`), io.LimitReader(endless{}, sim.MaxPartialBytes), strings.NewReader(`"}`))
	_, err := sim.ReadPartial(big)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("larger than %d MB", sim.MaxPartialBytes>>20))
}

// endless reads as an endless run of 'x'.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// FuzzMergePartial feeds arbitrary bytes to the partial reader and the
// merge: no input may panic (or allocate beyond the caps).
func FuzzMergePartial(f *testing.F) {
	good := teachingPartial(f)
	f.Add(good)
	f.Add([]byte(`{"format":"simulate-partial/1"}`))
	f.Add(bytes.Replace(good, []byte(`"met":[`), []byte(`"met":[-`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := sim.ReadPartial(bytes.NewReader(data))
		if err != nil {
			return
		}
		if tally, err := sim.MergePartials([]*sim.Partial{p, p}); err == nil {
			_ = tally.Result()
		}
		if tally, err := sim.MergePartials([]*sim.Partial{p}); err == nil {
			_ = tally.Result()
		}
	})
}

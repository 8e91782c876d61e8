package sim_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim"
	"simulate/sim/stats"
)

func TestNextTrials(t *testing.T) {
	tests := []struct {
		name        string
		n, b        int
		h, eps      float64
		limit, want int
	}{
		{"precise enough: stop", 100, 100, 0.009, 0.01, 10000, 100},
		{"at the cap: stop", 800, 100, 0.05, 0.01, 800, 800},
		{"predicted need, rounded up to a batch", 400, 100, 0.012, 0.01, 10000, 600}, // 400·1.44 = 576 → 600
		{"at least one batch", 1000, 100, 0.0101, 0.01, 10000, 1100},
		{"at most a doubling", 100, 100, 0.05, 0.01, 10000, 200},
		{"capped", 1000, 100, 0.02, 0.01, 1500, 1500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, sim.NextTrials(tc.n, tc.b, tc.h, tc.eps, tc.limit))
		})
	}
}

// TestRunSequentialStopsAtThePrecision runs the binomial draw (women
// nominated ~ Binomial(20, 0.3)) until the targets' 95% half-widths are
// below 0.01: the result is that of a plain run of the final trials,
// whatever the workers, its interval covers the exact probability, and the
// run stopped at the first batch boundary where the rule held.
func TestRunSequentialStopsAtThePrecision(t *testing.T) {
	sc := load(t, "draw", drawOnly)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	rule := sim.Sequential{Precision: 0.01, MaxTrials: 100000, Width: (*sim.Tally).TargetWidth}
	var first []byte
	var trials int
	for _, workers := range []int{1, 3} {
		tl, err := sim.RunSequential(context.Background(), m, sim.Options{Trials: 500, Seed: 3, Workers: workers}, rule)
		require.NoError(t, err)
		b, err := json.Marshal(tl.Result())
		require.NoError(t, err)
		if first == nil {
			first, trials = b, int(tl.Trials)
			continue
		}
		assert.Equal(t, string(first), string(b), "the same result for any number of workers")
	}
	plain, err := sim.RunTally(context.Background(), m, sim.Options{Trials: trials, Seed: 3})
	require.NoError(t, err)
	b, err := json.Marshal(plain.Result())
	require.NoError(t, err)
	assert.Equal(t, string(first), string(b), "a plain run of the final number of trials")
	assert.Less(t, plain.TargetWidth(), 0.01)
	res := plain.Result()
	// The half-width of p ≈ 0.39 at 1% needs about 1.96²·0.24/0.01² ≈ 9,200 trials.
	assert.InDelta(t, 9200, trials, 1500)
	requireCovers(t, target(t, res, "women7"), trials, stats.BinomialSurvival(20, 0.3, 7))
	// One batch earlier (by the schedule) the rule did not hold yet.
	n := 500
	for {
		tl, err := sim.RunTally(context.Background(), m, sim.Options{Trials: n, Seed: 3})
		require.NoError(t, err)
		next := sim.NextTrials(n, 500, tl.TargetWidth(), 0.01, 100000)
		if next == n {
			break
		}
		assert.GreaterOrEqual(t, tl.TargetWidth(), 0.01)
		n = next
	}
	assert.Equal(t, trials, n)
}

func TestRunSequentialHonoursTheCap(t *testing.T) {
	m, err := sim.Compile(load(t, "draw", drawOnly))
	require.NoError(t, err)
	tl, err := sim.RunSequential(context.Background(), m, sim.Options{Trials: 100, Seed: 3},
		sim.Sequential{Precision: 0.001, MaxTrials: 700, Width: (*sim.Tally).TargetWidth})
	require.NoError(t, err)
	assert.Equal(t, int64(700), tl.Trials)
	_, err = sim.RunSequential(context.Background(), m, sim.Options{Trials: 100, Seed: 3},
		sim.Sequential{Precision: 0.01, MaxTrials: 50, Width: (*sim.Tally).TargetWidth})
	assert.Error(t, err)
}

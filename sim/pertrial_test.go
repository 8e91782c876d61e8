package sim_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim"
)

// copyRecord keeps a record beyond the hook's call.
func copyRecord(r *sim.TrialRecord) sim.TrialRecord {
	c := *r
	c.Met = slices.Clone(r.Met)
	c.Shares = slices.Clone(r.Shares)
	return c
}

func collect(t *testing.T, m *sim.Model, opts sim.Options) ([]sim.TrialRecord, *sim.Result) {
	t.Helper()
	var recs []sim.TrialRecord
	opts.PerTrial = func(r *sim.TrialRecord) error {
		recs = append(recs, copyRecord(r))
		return nil
	}
	res, err := sim.Run(context.Background(), m, opts)
	require.NoError(t, err)
	return recs, res
}

// TestPerTrialOrderAndTotals checks that the hook sees every trial once, in
// trial order, with the same records for any number of workers, and that
// the records add up to the run's own tally.
func TestPerTrialOrderAndTotals(t *testing.T) {
	for _, name := range []string{"teaching", "union"} {
		t.Run(name, func(t *testing.T) {
			m, err := sim.Compile(embedded(t, name))
			require.NoError(t, err)
			const trials, first = 700, 5
			var want []sim.TrialRecord
			for _, workers := range []int{1, 2, 7} {
				recs, res := collect(t, m, sim.Options{Trials: trials, FirstTrial: first, Seed: 11, Workers: workers})
				require.Len(t, recs, trials)
				for i, r := range recs {
					require.Equal(t, uint64(first+i), r.Trial)
					require.Equal(t, uint64(11), r.Seed)
				}
				if want == nil {
					want = recs
				} else {
					// NaN ≠ NaN: compare the bits.
					require.Equal(t, len(want), len(recs))
					for i := range recs {
						require.Equal(t, want[i].Met, recs[i].Met, "trial %d, %d workers", i, workers)
						for j := range recs[i].Shares {
							require.Equal(t, math.Float64bits(want[i].Shares[j]), math.Float64bits(recs[i].Shares[j]))
						}
						require.Equal(t, want[i].Elected, recs[i].Elected)
					}
				}
				targets, shares := m.TrialNames()
				require.Len(t, targets, len(res.Targets))
				require.Len(t, shares, len(res.Shares))
				for j, tr := range res.Targets {
					assert.Equal(t, tr.Name, targets[j])
					met := int64(0)
					for _, r := range recs {
						if r.Met[j] {
							met++
						}
					}
					assert.Equal(t, tr.Met, met, "target %s", tr.Name)
				}
				for j, sr := range res.Shares {
					assert.Equal(t, sr.Name, shares[j])
					sum, n := 0.0, int64(0)
					lo, hi := math.Inf(1), math.Inf(-1)
					for _, r := range recs {
						if v := r.Shares[j]; !math.IsNaN(v) {
							sum += v
							n++
							lo, hi = math.Min(lo, v), math.Max(hi, v)
						}
					}
					require.Equal(t, sr.Samples, n, "share %s", sr.Name)
					if n > 0 {
						// The run's histogram keeps shares at a resolution of 1e-4.
						assert.InDelta(t, sr.Mean, sum/float64(n), 1e-4, "share %s", sr.Name)
						assert.InDelta(t, sr.Min, lo, 1e-4)
						assert.InDelta(t, sr.Max, hi, 1e-4)
					}
				}
				elected, minE, maxE := 0, math.MaxInt, 0
				for _, r := range recs {
					elected += r.Elected
					minE, maxE = min(minE, r.Elected), max(maxE, r.Elected)
				}
				assert.InDelta(t, res.Elected.Mean, float64(elected)/trials, 1e-9)
				assert.Equal(t, res.Elected.Min, int64(minE))
				assert.Equal(t, res.Elected.Max, int64(maxE))
				if res.Election != nil {
					rounds, failed := 0, 0
					for _, r := range recs {
						rounds += r.FurtherRounds
						failed += r.FailedUnits
					}
					assert.InDelta(t, res.Election.FurtherRounds, float64(rounds)/trials, 1e-9)
					assert.InDelta(t, res.Election.FailedUnits, float64(failed)/trials, 1e-9)
				}
			}
		})
	}
}

// TestPerTrialLeavesResultUnchanged checks that the hook changes nothing in
// the run's result.
func TestPerTrialLeavesResultUnchanged(t *testing.T) {
	sc := embedded(t, "teaching")
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	plain, err := sim.Run(context.Background(), m, sim.Options{Trials: 300, Seed: 3, Workers: 2})
	require.NoError(t, err)
	_, hooked := collect(t, m, sim.Options{Trials: 300, Seed: 3, Workers: 2})
	assert.Equal(t, plain, hooked)
}

// TestPerTrialErrorStopsRun checks that a failing hook (a full disk) stops
// the run with its error, whichever worker is waiting, and that a cancelled
// context wakes workers waiting for the reorder window.
func TestPerTrialErrorStopsRun(t *testing.T) {
	m, err := sim.Compile(embedded(t, "teaching"))
	require.NoError(t, err)
	boom := errors.New("disk full")
	for _, workers := range []int{1, 2, 4} {
		calls := 0
		_, err := sim.Run(context.Background(), m, sim.Options{Trials: 5000, Seed: 1, Workers: workers,
			PerTrial: func(r *sim.TrialRecord) error {
				calls++
				if r.Trial == 40 {
					return boom
				}
				return nil
			}})
		require.ErrorIs(t, err, boom)
		assert.Equal(t, 41, calls, "no call after the failing one")
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = sim.Run(ctx, m, sim.Options{Trials: 100000, Seed: 1, Workers: 4,
		PerTrial: func(r *sim.TrialRecord) error {
			if r.Trial == 100 {
				cancel()
			}
			return nil
		}})
	require.ErrorIs(t, err, context.Canceled)
}

// TestPerTrialAllocations checks that the hook costs no allocation per
// trial: a run twice as long allocates no more.
func TestPerTrialAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	m, err := sim.Compile(embedded(t, "teaching"))
	require.NoError(t, err)
	sink := 0
	allocs := func(trials int) float64 {
		return testing.AllocsPerRun(3, func() {
			_, err := sim.Run(context.Background(), m, sim.Options{Trials: trials, Seed: 1, Workers: 1,
				PerTrial: func(r *sim.TrialRecord) error { sink += r.Elected; return nil }})
			require.NoError(t, err)
		})
	}
	short, long := allocs(400), allocs(1600)
	assert.Less(t, long-short, 10.0, "1200 more trials, allocations: %v for 400 trials, %v for 1600", short, long)
}

// BenchmarkPerTrial measures what the per-trial hook adds to a run: the
// same 2,000 teaching trials on two workers without a hook and with one
// that only reads the record (the ordering and the record's filling).
func BenchmarkPerTrial(b *testing.B) {
	m, err := sim.Compile(embedded(b, "teaching"))
	require.NoError(b, err)
	sink := 0
	for _, hook := range []bool{false, true} {
		b.Run(map[bool]string{false: "off", true: "on"}[hook], func(b *testing.B) {
			opts := sim.Options{Trials: 2000, Seed: 1, Workers: 2}
			if hook {
				opts.PerTrial = func(r *sim.TrialRecord) error { sink += r.Elected; return nil }
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(context.Background(), m, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*opts.Trials), "ns/trial")
		})
	}
}

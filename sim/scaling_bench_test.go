package sim

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

// scaledCPC20 is cpc20 with its units repeated copies times (each copy a
// unit of its own, the quota grown with them) and every congress's
// entitled voters multiplied by voters: about copies·voters times the
// ballot decisions of a cpc20 trial, with everything else per unit as in
// cpc20.
func scaledCPC20(tb testing.TB, copies int, voters float64) *Model {
	tb.Helper()
	data, ok := configs.Read("cpc20")
	if !ok {
		tb.Fatal("no embedded cpc20")
	}
	sc, err := scenario.Load("cpc20", data, scenario.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	units := sc.Units
	sc.Units = nil
	for c := range copies {
		for _, u := range units {
			if c > 0 {
				u.Name = fmt.Sprintf("%s #%d", u.Name, c+1)
			}
			u.EntitledVoters = max(1, int(math.Round(float64(u.EntitledVoters)*voters)))
			sc.Units = append(sc.Units, u)
		}
	}
	sc.Quota *= copies
	m, err := Compile(sc)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkScaling runs steady-state trials of synthetic scenarios from
// about 0.1 to 10 times cpc20's ballot decisions per trial: fewer voters
// per congress below 1, more units (and more voters) above. decisions/trial
// is measured (the names on every ballot cast); ns/decision is the cost per
// decision of the whole trial, not only its ballots. allocs/op is per
// trial (memory flat in the number of trials) and heap-KiB the heap that
// the compiled model, a worker and its tally hold after warming up (memory
// linear in the scenario).
// benchmarks/scaling_fit.py fits ns/op against decisions/trial.
func BenchmarkScaling(b *testing.B) {
	for _, tc := range []struct {
		copies int
		voters float64
	}{{1, 0.1}, {1, 0.3}, {1, 1}, {2, 1}, {3, 1}, {5, 2}} {
		name := fmt.Sprintf("x%g", float64(tc.copies)*tc.voters)
		b.Run(name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m := scaledCPC20(b, tc.copies, tc.voters)
			w, t := newWorker(m), newTally(m)
			for i := uint64(0); i < 5; i++ { // warm the buffers
				if err := w.runTrial(1, i); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			var decisions int64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := w.runTrial(1, uint64(i)); err != nil {
					b.Fatal(err)
				}
				decisions += w.o.votes.Names
				t.add(&w.o)
			}
			b.ReportMetric(float64(decisions)/float64(b.N), "decisions/trial")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(decisions), "ns/decision")
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024, "heap-KiB")
			runtime.KeepAlive(m)
		})
	}
}

// A warmed-up worker allocates nothing per trial, also where small
// congresses often tie at the last seat and re-vote (cpc20 with a tenth
// of its voters).
func TestSteadyTrialAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    *Model
	}{{"cpc20", compileEmbedded(t, "cpc20")}, {"cpc20 x0.1", scaledCPC20(t, 1, 0.1)}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorker(tc.m)
			trial := uint64(0)
			for ; trial < 60; trial++ {
				require.NoError(t, w.runTrial(2, trial))
			}
			allocs := testing.AllocsPerRun(40, func() {
				if err := w.runTrial(2, trial); err != nil {
					t.Fatal(err)
				}
				trial++
			})
			assert.Zero(t, allocs)
		})
	}
}

package feasible

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
	"simulate/sim"
)

// simTrials is how many trials the comparison with the simulation runs per
// scenario.
const simTrials = 2000

// metInTrials counts, up to stopAt, the trials of sim's run of the scenario
// (seed 1) in which every target is met at once, and the trials that
// filled every seat (or list) as the plan does.
func metInTrials(t *testing.T, sc *scenario.Scenario, trials, stopAt int) (met, filled int) {
	t.Helper()
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	for i := 0; i < trials && met < stopAt; i++ {
		all := true
		require.NoError(t, sim.Trace(m, 1, uint64(i), func(e sim.Event) {
			switch {
			case e.Kind == sim.EventTarget && e.Met != nil && !*e.Met:
				all = false
			case e.Kind == sim.EventTrialDone && e.Elected == e.Seats:
				filled++
			}
		}))
		if all {
			met++
		}
	}
	return met, filled
}

// randomSimScenario is a random small scenario of the oracle's kind whose
// preliminary selection ranks by score_bias alone (score_sd: 0) in a
// quarter of the cases.
func randomSimScenario(r *rand.Rand) *scenario.Scenario {
	sc := loadRandom(randomScenario(r))
	if sc == nil || r.IntN(4) != 0 {
		return sc
	}
	for i := range sc.Stages {
		if st := sc.Stages[i].Select; st != nil && st.Size.Surplus != nil {
			st.ScoreSD = 0
			st.ScoreBias = []scenario.TraitWeights{{Trait: "g", Values: map[string]float64{"m": 1}}}
		}
	}
	return sc
}

// TestVerdictAgainstSimulation compares check's verdict with what 2,000
// trials of the simulation do, on random small scenarios: no trial may
// meet the targets of a scenario check calls infeasible; a conditional
// verdict says what its trial needs; and the trials of scenarios feasible
// as planned meet them in all but a few — not counting scenarios whose vote
// never fills every seat, as the plan assumes (with so few seats, witnesses
// are rarely rarer than that).
func TestVerdictAgainstSimulation(t *testing.T) {
	instances := 240
	if testing.Short() {
		instances = 80
	}
	for shard := uint64(0); shard < 2; shard++ {
		t.Run(fmt.Sprintf("shard%d", shard), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(20261130, 3+shard))
			var stats struct{ feasible, unmet, unexplained, conditional, infeasible int }
			for n, tries := 0, 0; n < instances/2; tries++ {
				require.Less(t, tries, 4*instances, "the generator makes too many invalid scenarios")
				sc := randomSimScenario(r)
				if sc == nil {
					continue
				}
				if _, err := sim.Compile(sc); err != nil {
					continue // sim refuses it (say, a body nobody can be drawn from)
				}
				n++
				rep, err := Check(sc, Options{NoRelax: true})
				require.NoError(t, err)
				switch rep.Verdict {
				case VerdictInfeasible:
					stats.infeasible++
					met, _ := metInTrials(t, sc, simTrials, 1)
					require.Zero(t, met, "instance %d: check says no trial meets the targets\n%s", n, lazyDump{sc})
				case VerdictConditional:
					stats.conditional++
					require.NotEmpty(t, rep.Relies, "instance %d: a conditional verdict says what its trial needs", n)
					require.Equal(t, VerdictInfeasible, rep.Planned)
				case VerdictFeasible:
					stats.feasible++
					met, filled := metInTrials(t, sc, simTrials, 1)
					switch {
					case met > 0:
					case filled == 0 && sc.Quota > 0:
						// The plan fills every seat; this vote never does.
						stats.unmet++
					default:
						stats.unexplained++
						t.Logf("instance %d: feasible as planned, no trial of %d met the targets (%d filled every seat)\n%s", n, simTrials, filled, lazyDump{sc})
					}
				default:
					t.Fatalf("instance %d: undecided\n%s", n, lazyDump{sc})
				}
			}
			t.Logf("%+v", stats)
			assert.LessOrEqual(t, stats.unexplained*10, stats.feasible, "feasible as planned but never met in %d trials, some of which filled every seat", simTrials)
			assert.Positive(t, stats.infeasible+stats.conditional)
		})
	}
}

package feasible

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"simulate/scenario"
)

// TestRepairsRoundTrip applies every printed repair as a user would — its
// --set arguments, read back by the loader — on random scenarios that
// cannot be met as planned, and checks again: each single repair (or the
// combined plan) must make the plan feasible.
func TestRepairsRoundTrip(t *testing.T) {
	instances := 300
	if testing.Short() {
		instances = 100
	}
	r := rand.New(rand.NewPCG(20261130, 99))
	var applied, repaired, unset int
	for n, tries := 0, 0; n < instances; tries++ {
		require.Less(t, tries, 40*instances, "too few infeasible scenarios")
		base := randomScenario(r)
		// Two bounds on one side: a share and a count, which move apart.
		for i := range base.Targets {
			tg := &base.Targets[i]
			if tg.MinShare != nil && r.IntN(2) == 0 {
				c := 1 + r.IntN(3)
				tg.MinCount = &c
			}
			if tg.MaxShare != nil && r.IntN(2) == 0 {
				c := r.IntN(3)
				tg.MaxCount = &c
			}
		}
		sc := loadRandom(base)
		if sc == nil {
			continue
		}
		rep, err := Check(sc, Options{})
		require.NoError(t, err)
		if rep.Planned != VerdictInfeasible || len(rep.Repairs) == 0 {
			continue
		}
		n++
		data, err := yaml.Marshal(toTree(reflect.ValueOf(base)))
		require.NoError(t, err)
		var plans [][]Relaxation
		if rep.RepairsTogether {
			plans = append(plans, rep.Repairs)
		} else {
			for _, x := range rep.Repairs {
				plans = append(plans, []Relaxation{x})
			}
		}
		for _, plan := range plans {
			var sets, texts []string
			settable := true
			for _, x := range plan {
				settable = settable && len(x.Set) > 0
				sets = append(sets, x.Set...)
				texts = append(texts, x.Text)
			}
			if !settable {
				unset++
				continue
			}
			applied++
			fixed, err := scenario.Load("random", data, scenario.Options{Sets: sets})
			require.NoError(t, err, "instance %d: %v\n%s", n, sets, lazyDump{sc})
			again, err := Check(fixed, Options{NoRelax: true})
			require.NoError(t, err)
			if assert.Equal(t, VerdictFeasible, again.Verdict, "instance %d: after %v (%s)\n%s", n, sets, texts, lazyDump{sc}) {
				repaired++
			}
		}
	}
	t.Logf("%d repairs applied with --set, %d repaired; %d without a --set form", applied, repaired, unset)
	assert.Positive(t, applied)
}

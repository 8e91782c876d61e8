package feasible

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

// robustAlone reports whether, for the ballot b, target ti alone holds in
// unit ui whatever the voters do (every defeat set, every central type).
func (o *oracle) robustAlone(ui, ti int, b []int) bool {
	ou := &o.units[ui]
	t := &o.sc.Targets[ti]
	extra := ou.ballot - ou.local
	ok := true
	multisets(ou.support, len(o.types), extra, func(d []int) bool {
		for typ := range d {
			if d[typ] > b[typ] {
				return true
			}
		}
		return multisets(o.central, len(o.types), ou.central, func(y []int) bool {
			c := 0
			for typ := range b {
				if o.matches(t.When, typ) {
					c += b[typ] - d[typ] + y[typ]
				}
			}
			if !targetOK(t, c, ou.final, ou.ms[ti], 0) {
				ok = false
				return false
			}
			return true
		})
	})
	return ok
}

// TestPropertyAgainstOracle: on thousands of small random scenarios the
// checker agrees with enumeration on the verdict, on every unit's own
// verdict and worst-case guarantee, and on every least ballot count; every
// reported conflict is infeasible and minimal; every proposed repair makes
// the scenario feasible, and one step less would not.
func TestPropertyAgainstOracle(t *testing.T) {
	instances := 2000
	if testing.Short() {
		instances = 400
	}
	// Four independent shards, run in parallel.
	for shard := uint64(0); shard < 4; shard++ {
		t.Run(fmt.Sprintf("shard%d", shard), func(t *testing.T) {
			t.Parallel()
			// Odd shards decide the national guarantee with the exact model only.
			propertyShard(t, rand.New(rand.NewPCG(20221016, 7+shard)), instances/4, Options{exactGuarantee: shard%2 == 1}, randomScenario)
		})
	}
}

// TestPropertyFinitePools is the same comparison on random scenarios whose
// units all draw from small finite pools, often with nomination weights of
// 0, so that the eligible members often run out before the nominee count,
// the lists and the seats.
func TestPropertyFinitePools(t *testing.T) {
	instances := 1200
	if testing.Short() {
		instances = 300
	}
	for shard := uint64(0); shard < 2; shard++ {
		t.Run(fmt.Sprintf("shard%d", shard), func(t *testing.T) {
			t.Parallel()
			propertyShard(t, rand.New(rand.NewPCG(20240229, 11+shard)), instances/2, Options{exactGuarantee: shard == 1}, randomFiniteScenario)
		})
	}
}

// randomFiniteScenario is a random scenario whose units have finite pools
// of between their nominee count and five more members.
func randomFiniteScenario(r *rand.Rand) *scenario.Scenario {
	sc := randomScenario(r)
	var nom *scenario.NominateStage
	for i := range sc.Stages {
		if sc.Stages[i].Nominate != nil {
			nom = sc.Stages[i].Nominate
		}
	}
	if r.IntN(4) != 0 {
		k := r.IntN(4)
		nom.Weights = []scenario.TraitWeights{{Trait: []string{"g", "g", "e", "e"}[k], Values: map[string]float64{[]string{"m", "f", "h", "n"}[k]: 0}}}
	}
	for i := range sc.Units {
		u := &sc.Units[i]
		u.FinitePool = true
		u.Members = int64(scenario.NomineeCount(nom.NominationMode, u.Seats-u.Central) + r.IntN(6))
	}
	return sc
}

func propertyShard(t *testing.T, r *rand.Rand, instances int, opts Options, gen func(*rand.Rand) *scenario.Scenario) {
	var stats struct{ feasible, infeasible, conflicts, repairs, together, lists, robust, needs, national, short int }
	for n, tries := 0, 0; n < instances; tries++ {
		require.Less(t, tries, 4*instances, "the generator makes too many invalid scenarios")
		sc := loadRandom(gen(r))
		if sc == nil {
			continue
		}
		n++
		rep, err := Check(sc, opts)
		require.NoError(t, err)
		if m, err := compile(sc); err == nil {
			for i := range m.units {
				if m.units[i].short {
					stats.short++
					break
				}
			}
		}
		o := newOracle(sc)
		want := o.feasible(oracleQuery{})
		require.NotEqual(t, "unknown", rep.Planned, "instance %d\n%s", n, lazyDump{sc})
		require.Equal(t, want, rep.Planned == "feasible", "instance %d: verdict\n%s", n, lazyDump{sc})
		if want {
			stats.feasible++
		} else {
			stats.infeasible++
		}
		U := len(sc.Units)
		broken := make([]bool, U)
		for ui := range sc.Units {
			units := make([]bool, U)
			units[ui] = true
			broken[ui] = !o.feasible(oracleQuery{units: units, active: func(cid) bool { return false }})
			own := o.feasible(oracleQuery{units: units, active: func(x cid) bool {
				if x.unit < 0 {
					scope := sc.TargetUnits(&sc.Targets[x.index])
					return len(scope) == 1 && scope[0] == ui
				}
				return x.unit == ui
			}})
			require.Equal(t, own, rep.UnitReports[ui].Verdict == "feasible", "instance %d unit %d verdict\n%s", n, ui, lazyDump{sc})
			if broken[ui] || len(o.types) > 4 {
				continue
			}
			stats.robust++
			require.Equal(t, o.robustUnit(ui), rep.UnitReports[ui].Guaranteed, "instance %d unit %d guarantee\n%s", n, ui, lazyDump{sc})
			// The least ballot counts: a deliverable ballot guarantees a
			// target alone exactly when it holds the stated counts.
			ou := &o.units[ui]
			until := len(sc.Stages)
			for si := range sc.Stages {
				if sc.Stages[si].Elect != nil {
					until = si
					for sj := si - 1; sj >= 0; sj-- {
						if sc.Stages[sj].Select != nil {
							until = sj
							break
						}
					}
				}
			}
			for _, need := range rep.UnitReports[ui].Needs {
				if need.National {
					continue
				}
				ti := targetIndexOf(sc, need.Target)
				stats.needs++
				multisets(ou.support, len(o.types), ou.ballot, func(b []int) bool {
					if !o.deliverable(ou, b, until, func(int) bool { return true }) {
						return true
					}
					k := 0
					for typ := range b {
						if o.matches(sc.Targets[ti].When, typ) {
							k += b[typ]
						}
					}
					claim := (need.BallotMin == nil || k >= *need.BallotMin) && (need.BallotMax == nil || k <= *need.BallotMax)
					require.Equal(t, o.robustAlone(ui, ti, b), claim, "instance %d unit %d target %s: ballot %v (%d matching), need %+v\n%s", n, ui, need.Target, b, k, need, lazyDump{sc})
					return true
				})
			}
		}
		if want && len(o.types) <= 4 && rep.Guarantee.Verdict != "unknown" {
			unitOK := make([]bool, U)
			all := true
			for ui := range unitOK {
				unitOK[ui] = rep.UnitReports[ui].Guaranteed
				all = all && unitOK[ui]
			}
			stats.national++
			require.Equal(t, all && o.robustNational(unitOK), rep.Guarantee.Verdict == "guaranteed", "instance %d: national guarantee\n%s", n, lazyDump{sc})
		}
		touched := func(set []ConstraintRef) []bool {
			out := make([]bool, U)
			for _, ref := range set {
				if ref.cid.unit >= 0 {
					out[ref.cid.unit] = true
					continue
				}
				for _, u := range sc.TargetUnits(&sc.Targets[ref.cid.index]) {
					out[u] = !broken[u]
				}
			}
			return out
		}
		for _, cf := range rep.Conflicts {
			if cf.Structural {
				continue
			}
			stats.conflicts++
			require.True(t, cf.Minimal)
			units := touched(cf.Constraints)
			in := func(skip int) func(cid) bool {
				return func(x cid) bool {
					for i, ref := range cf.Constraints {
						if i != skip && ref.cid == x {
							return true
						}
					}
					return false
				}
			}
			require.False(t, o.feasible(oracleQuery{units: units, active: in(-1)}), "instance %d: conflict is feasible\n%s", n, lazyDump{sc})
			for i := range cf.Constraints {
				require.True(t, o.feasible(oracleQuery{units: units, active: in(i)}), "instance %d: conflict not minimal (drop %d)\n%s", n, i, lazyDump{sc})
			}
		}
		if rep.Planned != "infeasible" || len(rep.Repairs) == 0 {
			continue
		}
		notBroken := make([]bool, U)
		for i := range notBroken {
			notBroken[i] = !broken[i]
		}
		m, err := compile(sc)
		require.NoError(t, err)
		c := &checker{m: m}
		if rep.RepairsTogether {
			stats.repairs++
			stats.together++
			ro, ts, above := repaired(t, sc, rep.Repairs)
			require.True(t, ro.feasible(oracleQuery{units: notBroken, targets: ts, above: above}), "instance %d: combined repair infeasible\n%s", n, lazyDump{sc})
			continue
		}
		for _, rx := range rep.Repairs {
			stats.repairs++
			ro, ts, above := repaired(t, sc, []Relaxation{rx})
			require.True(t, ro.feasible(oracleQuery{units: notBroken, targets: ts, above: above}), "instance %d: repair %s infeasible\n%s", n, rx.Text, lazyDump{sc})
			if rx.Bound == "nominees" {
				stats.lists++
				continue
			}
			if rx.Drop || rx.steps <= 1 {
				continue
			}
			less := c.relaxation(rx.target, rx.side, rx.steps-1, false)
			ts, above = applyRepairs(sc, []Relaxation{less})
			require.False(t, o.feasible(oracleQuery{units: notBroken, targets: ts, above: above}), "instance %d: repair %s is not the smallest\n%s", n, rx.Text, lazyDump{sc})
		}
	}
	t.Logf("%d feasible, %d infeasible, %d with a finite pool that runs short; %d conflicts, %d repairs (%d combined plans, %d of lists), %d unit guarantees, %d least ballots, %d national guarantees checked",
		stats.feasible, stats.infeasible, stats.short, stats.conflicts, stats.repairs, stats.together, stats.lists, stats.robust, stats.needs, stats.national)
}

// repaired applies repairs as a user would: target bounds through
// applyRepairs, nominee lists through the unit's nomination ratio (checked to
// give exactly the proposed length).
func repaired(t *testing.T, sc *scenario.Scenario, rs []Relaxation) (*oracle, []scenario.Target, map[int]float64) {
	cp := *sc
	cp.Units = append([]scenario.Unit(nil), sc.Units...)
	for _, rx := range rs {
		if rx.Bound != "nominees" {
			continue
		}
		for i := range cp.Units {
			u := &cp.Units[i]
			if u.Name != rx.Unit {
				continue
			}
			mode := scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: rx.Ratio}
			u.Nomination = &mode
			want, _ := strconv.Atoi(rx.To)
			require.Equal(t, want, scenario.NomineeCount(mode, u.Seats-u.Central), rx.Text)
		}
	}
	ts, above := applyRepairs(&cp, rs)
	return newOracle(&cp), ts, above
}

func targetIndexOf(sc *scenario.Scenario, name string) int {
	for i := range sc.Targets {
		if sc.Targets[i].Name == name {
			return i
		}
	}
	return -1
}

// TestPropertyQuickXplain runs the oracle comparison with every conflict
// narrowed by QuickXplain first (on scenarios this small the deletion
// filter alone would be used): its sets must be as minimal.
func TestPropertyQuickXplain(t *testing.T) {
	saved := quickXplainFrom
	quickXplainFrom = 1
	defer func() { quickXplainFrom = saved }()
	instances := 300
	if testing.Short() {
		instances = 100
	}
	propertyShard(t, rand.New(rand.NewPCG(20261130, 5)), instances, Options{}, randomScenario)
}

// TestPropertyChunksAndSupport runs the oracle comparison with every
// conflict narrowed by dropping units in growing chunks and by the
// certificate's support first (on scenarios this small the deletion filter
// alone would be used): its sets must be as minimal.
func TestPropertyChunksAndSupport(t *testing.T) {
	savedChunks, savedSupport := chunkUnitsFrom, supportFrom
	chunkUnitsFrom, supportFrom = 0, 0
	defer func() { chunkUnitsFrom, supportFrom = savedChunks, savedSupport }()
	instances := 300
	if testing.Short() {
		instances = 100
	}
	propertyShard(t, rand.New(rand.NewPCG(20261130, 6)), instances, Options{}, randomScenario)
}

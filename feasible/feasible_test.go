package feasible

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/internal/i18n"
	"simulate/scenario"
)

// mini builds a small scenario: traits gender × ethnicity × role, the given
// units, pools, stages and targets (YAML fragments).
func mini(t testing.TB, units, targets string, extra ...string) *scenario.Scenario {
	t.Helper()
	parts := map[string]string{
		"pool": `pool:
  - {trait: gender, shares: {male: 0.7, female: 0.3}}
  - {trait: ethnicity, shares: {han: 0.9, minority: 0.1}}
  - {trait: role, shares: {front_line: 0.5, cadre: 0.3, other: 0.2}}`,
		"central_pool": "",
		"nominate":     "mode: expanded\n      ratio: 0.5",
		"inspection":   "- {reason: integrity, rate: 0.02}",
		"reserve":      "",
	}
	for _, e := range extra {
		k, v, _ := strings.Cut(e, "=")
		parts[k] = v
	}
	quota := 0
	for _, line := range strings.Split(units, "\n") {
		if i := strings.Index(line, "seats:"); i >= 0 {
			f := strings.Fields(strings.Trim(line[i+len("seats:"):], " ,}"))
			n, err := strconv.Atoi(strings.Trim(f[0], ","))
			require.NoError(t, err)
			quota += n
		}
	}
	y := `name: mini
quota: ` + strconv.Itoa(quota) + `
traits:
  - {name: gender, values: [male, female]}
  - {name: ethnicity, values: [han, minority]}
  - {name: role, values: [front_line, cadre, other]}
` + parts["pool"] + "\n" + parts["central_pool"] + `
units:
` + units + `
stages:
  - name: nomination
    nominate:
      ` + parts["nominate"] + `
  - name: inspection
    filter:
      vetoes:
        ` + parts["inspection"] + `
  - name: preliminary
    select: {size: {surplus: 0.3}}
  - name: reserve
    select:
      size: {ballot: true}
      ` + parts["reserve"] + `
  - name: election
    elect: {surplus: 0.15, strict: true, voters: {approval: 0.9}}
targets:
` + targets
	sc, err := scenario.Load("mini", []byte(y), scenario.Options{})
	require.NoError(t, err, y)
	return sc
}

func check(t testing.TB, sc *scenario.Scenario, opts ...Options) *Report {
	t.Helper()
	o := Options{}
	if len(opts) > 0 {
		o = opts[0]
	}
	r, err := Check(sc, o)
	require.NoError(t, err)
	return r
}

func conflictNames(cf Conflict) []string {
	var out []string
	for _, c := range cf.Constraints {
		n := c.Name
		if c.Unit != "" && c.Kind != "structure" {
			n = c.Unit + "/" + n
		}
		out = append(out, n)
	}
	return out
}

func TestHandMadeCases(t *testing.T) {
	const one = `  - {name: A, seats: 20, entitled_voters: 100}`
	const two = `  - {name: A, seats: 10, entitled_voters: 100, group: p}
  - {name: B, seats: 10, entitled_voters: 100, group: p}`
	tests := []struct {
		name    string
		sc      func(t testing.TB) *scenario.Scenario
		verdict string
		// conflicts lists each conflict's members (unit/target for unit rows).
		conflicts [][]string
		// alone: targets that can be met on their own (every target when nil
		// and the case is jointly infeasible).
		notAlone []string
		explain  []string // phrases the explanation must contain
		repairs  []string // phrases the repairs must contain
		relies   []string // phrases of what a trial needs beyond the plan
	}{
		{
			name: "feasible",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, one, `  - {name: women, when: {gender: [female]}, min_share: 0.3}
  - {name: front_line, when: {role: [front_line]}, min_share: 0.3333333333}`)
			},
			verdict: "feasible",
		},
		{
			name: "pool has no minority",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - name: A
    seats: 20
    entitled_voters: 100
    pool: [{trait: ethnicity, shares: {han: 1}}]`, `  - {name: minority, when: {ethnicity: [minority]}, min_count: 1, scope: each}`)
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"A/minority"}},
			notAlone:  []string{"minority"},
			explain:   []string{"none of the 20 can have ethnicity minority", "pool share 0"},
			repairs:   []string{"drop minority's minimum count"},
		},
		{
			name: "rounding: min above max on 7 seats",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - {name: A, seats: 7, entitled_voters: 100}`, `  - {name: women, when: {gender: [female]}, min_share: 0.3, max_share: 0.31}`)
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"women"}},
			notAlone:  []string{"women"},
			explain:   []string{"⌈0.3×7⌉ = 3", "⌊0.31×7⌋ = 2", "minimum (3) is above its maximum (2)"},
			repairs:   []string{"lower women's min_share from 0.3 to 0.2857", "raise women's max_share from 0.31 to 0.4286"},
		},
		{
			name: "jointly: front-line and cadres are different people",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, one, `  - {name: front_line, when: {role: [front_line]}, min_share: 0.3333333333}
  - {name: cadres, when: {role: [cadre]}, min_share: 0.7}`)
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"front_line", "cadres"}},
			explain:   []string{"at least ⌈0.3333333333×20⌉ = 7", "at least ⌈0.7×20⌉ = 14", "can reach at most 6 of 20", "can reach at most 13 of 20"},
			repairs:   []string{"lower front_line's min_share from 0.3333333333 to 0.3", "lower cadres's min_share from 0.7 to 0.65"},
		},
		{
			name: "jointly: units' minimums against a national maximum",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, two, `  - {name: women_each, when: {gender: [female]}, min_share: 0.5, scope: each}
  - {name: women_max, when: {gender: [female]}, max_share: 0.4}`)
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"A/women_each", "B/women_each", "women_max"}},
			explain:   []string{"needs room for at least 10 of 20"},
			repairs:   []string{"raise women_max's max_share from 0.4 to 0.5", "lower women_each's min_share from 0.5 to 0.4"},
		},
		{
			name: "jointly: no minority women",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - {name: A, seats: 3, entitled_voters: 100}`, `  - {name: women, when: {gender: [female]}, min_count: 2}
  - {name: minority, when: {ethnicity: [minority]}, min_count: 2}`, `pool=pool:
  - {trait: gender, shares: {male: 0.7, female: 0.3}}
  - trait: ethnicity
    given: gender
    conditional: {male: {han: 0.8, minority: 0.2}, female: {han: 1}}
  - {trait: role, shares: {front_line: 0.5, cadre: 0.3, other: 0.2}}`)
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"women", "minority"}},
			repairs:   []string{"lower women's min_count from 2 to 1", "lower minority's min_count from 2 to 1"},
		},
		{
			name: "central candidates cannot be women",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - {name: A, seats: 5, central: 2, entitled_voters: 100}`, `  - {name: women, when: {gender: [female]}, min_count: 4, scope: each}`,
					"central_pool=central_pool:\n  - {trait: gender, shares: {male: 1}}")
			},
			// As planned both central candidates take seats; the vote can
			// defeat them and seat two more local women.
			verdict:   "conditional",
			conflicts: [][]string{{"A/women"}},
			notAlone:  []string{"women"},
			explain:   []string{"at most 3 of the 5", "central pool has nobody with gender female"},
			repairs:   []string{"lower women's min_count from 4 to 3"},
			relies:    []string{"the vote defeats central candidates (1 of 2 in A)"},
		},
		{
			name: "strict majority against a maximum",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - {name: A, seats: 4, entitled_voters: 100}`, `  - {name: women_more, when: {gender: [female]}, min_share: 0.5, strict: true}
  - {name: women_cap, when: {gender: [female]}, max_count: 2}`)
			},
			// With a vacant seat or more, 2 women of 3 elected are more
			// than half.
			verdict:   "conditional",
			conflicts: [][]string{{"women_more", "women_cap"}},
			explain:   []string{"more than 50% of 4: at least ⌊0.5×4⌋+1 = 3"},
			repairs:   []string{"raise women_cap's max_count from 2 to 3"},
			relies:    []string{"the vote leaves seats vacant"},
		},
		{
			name: "the inspection vetoes every minority",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, one, `  - {name: minority, when: {ethnicity: [minority]}, min_count: 1}`,
					"inspection=- {reason: political, rate: 1, when: {ethnicity: [minority]}}")
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"minority"}},
			notAlone:  []string{"minority"},
			explain:   []string{"the inspection stage removes everyone with ethnicity minority"},
		},
		{
			name: "women are never nominated",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, one, `  - {name: women, when: {gender: [female]}, min_count: 1, scope: each}`,
					"nominate=mode: expanded\n      ratio: 0.5\n      weights: [{trait: gender, values: {female: 0}}]")
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"A/women"}},
			notAlone:  []string{"women"},
			explain:   []string{"can be nominated"},
		},
		{
			name: "a reserve-list quota against a target",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, one, `  - {name: women, when: {gender: [female]}, min_count: 6}`,
					"reserve=quotas: [{name: women_cap, when: {gender: [female]}, max: 5}]")
			},
			// A maximum is exceeded when nothing else remains: a reserve
			// list drawn from mostly women holds more than 5.
			verdict:   "conditional",
			conflicts: [][]string{{"A/women_cap", "women"}},
			repairs:   []string{"lower women's min_count from 6 to 5"},
			relies:    []string{"selections miss their best-effort quotas (women_cap)"},
		},
		{
			name: "a recommending unit is the only source of minorities",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - name: A
    seats: 10
    entitled_voters: 100
    recommending:
      - {name: north, weight: 1, pool: [{trait: ethnicity, shares: {han: 1}}]}
      - {name: south, weight: 1, pool: [{trait: ethnicity, shares: {minority: 1}}]}`,
					`  - {name: minority, when: {ethnicity: [minority]}, min_count: 8}`)
			},
			// 15 nominees split 8 + 7: at most 7 minorities can be nominated;
			// 16 nominees split 8 + 8.
			verdict:   "infeasible",
			conflicts: [][]string{{"minority"}},
			notAlone:  []string{"minority"},
			repairs: []string{"lower minority's min_count from 8 to 7",
				"let A nominate 16 people instead of 15 (set units[name=A].nomination to {mode: expanded, ratio: 0.6})"},
		},
		{
			name: "a finite pool runs out of women",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, `  - {name: A, seats: 10, entitled_voters: 100, finite_pool: true, members: 20}`,
					`  - {name: women, when: {gender: [female]}, min_count: 7}`)
			},
			// 30% of 20 members: 6 women.
			verdict:   "infeasible",
			conflicts: [][]string{{"women"}},
			notAlone:  []string{"women"},
			repairs:   []string{"lower women's min_count from 7 to 6"},
		},
		{
			name: "a unit that cannot fill its lists",
			sc: func(t testing.TB) *scenario.Scenario {
				return mini(t, one, `  - {name: women, when: {gender: [female]}, min_count: 1}`,
					"inspection=- {reason: political, rate: 1}")
			},
			verdict:   "infeasible",
			conflicts: [][]string{{"lists"}},
			notAlone:  []string{"women"},
			explain:   []string{"nobody survives the pipeline"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := tc.sc(t)
			r := check(t, sc)
			require.Equal(t, tc.verdict, string(r.Verdict))
			var got [][]string
			var explain, repairs []string
			for _, cf := range r.Conflicts {
				got = append(got, conflictNames(cf))
				explain = append(explain, cf.Explanation...)
				assert.True(t, cf.Minimal)
			}
			for _, x := range r.Repairs {
				repairs = append(repairs, x.Text)
			}
			assert.Equal(t, tc.conflicts, got)
			relies := strings.Join(r.Relies, "\n")
			for _, x := range tc.relies {
				assert.Contains(t, relies, x)
			}
			if tc.verdict == "infeasible" {
				assert.True(t, r.Certified, "infeasibility should be certified")
			}
			for _, p := range tc.explain {
				assert.Contains(t, strings.Join(explain, "\n"), p)
			}
			for _, p := range tc.repairs {
				assert.Contains(t, strings.Join(repairs, "\n"), p)
			}
			notAlone := map[string]bool{}
			for _, n := range tc.notAlone {
				notAlone[n] = true
			}
			for _, tr := range r.Targets {
				assert.Equal(t, !notAlone[tr.Name], tr.Alone, "target %s alone", tr.Name)
			}
			// Every single repair, applied to the scenario, makes it feasible.
			if !r.RepairsTogether {
				for _, x := range r.Repairs {
					if x.Bound == "above_member_share" {
						continue
					}
					fixed := applyToScenario(t, sc, x)
					assert.Equal(t, VerdictFeasible, check(t, fixed).Verdict, "after %s", x.Text)
				}
			}
		})
	}
}

// applyToScenario returns a copy of sc with one relaxation applied as the
// user would write it in the file.
func applyToScenario(t testing.TB, sc *scenario.Scenario, x Relaxation) *scenario.Scenario {
	t.Helper()
	cp := *sc
	cp.Targets = append([]scenario.Target(nil), sc.Targets...)
	cp.Units = append([]scenario.Unit(nil), sc.Units...)
	for i := range cp.Units {
		if x.Bound == "nominees" && cp.Units[i].Name == x.Unit {
			cp.Units[i].Nomination = &scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: x.Ratio}
		}
	}
	ts, _ := applyRepairs(&cp, []Relaxation{x})
	cp.Targets = ts
	return &cp
}

// TestInverseFunnelHainan is the teaching question in numbers: women above
// their 29% share of members among Hainan's 26 deputies means at least
// ⌊0.29·26⌋+1 = 8; the ballot of 25 local seats + ⌊0.15·25⌋+1 = 4 surplus
// names needs 8 + 4 = 12 women (the one central candidate may be a man), and
// so do the reserve, preliminary and nominee lists.
func TestInverseFunnelHainan(t *testing.T) {
	r := check(t, embedded(t, "cpc20"))
	require.Equal(t, VerdictFeasible, r.Verdict)
	var u *UnitReport
	for i := range r.UnitReports {
		if r.UnitReports[i].Name == "Hainan" {
			u = &r.UnitReports[i]
		}
	}
	require.NotNil(t, u)
	assert.Equal(t, 26, u.Seats)
	assert.Equal(t, 29, u.Ballot)
	assert.Equal(t, 4, u.Extra)
	assert.True(t, u.Guaranteed)
	var women *Need
	for i := range u.Needs {
		if u.Needs[i].Target == "women_above_members" {
			women = &u.Needs[i]
		}
	}
	require.NotNil(t, women)
	assert.Equal(t, 8, *women.ElectedMin)
	assert.Equal(t, 12, *women.BallotMin)
	require.GreaterOrEqual(t, len(u.Funnel), 4)
	assert.Equal(t, "election", u.Funnel[0].Stage)
	assert.Equal(t, 8, u.Funnel[0].AtLeast["women_above_members"])
	for _, st := range u.Funnel[1:] {
		assert.Equal(t, 12, st.AtLeast["women_above_members"], st.Stage)
	}
	// Tibet votes uncontested: nobody is defeated, so its ballot needs only
	// what the seats need.
	for _, ur := range r.UnitReports {
		if ur.Name == "Tibet" {
			assert.Equal(t, 0, ur.Extra)
		}
	}
}

func TestTeachingBallotNeeds(t *testing.T) {
	r := check(t, embedded(t, "teaching"))
	require.Equal(t, VerdictFeasible, r.Verdict)
	u := r.UnitReports[0]
	got := map[string][2]int{}
	for _, n := range u.Needs {
		got[n.Target] = [2]int{*n.ElectedMin, *n.BallotMin}
	}
	// 20 seats, ballot 20 + ⌊0.15·20⌋+1 = 24: four names are defeated.
	assert.Equal(t, map[string][2]int{"women": {6, 10}, "front_line": {7, 11}, "young": {4, 8}}, got)
}

func TestCPC20Feasible(t *testing.T) {
	r := check(t, embedded(t, "cpc20"))
	assert.Equal(t, VerdictFeasible, r.Verdict)
	assert.Equal(t, "guaranteed", r.Guarantee.Verdict)
	assert.Empty(t, r.Conflicts)
	for _, f := range r.Checks {
		assert.True(t, f.OK, f.Text)
	}
	want := map[string][2]int{"front_line": {560, -1}, "leading_cadres": {0, 1533}, "minorities": {200, -1}}
	for _, tr := range r.Targets {
		if w, ok := want[tr.Name]; ok {
			assert.Equal(t, w[0], max(tr.Min, 0), tr.Name)
			if w[1] >= 0 {
				assert.Equal(t, w[1], tr.Max, tr.Name)
			}
		}
	}
	n := 0
	for _, u := range r.UnitReports {
		assert.Equal(t, VerdictFeasible, u.Verdict, u.Name)
		assert.True(t, u.Guaranteed, u.Name)
		for _, need := range u.Needs {
			if need.Target == "women_above_members" {
				n++
			}
		}
	}
	assert.Equal(t, 31, n, "every province has the women rule")
}

func TestCPC20ImpossibleUnitTarget(t *testing.T) {
	sc := embedded(t, "cpc20",
		"units[name=PLA and Armed Police].pool[0].shares={male: 1}",
		"targets[name=minorities]={name: pla_women, when: {gender: [female]}, min_share: 0.6, scope: each, units: [PLA and Armed Police]}")
	r := check(t, sc)
	require.Equal(t, VerdictInfeasible, r.Verdict)
	require.Len(t, r.Conflicts, 1)
	assert.Equal(t, []string{"PLA and Armed Police/pla_women"}, conflictNames(r.Conflicts[0]))
	text := strings.Join(r.Conflicts[0].Explanation, "\n")
	assert.Contains(t, text, "at least ⌈0.6×303⌉ = 182")
	assert.Contains(t, text, "no member of PLA and Armed Police's pool has gender female (pool share 0)")
	for _, tr := range r.Targets {
		assert.Equal(t, tr.Name != "pla_women", tr.Alone, tr.Name)
	}
}

func TestCPC20JointConflict(t *testing.T) {
	sc := embedded(t, "cpc20", "targets[name=minorities]={name: women_max, when: {gender: [female]}, max_share: 0.2}")
	r := check(t, sc)
	require.Equal(t, VerdictInfeasible, r.Planned)
	// A trial whose vote leaves most of the provinces' seats vacant can
	// still meet every target: the verdict is conditional, not infeasible.
	require.Equal(t, VerdictConditional, r.Verdict)
	assert.Contains(t, strings.Join(r.Relies, "\n"), "the vote leaves seats vacant")
	for _, tr := range r.Targets {
		assert.True(t, tr.Alone, "%s is feasible on its own", tr.Name)
	}
	require.Len(t, r.Conflicts, 1)
	names := conflictNames(r.Conflicts[0])
	assert.Contains(t, names, "women_max")
	// The provinces' minimums must exceed 460 = ⌊0.2·2300⌋ and drop below it
	// without any one of them (minimality is checked by the property test).
	sum := 0
	for _, c := range r.Conflicts[0].Constraints {
		if c.Name == "women_above_members" {
			sum += c.Min
		}
	}
	assert.Greater(t, sum, 460)
	var texts []string
	for _, x := range r.Repairs {
		texts = append(texts, x.Text)
	}
	// All 31 provinces need 486 women: 486/2300 = 0.21130… → 0.2114.
	assert.Contains(t, texts, "raise women_max's max_share from 0.2 to 0.2114")
	fixed := applyToScenario(t, sc, r.Repairs[0])
	assert.Equal(t, VerdictFeasible, check(t, fixed).Verdict)
	// A bound on relaxations that forbids it.
	r = check(t, sc, Options{MaxRelax: 0.005})
	for _, x := range r.Repairs {
		assert.False(t, x.WithinLimit, x.Text)
	}
}

func TestReportRendering(t *testing.T) {
	sc := embedded(t, "cpc20", "targets[name=minorities]={name: women_max, when: {gender: [female]}, max_share: 0.2}")
	r := check(t, sc)
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, TextOptions{ByUnit: true}))
	out := text.String()
	for _, want := range []string{"VERDICT: NOT AS PLANNED", "a trial can meet them only if", "Conflicts", "Smallest repairs", "Hainan —", "Arithmetic checks"} {
		assert.Contains(t, out, want)
	}
	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, r))
	var back map[string]any
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, "conditional", back["verdict"])
	assert.Equal(t, "infeasible", back["planned"])
	assert.Contains(t, Summary(r, i18n.En), "women_max")
}

// TestRoundingRules pins the integer rounding every check uses (sim's
// rules, with the 1e-9 tolerance that makes 0.15·20 exactly 3).
func TestRoundingRules(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	i := func(x int) *int { return &x }
	tests := []struct {
		name   string
		t      scenario.Target
		n      int
		ms     float64
		lo, hi int
	}{
		{"at least one third of 26", scenario.Target{MinShare: f(0.3333333333)}, 26, 0, 9, 26},
		{"more than 15% of 20 (surplus rule)", scenario.Target{MinShare: f(0.15), Strict: true}, 20, 0, 4, 20},
		{"at least 15% of 20", scenario.Target{MinShare: f(0.15)}, 20, 0, 3, 20},
		{"binary noise: 0.1+0.2 of 10", scenario.Target{MinShare: f(0.1 + 0.2)}, 10, 0, 3, 10},
		{"above the members' 29% of 26", scenario.Target{AboveMemberShare: true, Strict: true}, 26, 0.29, 8, 26},
		{"above a member share summed to 0.2999…98 of 25", scenario.Target{AboveMemberShare: true, Strict: true}, 25, 0.2999999999999998, 8, 25},
		{"at most two thirds of 2300", scenario.Target{MaxShare: f(0.6666666667)}, 2300, 0, 0, 1533},
		{"less than 40% of 4", scenario.Target{MaxShare: f(0.4), Strict: true}, 4, 0, 0, 1},
		{"less than 50% of 4", scenario.Target{MaxShare: f(0.5), Strict: true}, 4, 0, 0, 1},
		{"more than 200", scenario.Target{MinCount: i(200), Strict: true}, 2300, 0, 201, 2300},
		{"fewer than 0 (impossible)", scenario.Target{MaxCount: i(0), Strict: true}, 10, 0, 0, -1},
		{"30% to 31% of 7 (impossible)", scenario.Target{MinShare: f(0.3), MaxShare: f(0.31)}, 7, 0, 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ti := targetInfo{t: &tc.t}
			lo, hi := ti.bounds(tc.n, tc.ms, nil)
			assert.Equal(t, [2]int{tc.lo, tc.hi}, [2]int{lo, hi})
			// The same bounds as sim's check: c meets the target exactly when lo ≤ c ≤ hi.
			for c := 0; c <= tc.n; c++ {
				assert.Equal(t, targetOK(&tc.t, c, tc.n, tc.ms, 0), c >= lo && c <= hi, "c=%d", c)
			}
		})
	}
}

// TestScoreOrder: a selection ranking by score_bias alone (score_sd: 0)
// keeps its people in that order, so check may not assume it can keep
// anyone; without the order the same scenario is feasible as planned.
func TestScoreOrder(t *testing.T) {
	data, err := os.ReadFile("testdata/score-sd-0.yaml")
	require.NoError(t, err)
	sc, err := scenario.Load("score-sd-0", data, scenario.Options{})
	require.NoError(t, err)
	r := check(t, sc)
	assert.Equal(t, VerdictInfeasible, r.Planned)
	assert.Equal(t, VerdictConditional, r.Verdict)
	assert.Contains(t, strings.Join(r.Relies, "\n"), "the vote leaves seats vacant")
	require.NotEmpty(t, r.Repairs)
	assert.Equal(t, "lower women's min_share from 0.5 to 0.4545", r.Repairs[0].Text)

	// Ties in score are in list order, which is random: equal scores keep
	// anyone, and the target can be met as planned.
	sc, err = scenario.Load("score-sd-0", data, scenario.Options{Sets: []string{
		"stages[name=preliminary].select.score_bias=[]", "stages[name=reserve].select.score_bias=[]"}})
	require.NoError(t, err)
	assert.Equal(t, VerdictFeasible, check(t, sc).Verdict)
}

// TestVerdictOnly: the verdict alone ('simulate run's question) agrees with
// the whole check on the plan and on what some trial can do.
func TestVerdictOnly(t *testing.T) {
	for _, sc := range []*scenario.Scenario{
		embedded(t, "cpc20"),
		embedded(t, "cpc20", "targets[name=minorities]={name: women_max, when: {gender: [female]}, max_share: 0.2}"),
		embedded(t, "cpc20", "units[name=PLA and Armed Police].pool[0].shares={male: 1}",
			"targets[name=minorities]={name: pla_women, when: {gender: [female]}, min_share: 0.6, scope: each, units: [PLA and Armed Police]}"),
	} {
		full := check(t, sc, Options{NoRelax: true})
		quick := check(t, sc, Options{VerdictOnly: true})
		assert.Equal(t, full.Verdict, quick.Verdict)
		assert.Equal(t, full.Planned, quick.Planned)
		assert.Equal(t, full.Relies, quick.Relies)
		assert.Empty(t, quick.Conflicts)
	}
}

package feasible

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

// finitePool is the pool of the finite-pool cases: with 23 members, the
// largest-remainder counts over gender × role are
//
//	men:   4 front-line, 2 cadres, 8 other   (14)
//	women: 2 front-line, 1 cadre,  6 other   (9)
const finitePool = `traits:
  - {name: gender, values: [male, female]}
  - {name: role, values: [front_line, cadre, other]}
pool:
  - {trait: gender, shares: {male: 0.6, female: 0.4}}
  - {trait: role, shares: {front_line: 0.25, cadre: 0.15, other: 0.6}}
`

// finiteCase builds a one-unit scenario on finitePool: 11 seats (17
// nominees), 23 members, the given nomination weights, the stages between
// nomination and the election (or, without an election, after nomination),
// and targets.
func finiteCase(t testing.TB, unit, weights, middle, targets string, election bool) *scenario.Scenario {
	t.Helper()
	if unit == "" {
		unit = `  - {name: A, seats: 11, entitled_voters: 100, finite_pool: true, members: 23}`
	}
	y := "name: finite\nquota: 11\n" + finitePool + "units:\n" + unit + `
stages:
  - name: nomination
    nominate:
      mode: expanded
      ratio: 0.5
      weights: ` + weights + "\n" + middle
	if election {
		y += `  - name: election
    elect: {surplus: 0.15, strict: true, voters: {approval: 0.9, discipline: 1}}
`
	}
	y += "targets:\n" + targets
	sc, err := scenario.Load("finite", []byte(y), scenario.Options{})
	require.NoError(t, err, y)
	return sc
}

// The usual lists: preliminary 11 + ⌈0.3×11⌉ = 15, reserve (the ballot)
// 11 + ⌊0.15×11⌋+1 = 13.
const finiteLists = `  - name: preliminary
    select: {size: {surplus: 0.3}}
  - name: reserve
    select: {size: {ballot: true}}
`

// TestFinitePoolVerdicts compares check's verdict on small finite-pool
// scenarios with hand reasoning and with an enumeration of every outcome
// sim's rules allow (simRulesFeasible): nominees drawn without replacement
// from the members with a nomination weight above 0 until the nominee count
// or those members run out, every later stage working on the list it gets.
func TestFinitePoolVerdicts(t *testing.T) {
	const noOther = `[{trait: role, values: {other: 0}}]`
	tests := []struct {
		name    string
		sc      func(t testing.TB) *scenario.Scenario
		verdict string
		// final is the number of people the unit can elect (or list).
		final   int
		explain []string // phrases the conflicts' explanation must contain
		checks  []string // phrases the arithmetic checks must contain
	}{
		{
			// Only the 9 members outside "other" can be nominated (3 women):
			// sim nominates all 9 in every trial and the vote elects them,
			// 3 of 9 ≥ ⌈0.3×9⌉ = 3. check used to want 17 nominees and 11
			// seats filled and said INFEASIBLE.
			name: "reproducer: fewer eligible members than nominees and seats",
			sc: func(t testing.TB) *scenario.Scenario {
				data, err := os.ReadFile("testdata/finite-short.yaml")
				require.NoError(t, err)
				sc, err := scenario.Load("finite-short", data, scenario.Options{})
				require.NoError(t, err)
				return sc
			},
			verdict: "feasible",
			final:   9,
			checks:  []string{"only 9 member(s) who can be nominated", "at most 9 of 11 local seats can be filled", "the pools allow 3–3 of 9"},
		},
		{
			// The same 9 people, but 40% of 9 is ⌈3.6⌉ = 4 women and only 3
			// eligible women exist.
			name: "too few eligible women",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", noOther, finiteLists, `  - {name: women, when: {gender: [female]}, min_share: 0.4}`, true)
			},
			verdict: "infeasible",
			final:   9,
			explain: []string{"⌈0.4×9⌉ = 4", "at most 3 of the 9 can have gender female"},
		},
		{
			// A list quota on a list that at most 9 people reach: sim keeps
			// all 9, the quota cannot act, the target still holds.
			name: "a quota on a short list cannot act",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", noOther, `  - name: preliminary
    select:
      size: {surplus: 0.3}
      quotas: [{name: women_min, when: {gender: [female]}, min: 5}]
  - name: reserve
    select: {size: {ballot: true}}
`, `  - {name: women, when: {gender: [female]}, min_share: 0.3}`, true)
			},
			verdict: "feasible",
			final:   9,
			checks:  []string{"at most 9 reach preliminary (list of 15): it keeps everyone and its quotas cannot act"},
		},
		{
			// Weight 0 for every woman: 14 men can be nominated (of 17
			// asked), the reserve list keeps 13 of them and the vote elects
			// 11 men. No woman can be elected.
			name: "weight 0 excludes every woman: a minimum of women",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", `[{trait: gender, values: {female: 0}}]`, finiteLists,
					`  - {name: women, when: {gender: [female]}, min_count: 1}`, true)
			},
			verdict: "infeasible",
			final:   11,
			explain: []string{"none of the 11 can have gender female"},
		},
		{
			name: "weight 0 excludes every woman: a maximum of men",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", `[{trait: gender, values: {female: 0}}]`, finiteLists,
					`  - {name: men, when: {gender: [male]}, max_share: 0.9}`, true)
			},
			verdict: "infeasible",
			final:   11,
		},
		{
			name: "weight 0 excludes every woman: no women allowed",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", `[{trait: gender, values: {female: 0}}]`, finiteLists,
					`  - {name: women, when: {gender: [female]}, max_count: 0}`, true)
			},
			verdict: "feasible",
			final:   11,
			checks:  []string{"only 14 member(s) who can be nominated"},
		},
		{
			// The inspection removes the one woman cadre for certain: 8 of
			// the 9 nominees remain, 2 of them women. ⌈0.25×8⌉ = 2 holds.
			name: "a veto with rate 1 shortens the elected list",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", noOther, `  - name: inspection
    filter:
      vetoes: [{reason: political, rate: 1, when: {gender: [female], role: [cadre]}}]
`+finiteLists, `  - {name: women, when: {gender: [female]}, min_share: 0.25}`, true)
			},
			verdict: "feasible",
			final:   8,
		},
		{
			// ⌈0.3×8⌉ = 3 of the 8, but only 2 women survive.
			name: "a veto with rate 1 leaves too few women",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", noOther, `  - name: inspection
    filter:
      vetoes: [{reason: political, rate: 1, when: {gender: [female], role: [cadre]}}]
`+finiteLists, `  - {name: women, when: {gender: [female]}, min_share: 0.3}`, true)
			},
			verdict: "infeasible",
			final:   8,
		},
		{
			// Nobody has a positive weight: sim nominates and elects nobody.
			// A share of nobody meets no positive minimum share…
			name: "nobody can be nominated: a minimum share",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", `[{trait: gender, values: {male: 0, female: 0}}]`, finiteLists,
					`  - {name: women, when: {gender: [female]}, min_share: 0.3}`, true)
			},
			verdict: "infeasible",
			final:   0,
		},
		{
			// …but every maximum holds.
			name: "nobody can be nominated: a maximum",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, "", `[{trait: gender, values: {male: 0, female: 0}}]`, finiteLists,
					`  - {name: women, when: {gender: [female]}, max_count: 2}`, true)
			},
			verdict: "feasible",
			final:   0,
		},
		{
			// Two recommending units of 12 members each, 9 + 8 nominations.
			// north (men only): 3 front-line, 2 cadres, 7 other → 5 eligible.
			// south: men 2 front-line, 1 cadre; women 1 front-line, 1 cadre
			// (+ 7 other) → 5 eligible, 2 women. 10 elected, 2 women:
			// ⌈0.2×10⌉ = 2 holds, ⌈0.3×10⌉ = 3 does not.
			name: "recommending units run out separately: feasible",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, recommendingUnit, noOther, finiteLists,
					`  - {name: women, when: {gender: [female]}, min_share: 0.2}`, true)
			},
			verdict: "feasible",
			final:   10,
		},
		{
			name: "recommending units run out separately: infeasible",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, recommendingUnit, noOther, finiteLists,
					`  - {name: women, when: {gender: [female]}, min_share: 0.3}`, true)
			},
			verdict: "infeasible",
			final:   10,
		},
		{
			// No election: the panel is the list of 11 the selection keeps,
			// and only 9 can reach it: ⌈0.3×9⌉ = 3 women holds.
			name: "no election: a short panel",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, `  - {name: A, seats: 11, finite_pool: true, members: 23}`, noOther,
					"  - name: panel\n    select: {size: {count: 11}}\n",
					`  - {name: women, when: {gender: [female]}, min_share: 0.3}`, false)
			},
			verdict: "feasible",
			final:   9,
		},
		{
			name: "no election: too few women on a short panel",
			sc: func(t testing.TB) *scenario.Scenario {
				return finiteCase(t, `  - {name: A, seats: 11, finite_pool: true, members: 23}`, noOther,
					"  - name: panel\n    select: {size: {count: 11}}\n",
					`  - {name: women, when: {gender: [female]}, min_share: 0.34}`, false)
			},
			verdict: "infeasible",
			final:   9,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := tc.sc(t)
			want, final := simRulesFeasible(t, sc)
			require.Equal(t, tc.final, final, "people the unit can elect, by enumeration")
			require.Equal(t, tc.verdict == "feasible", want, "hand reasoning and enumeration disagree")

			r := check(t, sc)
			require.Equal(t, tc.verdict, string(r.Planned))
			require.Equal(t, tc.final, r.UnitReports[0].Final, "people check lets the unit elect")
			if tc.verdict == "infeasible" {
				assert.True(t, r.Certified, "infeasibility should be certified")
				for _, cf := range r.Conflicts {
					assert.False(t, cf.Structural, "a finite pool that runs short is no structural conflict: %v", cf.Explanation)
				}
			}
			var explain, checks []string
			for _, cf := range r.Conflicts {
				explain = append(explain, cf.Explanation...)
			}
			for _, f := range r.Checks {
				checks = append(checks, f.Text)
			}
			for _, phrase := range tc.explain {
				assert.Contains(t, strings.Join(explain, "\n"), phrase)
			}
			for _, phrase := range tc.checks {
				assert.Contains(t, strings.Join(checks, "\n"), phrase)
			}
		})
	}
}

const recommendingUnit = `  - name: A
    seats: 11
    entitled_voters: 100
    finite_pool: true
    members: 23
    recommending:
      - {name: north, weight: 1, pool: [{trait: gender, shares: {male: 1}}]}
      - {name: south, weight: 1}`

// simRulesFeasible decides a one-unit finite-pool scenario by enumerating
// the outcomes sim's rules allow, with check's stated assumptions: member
// counts by type are the largest-remainder counts sim uses; each
// recommending unit draws, without replacement, min(its count, its members
// with a nomination weight above 0) people — any such sub-multiset; random
// vetoes spare everyone, vetoes with rate 1 remove everyone they match; a
// selection keeps everyone when it has no more than its size, and otherwise
// any sub-multiset of its size obeying its quotas; the vote elects everyone
// when the ballot has no more than the local seats, otherwise any
// sub-multiset of that size. Of the outcomes, those with the longest final
// list count (every seat that can be filled is filled); the targets are
// judged by scenario.Target.Holds on them, as sim judges them. It returns
// the verdict and that longest length.
func simRulesFeasible(t *testing.T, sc *scenario.Scenario) (bool, int) {
	t.Helper()
	require.Len(t, sc.Units, 1)
	u := &sc.Units[0]
	require.True(t, u.FinitePool)
	require.Zero(t, u.Central)
	ts, err := scenario.NewTypeSpace(sc.Traits)
	require.NoError(t, err)
	var nom *scenario.NominateStage
	for i := range sc.Stages {
		if sc.Stages[i].Nominate != nil {
			nom = sc.Stages[i].Nominate
		}
	}
	mode := nom.NominationMode
	if u.Nomination != nil {
		mode = *u.Nomination
	}
	weights := ts.Product(nom.Weights)
	unitPool := scenario.MergePool(sc.Pool, u.Pool)
	recs := u.Recommending
	if len(recs) == 0 {
		recs = []scenario.RecommendingUnit{{Name: u.Name, Weight: 1}}
	}
	var rw []float64
	total := 0.0
	for _, r := range recs {
		rw = append(rw, r.Weight)
		total += r.Weight
	}
	counts := scenario.LargestRemainder(rw, scenario.NomineeCount(mode, u.Seats-u.Central))

	// The nominee lists: the sums of every body's possible draws.
	lists := map[string][]int{fmt.Sprint(make([]int, ts.N)): make([]int, ts.N)}
	for j, r := range recs {
		members := scenario.LargestRemainder(ts.PoolProbs(scenario.MergePool(unitPool, r.Pool)), int(float64(u.Members)*r.Weight/total+0.5))
		eligible := make([]int, ts.N)
		n := 0
		for typ, c := range members {
			if weights[typ] > 0 {
				eligible[typ] = c
				n += c
			}
		}
		next := map[string][]int{}
		for _, x := range lists {
			subMultisets(eligible, min(counts[j], n), func(d []int) {
				y := make([]int, ts.N)
				for typ := range y {
					y[typ] = x[typ] + d[typ]
				}
				next[fmt.Sprint(y)] = y
			})
		}
		lists = next
	}
	for si := range sc.Stages {
		st := &sc.Stages[si]
		next := map[string][]int{}
		keep := func(y []int) { next[fmt.Sprint(y)] = append([]int(nil), y...) }
		for _, x := range lists {
			size := 0
			for _, c := range x {
				size += c
			}
			switch {
			case st.Nominate != nil:
				keep(x)
			case st.Filter != nil:
				y := append([]int(nil), x...)
				for _, v := range st.Filter.Vetoes {
					if v.Rate >= 1 {
						for typ, ok := range ts.Match(v.When) {
							if ok {
								y[typ] = 0
							}
						}
					}
				}
				keep(y)
			case st.Select != nil:
				k := sc.ListSize(st.Select.Size, u)
				if size <= k {
					keep(x)
					continue
				}
				subMultisets(x, k, func(y []int) {
					for _, q := range st.Select.Quotas {
						lo, hi := quotaBounds(&q, k)
						c := 0
						for typ, ok := range ts.Match(q.When) {
							if ok {
								c += y[typ]
							}
						}
						if c < lo || c > hi {
							return
						}
					}
					keep(y)
				})
			case st.Elect != nil:
				if local := u.Seats - u.Central; size > local {
					subMultisets(x, local, keep)
				} else {
					keep(x)
				}
			}
		}
		lists = next
	}
	longest := 0
	for _, x := range lists {
		n := 0
		for _, c := range x {
			n += c
		}
		longest = max(longest, n)
	}
	probs := ts.PoolProbs(unitPool)
	for _, x := range lists {
		n := 0
		for _, c := range x {
			n += c
		}
		if n < longest {
			continue
		}
		ok := true
		for ti := range sc.Targets {
			tg := &sc.Targets[ti]
			c, share := 0, 0.0
			for typ, m := range ts.Match(tg.When) {
				if m {
					c += x[typ]
					share += probs[typ]
				}
			}
			ok = ok && tg.Holds(c, n, share)
		}
		if ok {
			return true, longest
		}
	}
	return false, longest
}

// subMultisets calls f with every y ≤ x (per type) of the given size.
func subMultisets(x []int, size int, f func(y []int)) {
	y := make([]int, len(x))
	var rec func(i, left int)
	rec = func(i, left int) {
		if i == len(x) {
			if left == 0 {
				f(y)
			}
			return
		}
		for k := min(x[i], left); k >= 0; k-- {
			y[i] = k
			rec(i+1, left-k)
		}
		y[i] = 0
	}
	rec(0, size)
}

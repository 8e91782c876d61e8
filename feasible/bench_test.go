package feasible

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

func embedded(t testing.TB, name string, sets ...string) *scenario.Scenario {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok, name)
	sc, err := scenario.Load(name, data, scenario.Options{Sets: sets})
	require.NoError(t, err)
	return sc
}

// largeScenario builds a synthetic scenario far larger than cpc20: n units
// of 10–69 seats, 36 person types (gender × ethnicity × role × age), four
// national targets and two unit-level ones, central candidates in every
// other unit. It is the "largest case" of the benchmarks.
func largeScenario(t testing.TB, n int, extra string) *scenario.Scenario {
	t.Helper()
	y := `name: large
quota: %d
traits:
  - {name: gender, values: [male, female]}
  - {name: ethnicity, values: [han, minority]}
  - {name: role, values: [front_line, cadre, other]}
  - {name: age, values: [le45, a46_55, ge56]}
pool:
  - {trait: gender, shares: {male: 0.7, female: 0.3}}
  - {trait: ethnicity, shares: {han: 0.9, minority: 0.1}}
  - {trait: role, shares: {front_line: 0.6, cadre: 0.2, other: 0.2}}
  - trait: age
    given: role
    conditional:
      front_line: {le45: 0.5, a46_55: 0.3, ge56: 0.2}
      cadre: {le45: 0.2, a46_55: 0.5, ge56: 0.3}
      other: {le45: 0.3, ge56: 0.7}
central_pool:
  - {trait: gender, shares: {male: 0.9, female: 0.1}}
  - {trait: role, shares: {cadre: 1}}
  - {trait: age, shares: {ge56: 1}}
units:
%s
stages:
  - name: nomination
    nominate:
      mode: expanded
      ratio: 0.5
      weights:
        - {trait: role, values: {cadre: 3}}
  - name: inspection
    filter:
      vetoes:
        - {reason: integrity, rate: 0.02}
  - name: preliminary
    select: {size: {surplus: 0.3}}
  - name: reserve
    select: {size: {ballot: true}}
  - name: election
    elect:
      surplus: 0.15
      strict: true
      voters: {approval: 0.9}
targets:
  - {name: front_line, when: {role: [front_line]}, min_share: 0.3333333333}
  - {name: cadres, when: {role: [cadre]}, max_share: 0.6666666667}
  - {name: minorities, when: {ethnicity: [minority]}, min_share: 0.08}
  - {name: young, when: {age: [le45]}, min_share: 0.18}
  - {name: women, when: {gender: [female]}, above_member_share: true, strict: true, scope: each}
  - {name: young_each, when: {age: [le45]}, min_count: 2, scope: each}
%s`
	var units string
	quota := 0
	for i := 0; i < n; i++ {
		seats := 10 + (i*37)%60
		central := i % 2
		quota += seats
		units += fmt.Sprintf(`  - name: u%03d
    seats: %d
    central: %d
    entitled_voters: 400
    pool:
      - {trait: gender, shares: {male: %.2f, female: %.2f}}
      - {trait: ethnicity, shares: {han: %.2f, minority: %.2f}}
`, i, seats, central, 0.75-0.01*float64(i%10), 0.25+0.01*float64(i%10), 0.99-0.05*float64(i%10), 0.01+0.05*float64(i%10))
	}
	sc, err := scenario.Load("large", []byte(fmt.Sprintf(y, quota, units, extra)), scenario.Options{})
	require.NoError(t, err)
	return sc
}

func BenchmarkCheck(b *testing.B) {
	cases := []struct {
		name string
		sc   func(testing.TB) *scenario.Scenario
	}{
		{"teaching", func(t testing.TB) *scenario.Scenario { return embedded(t, "teaching") }},
		{"cpc20", func(t testing.TB) *scenario.Scenario { return embedded(t, "cpc20") }},
		{"cpc20-infeasible", func(t testing.TB) *scenario.Scenario {
			return embedded(t, "cpc20", "targets[name=minorities]={name: women_max, when: {gender: [female]}, max_share: 0.2}")
		}},
		{"large-100", func(t testing.TB) *scenario.Scenario { return largeScenario(t, 100, "") }},
		{"large-300", func(t testing.TB) *scenario.Scenario { return largeScenario(t, 300, "") }},
		// A national cap on women below what the units' own women rule
		// needs: a conflict of some 65 constraints, minimised one by one.
		{"large-100-infeasible", func(t testing.TB) *scenario.Scenario {
			return largeScenario(t, 100, "  - {name: women_max, when: {gender: [female]}, max_share: 0.2}\n")
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			sc := tc.sc(b)
			b.ResetTimer()
			var r *Report
			for i := 0; i < b.N; i++ {
				var err error
				if r, err = Check(sc, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(r.Solver.Variables), "vars")
			b.ReportMetric(float64(r.Solver.Rows), "rows")
			b.ReportMetric(float64(r.Solver.Problems), "problems")
		})
	}
}

// scaleTargets are six more targets for the "check at scale" benchmarks:
// with largeScenario's six, twelve — seven national, five per unit. The
// variants end with a national 20% cap on women beside a 25% floor
// ("infeasible": the two alone conflict, in every trial), the cap without
// the floor ("infeasible-units": the cap conflicts with some 390 units'
// rules that women outnumber their members' share, eleven targets), or a
// harmless cap on "other" ("feasible").
func scaleTargets(variant string) string {
	t := `  - {name: old_max, when: {age: [ge56]}, max_share: 0.45}
  - {name: cadre_each, when: {role: [cadre]}, max_share: 0.7, scope: each}
  - {name: middle, when: {age: [a46_55]}, min_share: 0.1}
  - {name: front_each, when: {role: [front_line]}, min_share: 0.2, scope: each}
`
	floor := "  - {name: women_total, when: {gender: [female]}, min_share: 0.25}\n"
	switch variant {
	case "infeasible":
		return floor + t + "  - {name: women_max, when: {gender: [female]}, max_share: 0.2}\n"
	case "infeasible-units":
		return t + "  - {name: women_max, when: {gender: [female]}, max_share: 0.2}\n"
	}
	return floor + t + "  - {name: other_max, when: {role: [other]}, max_share: 0.5}\n"
}

// BenchmarkCheckScale is the "check at scale" table of BENCHMARKS.md: units
// × 12 targets, feasible and infeasible, the verdict with conflicts but
// without the search for repairs (--no-relax), within a 2-minute limit.
func BenchmarkCheckScale(b *testing.B) {
	for _, n := range []int{100, 300, 600} {
		for _, variant := range []string{"feasible", "infeasible", "infeasible-units"} {
			b.Run(fmt.Sprintf("units=%d/targets=12/%s", n, variant), func(b *testing.B) {
				sc := largeScenario(b, n, scaleTargets(variant))
				b.ResetTimer()
				var r *Report
				for i := 0; i < b.N; i++ {
					var err error
					if r, err = Check(sc, Options{NoRelax: true, TimeLimit: 2 * time.Minute}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(r.Solver.Pivots), "pivots")
				b.ReportMetric(float64(r.Solver.Problems), "problems")
				b.ReportMetric(r.Solver.VerdictMillis, "verdict-ms")
			})
		}
	}
}

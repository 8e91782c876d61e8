package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A variant of cpc20 whose PLA pool has no women but a target asks for 60%.
var plaWomen = []string{
	"--set", "units[name=PLA and Armed Police].pool[0].shares={male: 1}",
	"--set", "targets[name=minorities]={name: pla_women, when: {gender: [female]}, min_share: 0.6, scope: each, units: [PLA and Armed Police]}",
}

// A variant whose targets each hold alone but not together: the provinces'
// women rule needs more women than a national 20% cap allows.
var womenCap = []string{"--set", "targets[name=minorities]={name: women_max, when: {gender: [female]}, max_share: 0.2}"}

func TestCheckCPC20(t *testing.T) {
	// (How long it takes is measured by feasible's benchmarks, not here.)
	out, stderr, code := execute(t, "check")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "VERDICT: FEASIBLE")
	assert.Contains(t, out, "Hainan")
	assert.Regexp(t, `Hainan\s+26\s+29\s+4\s+women_above_members ≥ 12 \(≥ 8\)`, out)
}

func TestCheckByUnitFunnel(t *testing.T) {
	out, stderr, code := execute(t, "check", "cpc20", "--by-unit")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Hainan — 26 seats (25 local + 1 central); ballot 29 local names, 4 defeated")
	assert.Regexp(t, `election\s+26\s+women_above_members ≥ 8\n\s+reserve\s+29\s+women_above_members ≥ 12\n`, out)
	assert.Regexp(t, `preliminary\s+32\s+women_above_members ≥ 12\n\s+nomination\s+38\s+women_above_members ≥ 12 \(expected 10.8\)`, out)
}

func TestCheckInfeasibleVariants(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unit target the pool cannot supply", plaWomen, []string{
			"VERDICT: INFEASIBLE",
			"PLA and Armed Police: pla_women (gender female), at least 60% of 303: at least ⌈0.6×303⌉ = 182.",
			"no member of PLA and Armed Police's pool has gender female (pool share 0)",
			"drop pla_women's minimum share (0.6)",
		}},
		{"targets that fail only together", womenCap, []string{
			"VERDICT: NOT AS PLANNED",
			"the vote leaves seats vacant",
			"women_above_members (gender female), more than each unit's members' share, in 30 units",
			"women_max (gender female), all 38 units together: at most 20% of 2300",
			"raise women_max's max_share from 0.2 to 0.2114",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := execute(t, append([]string{"check", "cpc20"}, tc.args...)...)
			assert.Equal(t, exitUnreachable, code, stderr)
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	out, stderr, code := execute(t, append([]string{"check", "cpc20", "--format", "json"}, plaWomen...)...)
	require.Equal(t, exitUnreachable, code, stderr)
	var r struct {
		Verdict   string `json:"verdict"`
		Certified bool   `json:"certified"`
		Conflicts []struct {
			Constraints []struct {
				Name, Unit string
			}
		}
		Repairs []struct{ Target, Bound, To string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "infeasible", r.Verdict)
	assert.True(t, r.Certified)
	require.Len(t, r.Conflicts, 1)
	assert.Equal(t, "pla_women", r.Conflicts[0].Constraints[0].Name)
	assert.Equal(t, "PLA and Armed Police", r.Conflicts[0].Constraints[0].Unit)
	require.NotEmpty(t, r.Repairs)
	assert.Equal(t, "min_share", r.Repairs[0].Bound)
}

func TestCheckBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--format", "csv"},
		{"check", "--max-relax", "lots"},
		{"check", "--max-relax", "nosuchtarget=0.1"},
		{"check", "--max-relax", "-1"},
		{"check", "--node-limit", "-3"},
		{"check", "--time-limit", "0s"},
		{"check", "no-such-scenario"},
		{"check", "--set", "quota=5"},
	} {
		_, _, code := execute(t, args...)
		assert.Equal(t, exitBadInput, code, args)
	}
}

func TestCheckMaxRelax(t *testing.T) {
	out, stderr, code := execute(t, append([]string{"check", "cpc20", "--max-relax", "women_max=0.005"}, womenCap...)...)
	require.Equal(t, exitUnreachable, code, stderr)
	assert.Contains(t, out, "raise women_max's max_share from 0.2 to 0.2114 (beyond your limit on relaxations)")
}

func TestCheckUndecided(t *testing.T) {
	// A time limit too short to decide anything: exit 1, never a guess.
	out, _, code := execute(t, "check", "cpc20", "--time-limit", "1ns")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "VERDICT: UNKNOWN")
}

func TestRunRefusesInfeasible(t *testing.T) {
	args := append([]string{"run", "cpc20", "--trials", "4", "--quiet"}, plaWomen...)
	out, stderr, code := execute(t, args...)
	assert.Equal(t, exitUnreachable, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "VERDICT: INFEASIBLE")
	assert.Contains(t, stderr, "no trial of the simulation meets them")
	assert.Contains(t, stderr, "--force")

	out, stderr, code = execute(t, append(args, "--force", "--format", "csv")...)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, regexp.MustCompile(`(?m)^cpc20,.*pla_women`), out)
}

// Targets that cannot be met as planned but can in a trial whose vote
// leaves seats vacant are simulated, not refused: run refuses only what no
// trial can meet.
func TestRunSimulatesWhatOnlyChanceCanMeet(t *testing.T) {
	args := append([]string{"run", "cpc20", "--trials", "4", "--quiet", "--format", "csv"}, womenCap...)
	out, stderr, code := execute(t, args...)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, regexp.MustCompile(`(?m)^cpc20,.*women_max`), out)
}

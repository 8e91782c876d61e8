package feasible

import (
	"fmt"
	"strconv"
	"strings"

	"simulate/scenario"
)

// Numbers and rules in words, for the report texts.

// pct renders a share as a percentage with at most two decimals: 15%,
// 33.33%, 66.67%.
func pct(s float64) string {
	t := strconv.FormatFloat(100*s, 'f', 2, 64)
	t = strings.TrimRight(strings.TrimRight(t, "0"), ".")
	return t + "%"
}

// countSteps is how far a relaxation moves a target's count bound on one
// side: the side itself when the count is its only bound, else the count's
// own side (−1: dropped).
func countSteps(rel relaxation, ti int, t *scenario.Target, side int) int {
	if !hasShare(t, side) {
		return rel.steps(ti, side)
	}
	if side == sideMin {
		return rel.steps(ti, sideMinCount)
	}
	return rel.steps(ti, sideMaxCount)
}

func pct1(s float64) string { return fmt.Sprintf("%.1f%%", 100*s) }

// num renders a number as given in a scenario, without binary noise:
// 0.3333333333, and 0.3 for a member share summed to 0.2999999999999998.
func num(s float64) string { return strconv.FormatFloat(s, 'g', 10, 64) }

// boundText explains, with the numbers, the bounds a target puts on n
// people: "more than 29% (the members' share) of 26: at least ⌊0.29×26⌋+1 = 8".
func (c *checker) boundText(ti int, n int, memberShare float64, rel relaxation) string {
	t := c.m.targets[ti].t
	var parts []string
	kmin, kmax := rel.steps(ti, sideMin), rel.steps(ti, sideMax)
	if kmin >= 0 && t.AboveMemberShare {
		s := memberShare - float64(kmin)*shareStep
		ref := "the members' share " + pct1(memberShare)
		if kmin > 0 {
			ref = fmt.Sprintf("the members' share %s less %s points", pct1(memberShare), num(100*float64(kmin)*shareStep))
		}
		parts = append(parts, minShareText(s, t.Strict, n, ref))
	}
	if kmin >= 0 && t.MinShare != nil {
		s := *t.MinShare
		if kmin > 0 {
			s = gridDown(s, kmin)
		}
		parts = append(parts, minShareText(s, t.Strict, n, ""))
	}
	if kc := countSteps(rel, ti, t, sideMin); t.MinCount != nil && kc >= 0 {
		lo := *t.MinCount - kc
		if t.Strict {
			lo++
		}
		if t.Strict && kc == 0 {
			parts = append(parts, fmt.Sprintf("more than %d: at least %d", *t.MinCount, lo))
		} else {
			parts = append(parts, fmt.Sprintf("at least %d", lo))
		}
	}
	if kmax >= 0 && t.MaxShare != nil {
		s := *t.MaxShare
		if kmax > 0 {
			s = gridUp(s, kmax)
		}
		parts = append(parts, maxShareText(s, t.Strict, n))
	}
	if kc := countSteps(rel, ti, t, sideMax); t.MaxCount != nil && kc >= 0 {
		hi := *t.MaxCount + kc
		if t.Strict {
			hi--
		}
		if t.Strict && kc == 0 {
			parts = append(parts, fmt.Sprintf("fewer than %d: at most %d", *t.MaxCount, hi))
		} else {
			parts = append(parts, fmt.Sprintf("at most %d", hi))
		}
	}
	return strings.Join(parts, "; ")
}

func minShareText(s float64, strict bool, n int, ref string) string {
	what := pct(s)
	if ref != "" {
		what = ref
	}
	if strict {
		return fmt.Sprintf("more than %s of %d: at least ⌊%s×%d⌋+1 = %d", what, n, num(s), n, scenario.MinCount(s, true, n))
	}
	return fmt.Sprintf("at least %s of %d: at least ⌈%s×%d⌉ = %d", what, n, num(s), n, scenario.MinCount(s, false, n))
}

func maxShareText(s float64, strict bool, n int) string {
	if strict {
		return fmt.Sprintf("less than %s of %d: at most ⌈%s×%d⌉−1 = %d", pct(s), n, num(s), n, scenario.MaxCount(s, true, n))
	}
	return fmt.Sprintf("at most %s of %d: at most ⌊%s×%d⌋ = %d", pct(s), n, num(s), n, scenario.MaxCount(s, false, n))
}

func (c *checker) scopeText(t *targetInfo) string {
	if len(t.units) == 1 {
		return "in " + c.m.units[t.units[0]].name
	}
	if len(t.t.Units) == 0 && len(t.t.Groups) == 0 {
		if t.each {
			return "in every unit"
		}
		return fmt.Sprintf("all %d units together", len(t.units))
	}
	var in []string
	if len(t.t.Groups) > 0 {
		in = append(in, "groups "+strings.Join(t.t.Groups, ", "))
	}
	if len(t.t.Units) > 0 {
		in = append(in, strings.Join(t.t.Units, ", "))
	}
	if t.each {
		return fmt.Sprintf("in each of the %d units of %s", len(t.units), strings.Join(in, " and "))
	}
	return fmt.Sprintf("the %d units of %s together", len(t.units), strings.Join(in, " and "))
}

// ruleText says what a target asks without numbers.
func ruleText(t *scenario.Target) string {
	var parts []string
	more, less := "at least", "at most"
	if t.Strict {
		more, less = "more than", "less than"
	}
	if t.AboveMemberShare {
		parts = append(parts, more+" each unit's members' share")
	}
	if t.MinShare != nil {
		parts = append(parts, fmt.Sprintf("%s %s of each unit's seats", more, pct(*t.MinShare)))
	}
	if t.MinCount != nil {
		parts = append(parts, fmt.Sprintf("%s %d in each unit", more, *t.MinCount))
	}
	if t.MaxShare != nil {
		parts = append(parts, fmt.Sprintf("%s %s of each unit's seats", less, pct(*t.MaxShare)))
	}
	if t.MaxCount != nil {
		parts = append(parts, fmt.Sprintf("%s %d in each unit", less, *t.MaxCount))
	}
	return strings.Join(parts, " and ")
}

// shortText says how far a finite pool that runs short fills a unit's
// lists and seats.
func (c *checker) shortText(u *unitInfo) string {
	m := c.m
	var parts []string
	switch {
	case u.nominated < u.nominees && !u.u.FinitePool:
		parts = append(parts, fmt.Sprintf("but its recommending units can nominate only %d (a body with nobody of nomination weight above 0 in its pool nominates nobody), so the nominee list has %d", u.nominated, u.nominated))
	case u.nominated < u.nominees:
		parts = append(parts, fmt.Sprintf("but its finite pool has only %d member(s) who can be nominated (nomination weight above 0), so the nominee list has %d", u.nominated, u.nominated))
	default:
		parts = append(parts, fmt.Sprintf("it can nominate %d", u.nominated))
	}
	for _, l := range u.lists {
		if l.reach < l.size {
			what := "it keeps everyone"
			if len(l.asked) > 0 {
				what = "it keeps everyone and its quotas cannot act"
			}
			parts = append(parts, fmt.Sprintf("at most %d reach %s (list of %d): %s", l.reach, l.name, l.size, what))
		} else if l.reach == l.size && len(l.asked) > 0 {
			parts = append(parts, fmt.Sprintf("exactly %d reach %s: it keeps everyone and its quotas cannot act", l.reach, l.name))
		}
	}
	local := u.seats - u.central
	if m.electIdx < 0 {
		parts = append(parts, fmt.Sprintf("the final list holds at most %d; targets count them", u.final))
		return strings.Join(parts, "; ")
	}
	if u.onBallot < local+u.requiredExtra {
		parts = append(parts, fmt.Sprintf("a ballot of at most %d local name(s), short of the %d + %d extra the vote asks for", u.onBallot, local, u.requiredExtra))
	}
	if u.local < local {
		parts = append(parts, fmt.Sprintf("at most %d of %d local seats can be filled, and targets count the %d people elected", u.local, local, u.final))
	}
	return strings.Join(parts, "; ")
}

func rangeText(lo, hi, n int) string {
	switch {
	case lo > 0 && hi < n:
		return fmt.Sprintf("%d–%d", lo, hi)
	case lo > 0:
		return fmt.Sprintf("at least %d", lo)
	case hi < n:
		return fmt.Sprintf("at most %d", hi)
	}
	return "anything"
}

func joinNames(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
}

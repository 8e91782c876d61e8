package feasible

import (
	"fmt"
	"strings"
)

// The stated assumptions and the arithmetic pre-checks.

// assumptions states what the verdicts mean, in the scenario's terms.
func (c *checker) assumptions() []string {
	m := c.m
	central := false
	for _, u := range m.units {
		central = central || u.central > 0
	}
	// Central candidates are named only where there are such candidates: a
	// scenario without them is not told of them.
	out := []string{
		"As planned means: some outcome of nomination, inspection, selection and the vote meets every target at once with every seat filled and every stage quota met. Pools are what can be drawn: a type of person counts as available when its pool share is above 0 and, for nominees, its nomination weight is above 0; random vetoes may spare anyone, a veto with rate 1 removes everyone it matches.",
		"Every seat is filled: shares are of the full seat count.",
		"When the plan cannot meet the targets, check asks what some trial of the simulation can do beyond it, in this order: selections miss their quotas, which are best effort; the vote leaves seats vacant and random vetoes remove anyone they match, so targets count fewer people. The first that meets the targets makes the verdict NOT AS PLANNED, with what that trial needs; if none does, no trial meets them and the verdict is INFEASIBLE.",
	}
	if central {
		out[0] = "As planned means: some outcome of nomination, inspection, selection and the vote meets every target at once with every seat filled, every central candidate elected and every stage quota met. Pools are what can be drawn: a type of person counts as available when its pool share is above 0 and, for nominees, its nomination weight is above 0; random vetoes may spare anyone, a veto with rate 1 removes everyone it matches."
		out[2] = "When the plan cannot meet the targets, check asks what some trial of the simulation can do beyond it, in this order: the vote defeats central candidates (their seats go to local names on the ballot); selections miss their quotas, which are best effort; the vote leaves seats vacant and random vetoes remove anyone they match, so targets count fewer people. The first that meets the targets makes the verdict NOT AS PLANNED, with what that trial needs; if none does, no trial meets them and the verdict is INFEASIBLE."
	}
	var ordered []string
	for si, ok := range m.ordered {
		if ok {
			ordered = append(ordered, m.sc.Stages[si].Name)
		}
	}
	if len(ordered) > 0 {
		out = append(out, fmt.Sprintf("Selections with score_sd: 0 and no quotas (%s) rank by score_bias alone: they keep nobody of a lower score unless everyone of every higher score is kept, ties in any order (list order is random). A witness may then need a rare nominee list; selections with score_sd: 0 and quotas are treated like any other.", strings.Join(ordered, ", ")))
	}
	if m.electIdx >= 0 && central {
		out = append(out,
			"Centrally nominated candidates take their seats. In the possibility check they may be any type the central pool has; in the worst case they are the type least favourable to each target.")
	}
	if m.electIdx >= 0 {
		out = append(out,
			"Worst case (guarantees): the voters defeat exactly the surplus names — the ballot's local names beyond the local seats — choosing those least favourable to each target; filters between the lists remove nobody, and selections may drop anyone, so every list must hold at least what the ballot needs.")
	}
	if len(m.quotas) > 0 {
		out = append(out, "Stage quotas are treated as rules the lists must obey, on lists filled to their sizes.")
	}
	for i := range m.units {
		if m.units[i].u.FinitePool {
			out[1] = "Every seat is filled, unless a finite pool runs short (below): shares are of the full seat count."
			out = append(out, "Finite pools hold whole people (largest-remainder counts of members by type) and nominate only members with a nomination weight above 0, without replacement. When those run out the nominee list is shorter than asked, a selection keeps everyone who reaches it (its quotas cannot act), the vote elects at most the local names on the ballot, and targets count the people elected, not the seats. Such lists are taken as long as the pool allows: random vetoes spare everyone, selections keep first the people no veto with rate 1 removes, the vote fills every seat it can.")
			break
		}
	}
	return out
}

// arithmetic lists the pre-checks with their numbers.
func (c *checker) arithmetic() []Finding {
	m := c.m
	sc := m.sc
	var out []Finding
	total := 0
	for i := range m.units {
		total += m.units[i].seats
	}
	seats := fmt.Sprintf("the %d units' seats sum to %d", len(m.units), total)
	if len(m.units) == 1 {
		seats = fmt.Sprintf("the unit has %d seats", total)
	}
	out = append(out, Finding{Check: "seats", OK: total == sc.Quota, Text: fmt.Sprintf("%s; the quota is %d", seats, sc.Quota)})
	if e := sc.ElectStage(); e != nil {
		rule := fmt.Sprintf("at least %s surplus on n local seats means ⌈%s×n⌉ extra names", pct(e.Surplus), num(e.Surplus))
		if e.Strict {
			rule = fmt.Sprintf("more than %s surplus on n local seats means ⌊%s×n⌋+1 extra names", pct(e.Surplus), num(e.Surplus))
		}
		out = append(out, Finding{Check: "surplus", OK: true, Text: "the election: " + rule + "; uncontested units need none"})
	}
	for ui := range m.units {
		u := &m.units[ui]
		f := Finding{Check: "lists", Unit: u.name, OK: true}
		var parts []string
		if u.central > 0 {
			parts = append(parts, fmt.Sprintf("%d seats = %d local + %d central", u.seats, u.seats-u.central, u.central))
		} else {
			parts = append(parts, fmt.Sprintf("%d seats", u.seats))
		}
		parts = append(parts, fmt.Sprintf("%d nominees", u.nominees))
		prev := u.nominees
		for _, l := range u.lists {
			parts = append(parts, fmt.Sprintf("%s %d", l.name, l.size))
			if l.size > prev {
				f.OK = false
			}
			prev = l.size
		}
		idle := false
		for _, l := range u.lists {
			idle = idle || len(l.quotas) < len(l.asked)
		}
		if u.short || idle {
			// The lists and seats a finite pool can actually fill.
			f.OK = f.OK && !u.short
			parts = append(parts, c.shortText(u))
		} else if m.electIdx >= 0 {
			switch {
			case u.u.Uncontested:
				parts = append(parts, fmt.Sprintf("uncontested: ballot of %d local names", u.ballot))
			default:
				e := sc.ElectStage()
				formula := fmt.Sprintf("⌈%s×%d⌉", num(e.Surplus), u.seats-u.central)
				if e.Strict {
					formula = fmt.Sprintf("⌊%s×%d⌋+1", num(e.Surplus), u.seats-u.central)
				}
				parts = append(parts, fmt.Sprintf("ballot %d local names = %d + %s = %d + %d extra", u.ballot, u.local, formula, u.local, u.requiredExtra))
			}
			if u.ballot < u.local+u.requiredExtra {
				f.OK = false
			}
		}
		f.Text = strings.Join(parts, "; ")
		out = append(out, f)
	}
	for ti := range m.targets {
		t := &m.targets[ti]
		scopes := []int{-1}
		if t.each {
			scopes = t.units
		}
		for _, ui := range scopes {
			x := cid{kindTarget, ti, ui}
			lo, hi, n := c.rowBounds(x, nil)
			f := Finding{Check: "rounding", Target: t.t.Name, OK: lo <= hi && lo <= n && hi >= 0}
			ms := 0.0
			if ui >= 0 {
				f.Unit = m.units[ui].name
				ms = m.units[ui].memberShare[ti]
			}
			f.Text = c.boundText(ti, n, ms, nil)
			if lo > hi {
				f.Text += fmt.Sprintf(" — the minimum %d is above the maximum %d", lo, hi)
			}
			out = append(out, f)
			// Supply: can the pools provide that many at all?
			smin, smax := 0, 0
			units := []int{ui}
			if ui < 0 {
				units = t.units
			}
			for _, u := range units {
				a, b := c.supplyRange(&m.units[u], ti)
				smin += a
				smax += b
			}
			s := Finding{Check: "supply", Target: t.t.Name, Unit: f.Unit, OK: lo <= smax && hi >= smin,
				Text: fmt.Sprintf("the pools allow %d–%d of %d with %s; the target asks for %s", smin, smax, n, t.t.When.String(), rangeText(lo, hi, n))}
			out = append(out, s)
		}
	}
	for ui := range m.units {
		u := &m.units[ui]
		for _, l := range u.lists {
			for _, qi := range l.quotas {
				q := &m.quotas[qi]
				lo, hi := quotaBounds(q.q, l.size)
				out = append(out, Finding{Check: "quota", Unit: u.name, Target: q.name, OK: lo <= hi,
					Text: fmt.Sprintf("stage %s quota %s on a list of %d: %s", l.name, q.name, l.size, rangeText(lo, hi, l.size))})
			}
		}
	}
	return out
}

package feasible

import (
	"fmt"
	"math"
	"strings"
)

// Per-target and per-unit reports, the funnel of least list compositions, and the national worst case.

// targetReports summarises every target nationally.
func (c *checker) targetReports() []TargetReport {
	m := c.m
	var out []TargetReport
	for ti := range m.targets {
		t := &m.targets[ti]
		tr := TargetReport{Name: t.t.Name, Label: t.t.Label, Scope: string(t.t.Scope), Units: len(t.units), Seats: t.seats, Min: -1, Max: -1}
		for _, u := range t.units {
			a, b := c.supplyRange(&m.units[u], ti)
			tr.SupplyMin += a
			tr.SupplyMax += b
		}
		set := c.softCids(func(x cid) bool { return x.kind == kindTarget && x.index == ti && (x.unit < 0 || !c.broken[x.unit]) })
		alone := Feasible
		if len(set) > 0 {
			alone = c.statusWith(set, nil)
		}
		tr.Alone, tr.AloneVerdict = alone == Feasible, alone.Verdict()
		verdict := map[Status]string{Feasible: "can be met on its own", Infeasible: "cannot be met even on its own", Unknown: "undecided on its own"}[alone]
		if t.each {
			tightest, slack := -1, math.MaxInt
			for _, u := range t.units {
				un := &m.units[u]
				lo, hi := t.bounds(un.final, un.memberShare[ti], nil)
				_, smax := c.supplyRange(un, ti)
				smin, _ := c.supplyRange(un, ti)
				s := min(smax-lo, hi-smin, un.final-lo, hi)
				if s < slack {
					tightest, slack = u, s
				}
			}
			tr.Text = fmt.Sprintf("%s, %s", c.scopeText(t), verdict)
			if len(t.units) == 1 {
				un := &m.units[t.units[0]]
				tr.Text = fmt.Sprintf("%s: %s; the pools allow %d–%d; %s", c.scopeText(t),
					c.boundText(ti, un.final, un.memberShare[ti], nil), tr.SupplyMin, tr.SupplyMax, verdict)
			} else if tightest >= 0 {
				un := &m.units[tightest]
				tr.Text += fmt.Sprintf("; tightest: %s, %s", un.name, c.boundText(ti, un.final, un.memberShare[ti], nil))
			}
		} else {
			tr.Min, tr.Max = t.bounds(t.seats, 0, nil)
			centralShare, centralTotal := 0.0, 0.0
			for i := range m.central {
				centralTotal += m.central[i].mass
				if m.central[i].target[ti] {
					centralShare += m.central[i].mass
				}
			}
			if centralTotal > 0 {
				centralShare /= centralTotal
			}
			for _, u := range t.units {
				un := &m.units[u]
				tr.Expected += float64(un.local)*c.nominatedShare(un, ti) + float64(un.central)*centralShare
			}
			tr.Expected = math.Round(10*tr.Expected) / 10
			tr.Text = fmt.Sprintf("%s: %s; the pools allow %d–%d (nomination alone gives about %.0f); %s",
				c.scopeText(t), c.boundText(ti, t.seats, 0, nil), tr.SupplyMin, tr.SupplyMax, tr.Expected, verdict)
		}
		out = append(out, tr)
	}
	return out
}

// unitReports computes every unit's needs, its worst-case guarantee and
// its inverse funnel.
func (c *checker) unitReports() []UnitReport {
	m := c.m
	U := len(m.units)
	var out []UnitReport
	for ui := range m.units {
		u := &m.units[ui]
		// Local counts the places the lists ask for (the local seats, or the
		// last list's size without a vote); Final what can be filled.
		local := u.seats - u.central
		if m.electIdx < 0 {
			local = u.nominees
			if len(u.lists) > 0 {
				local = u.lists[len(u.lists)-1].size
			}
		}
		ur := UnitReport{Name: u.name, Seats: u.seats, Central: u.central, Local: local, Ballot: u.ballot, Extra: u.extra,
			RequiredExtra: u.requiredExtra, Nominees: u.nominees, Nominated: u.nominated, Final: u.final, Verdict: c.unitStatus[ui].Verdict()}
		if c.broken[ui] {
			ur.Verdict = VerdictInfeasible
		}
		for _, need := range m.unitNeeds(u, nil, true) {
			ur.Needs = append(ur.Needs, c.needReport(u, need))
		}
		if u.short {
			ur.Notes = append(ur.Notes, fmt.Sprintf("%d nominees %s", u.nominees, c.shortText(u)))
		}
		// Can a ballot guarantee every unit-level target?
		if c.broken[ui] {
			ur.GuaranteeVerdict = VerdictInfeasible
			out = append(out, ur)
			continue
		}
		res := c.solve(func() *built { return buildRobustUnit(m, ui, buildOpts{units: only(U, ui), soft: true}) })
		ur.Guaranteed, ur.GuaranteeVerdict = res.status == Feasible, res.status.Verdict()
		if res.status == Infeasible && m.electIdx >= 0 {
			// The largest surplus at which a guaranteeing ballot exists.
			best := -1
			saveB, saveE := u.ballot, u.extra
			for e := u.extra - 1; e >= 0; e-- {
				u.ballot, u.extra = u.local+e, e
				if c.solve(func() *built { return buildRobustUnit(m, ui, buildOpts{units: only(U, ui), soft: true}) }).status == Feasible {
					best = e
					break
				}
			}
			u.ballot, u.extra = saveB, saveE
			ur.GuaranteeExtra = &best
			if best >= 0 {
				ur.Notes = append(ur.Notes, fmt.Sprintf("no ballot of %d local names guarantees every unit-level target; one with at most %d extra names (%d in all) would", u.ballot, best, u.local+best))
			} else {
				ur.Notes = append(ur.Notes, "no ballot guarantees every unit-level target, even an uncontested one")
			}
		}
		ur.Funnel = c.funnel(u, ur.Needs)
		out = append(out, ur)
	}
	return out
}

func (c *checker) needReport(u *unitInfo, need unitNeed) Need {
	m := c.m
	t := &m.targets[need.target]
	n := Need{Target: t.t.Name, National: need.national}
	what := t.t.When.String()
	var parts []string
	bound := ""
	if need.national {
		bound = fmt.Sprintf("its proportional part of the national target: %s", rangeText(need.lo, need.hi, u.final))
	} else {
		bound = c.boundText(need.target, u.final, u.memberShare[need.target], nil)
	}
	if need.lo > 0 {
		n.ElectedMin = ptr(need.lo)
	}
	if need.hi < u.final {
		n.ElectedMax = ptr(need.hi)
	}
	r := need.robust
	cmin, cmax := m.centralRange(u, need.target)
	if r.hasLo {
		n.BallotMin = ptr(r.lo)
		list := fmt.Sprintf("the ballot of %d local names", u.ballot)
		if m.electIdx < 0 {
			list = fmt.Sprintf("the final list of %d", u.ballot)
		}
		s := fmt.Sprintf("%s needs at least %d with %s", list, r.lo, what)
		detail := fmt.Sprintf("%d", need.lo)
		if cmin > 0 {
			detail += fmt.Sprintf(" − %d central", cmin)
		}
		if u.extra > 0 {
			detail += fmt.Sprintf(" + %d surplus", u.extra)
		}
		if detail != fmt.Sprintf("%d", r.lo) {
			s += " (" + detail + ")"
		}
		if u.central > 0 && cmin == 0 {
			s += fmt.Sprintf("; its %d central candidate(s) may not count", u.central)
		}
		if r.lo > u.ballot {
			s += " — more than the ballot holds"
		}
		parts = append(parts, s)
	}
	if r.hasHi {
		n.BallotMax = ptr(r.hi)
		s := fmt.Sprintf("the ballot may carry at most %d with %s", max(r.hi, 0), what)
		if cmax > 0 {
			s += fmt.Sprintf(" (%d − %d central who may count)", need.hi, cmax)
		}
		if r.hi < 0 {
			s += " — impossible: the central candidates alone may exceed it"
		}
		parts = append(parts, s)
	}
	n.Text = fmt.Sprintf("%s: %s", t.t.Name, bound)
	if len(parts) > 0 {
		n.Text += "; " + strings.Join(parts, "; ")
	}
	return n
}

// funnel is the least composition of every list from the ballot back to
// the nominees: selections can drop anyone and filters are assumed to
// remove nobody, so each list must hold what the ballot needs.
func (c *checker) funnel(u *unitInfo, needs []Need) []FunnelStep {
	m := c.m
	var steps []FunnelStep
	add := func(stage string, size int, elected bool) {
		st := FunnelStep{Stage: stage, Size: size, AtLeast: map[string]int{}, AtLeastNot: map[string]int{}}
		for _, n := range needs {
			if n.National {
				continue
			}
			switch {
			case elected && n.ElectedMin != nil:
				st.AtLeast[n.Target] = *n.ElectedMin
			case !elected && n.BallotMin != nil:
				st.AtLeast[n.Target] = *n.BallotMin
			}
			switch {
			case elected && n.ElectedMax != nil:
				st.AtLeastNot[n.Target] = size - *n.ElectedMax
			case !elected && n.BallotMax != nil:
				st.AtLeastNot[n.Target] = u.ballot - *n.BallotMax
			}
		}
		steps = append(steps, st)
	}
	if m.electIdx >= 0 {
		add(m.sc.Stages[m.electIdx].Name, u.final, true)
	}
	for i := len(u.lists) - 1; i >= 0; i-- {
		l := &u.lists[i]
		if m.electIdx >= 0 && l.stage > m.electIdx {
			continue
		}
		add(l.name, min(l.size, l.reach), false)
	}
	for si := range m.sc.Stages {
		if m.sc.Stages[si].Nominate != nil {
			add(m.sc.Stages[si].Name, u.nominated, false)
			break
		}
	}
	// Expected numbers among the nominees, from pools and weights alone.
	last := &steps[len(steps)-1]
	total := 0.0
	for i := range u.atoms {
		total += u.atoms[i].nomMass
	}
	// (Only for a unit nominating as one body: recommending units' own pools
	// and shares would need their own expectation.)
	if total > 0 && len(u.u.Recommending) == 0 {
		last.Expected = map[string]float64{}
		for _, n := range needs {
			if n.National {
				continue
			}
			k := c.targetIndex(n.Target)
			s := 0.0
			for i := range u.atoms {
				if u.atoms[i].target[k] {
					s += u.atoms[i].nomMass
				}
			}
			last.Expected[n.Target] = math.Round(10*float64(u.nominated)*s/total) / 10
		}
	}
	return steps
}

func ptr(v int) *int { return &v }

// nominatedShare is the share of a unit's nominees expected to match target
// k: the pool share weighted by the nomination weights.
func (c *checker) nominatedShare(u *unitInfo, k int) float64 {
	total, match := 0.0, 0.0
	for i := range u.atoms {
		total += u.atoms[i].nomMass
		if u.atoms[i].target[k] {
			match += u.atoms[i].nomMass
		}
	}
	if total == 0 {
		return 0
	}
	return match / total
}

func (c *checker) targetIndex(name string) int {
	for i := range c.m.targets {
		if c.m.targets[i].t.Name == name {
			return i
		}
	}
	return -1
}

// nationalWorstCase explains each national target's worst case in numbers.
func (c *checker) nationalWorstCase() []string {
	m := c.m
	var out []string
	for ti := range m.targets {
		t := &m.targets[ti]
		if t.unitLevel() {
			continue
		}
		lo, hi := t.bounds(t.seats, 0, nil)
		what := t.t.When.String()
		var cmin, cmax, surplus, carriers int
		for _, ui := range t.units {
			u := &m.units[ui]
			a, b := m.centralRange(u, ti)
			cmin += a
			cmax += b
			if len(matchingAtoms(u, ti)) > 0 {
				carriers++
				surplus += u.extra
			}
		}
		if lo > cmin {
			central := ""
			if cmin > 0 {
				central = fmt.Sprintf(" (%d of them central candidates, who always count)", cmin)
			}
			out = append(out, fmt.Sprintf("  %s ≥ %d%s: the voters can defeat up to a unit's surplus of names with %s, so a unit counts only for those beyond its surplus; the ballots need %d more such names than the surpluses of the units carrying them — %d if all %d units that can carry them do.",
				t.t.Name, lo, central, what, lo-cmin, lo-cmin+surplus, carriers))
		}
		if hi < t.seats {
			central := ""
			if cmax > 0 {
				central = fmt.Sprintf(" (%d − %d central candidates, who may all have %s)", hi, cmax, what)
			}
			out = append(out, fmt.Sprintf("  %s ≤ %d: the voters can elect every name with %s up to a unit's local seats, so the ballots together may carry at most %d such names%s, not counting a unit's names beyond its local seats.",
				t.t.Name, hi, what, hi-cmax, central))
		}
	}
	return out
}

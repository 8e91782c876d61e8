package feasible

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"simulate/scenario"
)

// assumptions states what the verdicts mean, in the scenario's terms.
func (c *checker) assumptions() []string {
	m := c.m
	out := []string{
		"Possible means: some outcome of nomination, inspection, selection and the vote meets every target at once. Pools are what can be drawn: a type of person counts as available when its pool share is above 0 and, for nominees, its nomination weight is above 0; random vetoes may spare anyone, a veto with rate 1 removes everyone it matches.",
		"Every seat is filled: shares are of the full seat count.",
	}
	if m.electIdx >= 0 {
		out = append(out,
			"Centrally nominated candidates take their seats. In the possibility check they may be any type the central pool has; in the worst case they are the type least favourable to each target.",
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

// pct renders a share as a percentage with at most two decimals: 15%,
// 33.33%, 66.67%.
func pct(s float64) string {
	t := strconv.FormatFloat(100*s, 'f', 2, 64)
	t = strings.TrimRight(strings.TrimRight(t, "0"), ".")
	return t + "%"
}

func pct1(s float64) string { return fmt.Sprintf("%.1f%%", 100*s) }

// num renders a number as given in a scenario, without binary noise:
// 0.3333333333, and 0.3 for a member share summed to 0.2999999999999998.
func num(s float64) string { return strconv.FormatFloat(s, 'g', 10, 64) }

// predicateText renders a predicate: "gender female", "age le45 or a46_55".
func predicateText(p scenario.Predicate) string {
	if len(p) == 0 {
		return "everyone"
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" "+strings.Join(p[k], " or "))
	}
	return strings.Join(parts, " and ")
}

// boundText explains, with the numbers, the bounds a target puts on n
// people: "more than 29% (the members' share) of 26: at least ⌊0.29×26⌋+1 = 8".
func (c *checker) boundText(ti int, n int, memberShare float64, rel relaxation) string {
	t := c.m.targets[ti].t
	var parts []string
	kmin, kmax := rel.steps(ti, sideMin), rel.steps(ti, sideMax)
	if kmin >= 0 {
		if t.AboveMemberShare {
			s := memberShare - float64(kmin)*shareStep
			ref := "the members' share " + pct1(memberShare)
			if kmin > 0 {
				ref = fmt.Sprintf("the members' share %s less %s points", pct1(memberShare), num(100*float64(kmin)*shareStep))
			}
			parts = append(parts, minShareText(s, t.Strict, n, ref))
		}
		if t.MinShare != nil {
			s := *t.MinShare
			if kmin > 0 {
				s = gridDown(s, kmin)
			}
			parts = append(parts, minShareText(s, t.Strict, n, ""))
		}
		if t.MinCount != nil {
			lo, _ := c.m.targets[ti].bounds(n, memberShare, relaxation{ti: {kmin, -1}})
			if t.Strict && kmin == 0 {
				parts = append(parts, fmt.Sprintf("more than %d: at least %d", *t.MinCount, lo))
			} else {
				parts = append(parts, fmt.Sprintf("at least %d", lo))
			}
		}
	}
	if kmax >= 0 {
		if t.MaxShare != nil {
			s := *t.MaxShare
			if kmax > 0 {
				s = gridUp(s, kmax)
			}
			parts = append(parts, maxShareText(s, t.Strict, n))
		}
		if t.MaxCount != nil {
			_, hi := c.m.targets[ti].bounds(n, memberShare, relaxation{ti: {-1, kmax}})
			if t.Strict && kmax == 0 {
				parts = append(parts, fmt.Sprintf("fewer than %d: at most %d", *t.MaxCount, hi))
			} else {
				parts = append(parts, fmt.Sprintf("at most %d", hi))
			}
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

// supplyRange is how many of a unit's final people can match target k, from
// its pools alone: at least smin whatever happens, at most smax.
func (c *checker) supplyRange(u *unitInfo, k int) (smin, smax int) {
	all, any := true, false
	for i := range u.atoms {
		if !u.atoms[i].final() {
			continue
		}
		if u.atoms[i].target[k] {
			any = true
		} else {
			all = false
		}
	}
	if any {
		smax = u.local
	}
	if all && any {
		smin = u.local
	}
	if u.u.FinitePool {
		// A finite pool holds whole people: at most its matching members
		// who can be nominated and survive, at least what the others leave.
		final := func(match bool) int {
			return u.reachOf(func(a *atom) bool { return a.final() && a.target[k] == match })
		}
		smax = min(u.local, final(true))
		smin = max(0, u.local-final(false))
	}
	cmin, cmax := c.m.centralRange(u, k)
	return smin + cmin, smax + cmax
}

// whyNone says why none of a unit's final people can match target k.
func (c *checker) whyNone(u *unitInfo, k int) string {
	m := c.m
	t := m.targets[k].t
	what := predicateText(t.When)
	probs := m.types.PoolProbs(scenario.MergePool(m.sc.Pool, u.u.Pool))
	inPool := false
	for typ, p := range probs {
		inPool = inPool || (p > 0 && m.targets[k].match[typ])
	}
	if !inPool && len(u.u.Recommending) == 0 {
		return fmt.Sprintf("no member of %s's pool has %s (pool share 0)", u.name, what)
	}
	nominable := false
	for i := range u.atoms {
		nominable = nominable || u.atoms[i].target[k]
	}
	if !nominable {
		return fmt.Sprintf("no member with %s can be nominated in %s (pool share or nomination weight 0)", what, u.name)
	}
	for si := range m.sc.Stages {
		if m.certain[si] == nil {
			continue
		}
		left := false
		for i := range u.atoms {
			if u.atoms[i].target[k] && u.atoms[i].removed > si {
				left = true
			}
		}
		if !left {
			return fmt.Sprintf("the %s stage removes everyone with %s (a veto with rate 1)", m.sc.Stages[si].Name, what)
		}
	}
	return fmt.Sprintf("nobody with %s reaches the end of %s's pipeline", what, u.name)
}

// ref describes one soft constraint.
func (c *checker) ref(x cid, rel relaxation) ConstraintRef {
	m := c.m
	if x.kind == kindQuota {
		q := &m.quotas[x.index]
		u := &m.units[x.unit]
		var size int
		for _, l := range u.lists {
			if l.stage == q.stage {
				size = l.size
			}
		}
		lo, hi := quotaBounds(q.q, size)
		return ConstraintRef{Kind: "quota", Name: q.name, Unit: u.name, Min: lo, Max: hi, Of: size, cid: x, target: -1,
			Text: fmt.Sprintf("%s: stage %s quota %s (%s) on its list of %d: %s",
				u.name, m.sc.Stages[q.stage].Name, q.name, predicateText(q.q.When), size, rangeText(lo, hi, size))}
	}
	t := &m.targets[x.index]
	lo, hi, n := c.rowBounds(x, rel)
	ref := ConstraintRef{Kind: "target", Name: t.t.Name, Min: lo, Max: hi, Of: n, cid: x, target: x.index}
	if x.unit < 0 {
		ref.Text = fmt.Sprintf("%s (%s), %s: %s", t.t.Name, predicateText(t.t.When), c.scopeText(t), c.boundText(x.index, n, 0, rel))
		return ref
	}
	u := &m.units[x.unit]
	ref.Unit = u.name
	ref.Text = fmt.Sprintf("%s: %s (%s), %s", u.name, t.t.Name, predicateText(t.t.When), c.boundText(x.index, n, u.memberShare[x.index], rel))
	return ref
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

// explainConflict says in words why the constraints cannot hold together.
func (c *checker) explainConflict(set []cid, rel relaxation) []string {
	var out []string
	if len(set) == 1 {
		x := set[0]
		ref := c.ref(x, rel)
		out = append(out, ref.Text+".")
		if x.kind == kindTarget {
			out = append(out, c.supplyText(x, ref.Min, ref.Max)...)
		}
		return out
	}
	out = append(out, fmt.Sprintf("These %d requirements cannot all be met at once:", len(set)))
	// Group a target's many units into one line.
	var order []int
	byTarget := map[int][]cid{}
	for _, x := range set {
		if x.kind != kindTarget || x.unit < 0 {
			out = append(out, "  • "+c.ref(x, rel).Text)
			continue
		}
		if _, ok := byTarget[x.index]; !ok {
			order = append(order, x.index)
		}
		byTarget[x.index] = append(byTarget[x.index], x)
	}
	var grouped []string
	for _, ti := range order {
		xs := byTarget[ti]
		if len(xs) <= 3 {
			for _, x := range xs {
				grouped = append(grouped, "  • "+c.ref(x, rel).Text)
			}
			continue
		}
		t := c.m.targets[ti].t
		var parts []string
		sumLo, sumHi, hasLo, hasHi := 0, 0, false, false
		for i, x := range xs {
			lo, hi, n := c.rowBounds(x, rel)
			sumLo += lo
			sumHi += hi
			hasLo = hasLo || lo > 0
			hasHi = hasHi || hi < n
			if i < 6 {
				parts = append(parts, fmt.Sprintf("%s %s of %d", c.m.units[x.unit].name, rangeText(lo, hi, n), n))
			}
		}
		if len(xs) > 6 {
			parts = append(parts, fmt.Sprintf("… %d more", len(xs)-6))
		}
		total := ""
		switch {
		case hasLo && !hasHi:
			total = fmt.Sprintf("; at least %d in all", sumLo)
		case hasHi && !hasLo:
			total = fmt.Sprintf("; at most %d in all", sumHi)
		}
		grouped = append(grouped, fmt.Sprintf("  • %s (%s), %s, in %d units: %s%s", t.Name, predicateText(t.When), ruleText(t), len(xs), strings.Join(parts, ", "), total))
	}
	// Unit-level lines first, then the national ones (already appended).
	head := out[:1]
	rest := append([]string(nil), out[1:]...)
	return append(append(head, grouped...), rest...)
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

// supplyText explains a single target that the pools cannot meet.
func (c *checker) supplyText(x cid, lo, hi int) []string {
	m := c.m
	if lo > hi {
		return []string{fmt.Sprintf("Its minimum (%d) is above its maximum (%d) once rounded to whole people.", lo, hi)}
	}
	units := []int{x.unit}
	if x.unit < 0 {
		units = m.targets[x.index].units
	}
	smin, smax := 0, 0
	var reasons []string
	for _, ui := range units {
		u := &m.units[ui]
		a, b := c.supplyRange(u, x.index)
		smin += a
		smax += b
		if b < u.final && lo > 0 && b-c.centralMax(u, x.index) == 0 {
			reasons = append(reasons, c.whyNone(u, x.index))
		}
	}
	var out []string
	what := predicateText(m.targets[x.index].t.When)
	if lo > smax {
		n := 0
		for _, ui := range units {
			n += m.units[ui].final
		}
		if smax == 0 {
			out = append(out, fmt.Sprintf("But none of the %d can have %s, whatever happens.", n, what))
		} else {
			out = append(out, fmt.Sprintf("But at most %d of the %d can have %s, whatever happens.", smax, n, what))
		}
		for i, r := range reasons {
			if i == 3 {
				out = append(out, fmt.Sprintf("(and %d more units like these)", len(reasons)-3))
				break
			}
			out = append(out, "Because "+r+".")
		}
		if x.unit >= 0 {
			u := &m.units[x.unit]
			if _, cmax := m.centralRange(u, x.index); u.central > 0 {
				if cmax > 0 {
					out = append(out, fmt.Sprintf("Its %d centrally nominated candidate(s) could count, but the %d local seats cannot supply the rest.", u.central, u.local))
				} else {
					out = append(out, fmt.Sprintf("Its %d centrally nominated candidate(s) cannot count: the central pool has nobody with %s.", u.central, what))
				}
			}
		}
	}
	if hi < smin {
		out = append(out, fmt.Sprintf("But at least %d of them have %s whatever happens (every available person does).", smin, what))
	}
	if len(out) == 0 {
		out = append(out, "Its bounds cannot be met with whole people from the available pools.")
	}
	return out
}

func (c *checker) centralMax(u *unitInfo, k int) int {
	_, cmax := c.m.centralRange(u, k)
	return cmax
}

// explainFixes turns each member's smallest relaxation within the conflict
// into "with the others met, X can reach at most k".
func (c *checker) explainFixes(set []cid, fixes []Relaxation, rel relaxation) []string {
	if len(set) < 2 {
		var out []string
		if len(fixes) > 0 {
			var ts []string
			for _, f := range fixes {
				ts = append(ts, f.Text)
			}
			out = append(out, "To resolve it: "+strings.Join(ts, ", or ")+".")
		} else {
			out = append(out, "No relaxation of its bound short of removing it resolves this.")
		}
		return out
	}
	var out []string
	for _, f := range fixes {
		var rows []cid
		for _, x := range set {
			if x.kind == kindTarget && x.index == f.target {
				rows = append(rows, x)
			}
		}
		if len(rows) == 0 {
			continue
		}
		name := c.m.targets[f.target].t.Name
		if len(rows) > 1 {
			out = append(out, fmt.Sprintf("With the others met, %s holds only if relaxed: %s.", name, f.Text))
			continue
		}
		x := rows[0]
		r2 := rel.with(f.target, f.side, f.steps)
		if f.Drop {
			r2 = rel.with(f.target, f.side, -1)
		}
		lo, hi, n := c.rowBounds(x, r2)
		if x.unit >= 0 {
			name = c.m.units[x.unit].name + ": " + name
		}
		switch {
		case f.Drop && f.side == sideMin:
			out = append(out, fmt.Sprintf("With the others met, %s cannot have any minimum at all.", name))
		case f.Drop:
			out = append(out, fmt.Sprintf("With the others met, %s cannot have any maximum at all.", name))
		case f.side == sideMin:
			out = append(out, fmt.Sprintf("With the others met, %s can reach at most %d of %d.", name, lo, n))
		default:
			out = append(out, fmt.Sprintf("With the others met, %s needs room for at least %d of %d.", name, hi, n))
		}
	}
	out = append(out, "Drop or relax any one of them and the rest can be met.")
	return out
}

// relaxation builds the description of relaxing one side of a target by k
// steps (drop: remove the bound).
func (c *checker) relaxation(ti, side, k int, drop bool) Relaxation {
	t := c.m.targets[ti].t
	r := Relaxation{Target: t.Name, target: ti, side: side, steps: k, Drop: drop}
	lim := c.limitSteps(ti, side)
	r.WithinLimit = lim < 0 || (!drop && k <= lim)
	switch {
	case side == sideMin && t.AboveMemberShare:
		r.Bound = "above_member_share"
		r.From = "members' share"
		if drop {
			r.To = "none"
			r.Text = fmt.Sprintf("drop %s (no reference below the members' share helps)", t.Name)
			break
		}
		r.To = fmt.Sprintf("members' share − %s", num(float64(k)*shareStep))
		r.Text = fmt.Sprintf("let %s's share fall to %s points below each unit's members' share", t.Name, num(100*float64(k)*shareStep))
	case side == sideMin && t.MinShare != nil:
		r.Bound = "min_share"
		r.From = num(*t.MinShare)
		r.To = num(gridDown(*t.MinShare, k))
		if drop || gridDown(*t.MinShare, k) <= 0 {
			r.To, r.Drop = "0", true
			r.Text = fmt.Sprintf("drop %s's minimum share (%s)", t.Name, r.From)
			break
		}
		r.Text = fmt.Sprintf("lower %s's min_share from %s to %s", t.Name, r.From, r.To)
	case side == sideMin:
		r.Bound = "min_count"
		r.From = strconv.Itoa(*t.MinCount)
		to := *t.MinCount - k
		if drop || to < 0 || (to == 0 && !t.Strict) {
			r.To, r.Drop = "0", true
			r.Text = fmt.Sprintf("drop %s's minimum count (%s)", t.Name, r.From)
			break
		}
		r.To = strconv.Itoa(to)
		r.Text = fmt.Sprintf("lower %s's min_count from %s to %s", t.Name, r.From, r.To)
	case t.MaxShare != nil:
		r.Bound = "max_share"
		r.From = num(*t.MaxShare)
		r.To = num(gridUp(*t.MaxShare, k))
		if drop || gridUp(*t.MaxShare, k) >= 1 {
			r.To, r.Drop = "1", true
			r.Text = fmt.Sprintf("drop %s's maximum share (%s)", t.Name, r.From)
			break
		}
		r.Text = fmt.Sprintf("raise %s's max_share from %s to %s", t.Name, r.From, r.To)
	default:
		r.Bound = "max_count"
		r.From = strconv.Itoa(*t.MaxCount)
		r.To = strconv.Itoa(*t.MaxCount + k)
		if drop {
			r.To = "none"
			r.Text = fmt.Sprintf("drop %s's maximum count (%s)", t.Name, r.From)
			break
		}
		r.Text = fmt.Sprintf("raise %s's max_count from %s to %s", t.Name, r.From, r.To)
	}
	if r.Drop {
		r.WithinLimit = lim < 0
	}
	if !r.WithinLimit {
		r.Text += " (beyond your --max-relax limit)"
	}
	return r
}

// structural explains why a unit's lists cannot be filled at all.
func (c *checker) structural(ui int) Conflict {
	m := c.m
	u := &m.units[ui]
	cf := Conflict{Structural: true, Minimal: true}
	finals := 0
	for i := range u.atoms {
		if u.atoms[i].final() {
			finals++
		}
	}
	switch {
	case len(u.atoms) == 0:
		cf.Explanation = append(cf.Explanation, fmt.Sprintf("%s cannot nominate anyone: every member type has pool share 0 or nomination weight 0.", u.name))
	case finals == 0:
		cf.Explanation = append(cf.Explanation, fmt.Sprintf("In %s nobody survives the pipeline: vetoes with rate 1 remove every nominee.", u.name))
	case u.central > 0 && len(m.central) == 0:
		cf.Explanation = append(cf.Explanation, fmt.Sprintf("%s has %d centrally nominated seat(s) but no central candidate can remain: filters with rate 1 after the election remove every type of the central pool.", u.name, u.central))
	default:
		cf.Explanation = append(cf.Explanation, fmt.Sprintf("%s cannot fill its lists (%d nominees, %d local seats) from what its recommending units and finite pools can supply, given the vetoes with rate 1.", u.name, u.nominees, u.local))
	}
	cf.Constraints = []ConstraintRef{{Kind: "structure", Name: "lists", Unit: u.name, Min: u.local, Max: u.local, Of: u.local, target: -1,
		Text: fmt.Sprintf("%s: fill %d local seats", u.name, u.local)}}
	return cf
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
				Text: fmt.Sprintf("the pools allow %d–%d of %d with %s; the target asks for %s", smin, smax, n, predicateText(t.t.When), rangeText(lo, hi, n))}
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

// shortText says how far a finite pool that runs short fills a unit's
// lists and seats.
func (c *checker) shortText(u *unitInfo) string {
	m := c.m
	var parts []string
	if u.nominated < u.nominees {
		parts = append(parts, fmt.Sprintf("but its finite pool has only %d member(s) who can be nominated (nomination weight above 0), so the nominee list has %d", u.nominated, u.nominated))
	} else {
		parts = append(parts, fmt.Sprintf("its finite pool can nominate %d", u.nominated))
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

// targetReports summarises every target nationally.
func (c *checker) targetReports() []TargetReport {
	m := c.m
	var out []TargetReport
	for ti := range m.targets {
		t := &m.targets[ti]
		tr := TargetReport{Name: t.t.Name, Label: t.t.Label, Scope: t.t.Scope, Units: len(t.units), Seats: t.seats, Min: -1, Max: -1}
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
		tr.Alone, tr.AloneVerdict = alone == Feasible, alone.String()
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
			RequiredExtra: u.requiredExtra, Nominees: u.nominees, Nominated: u.nominated, Final: u.final, Verdict: c.unitStatus[ui].String()}
		if c.broken[ui] {
			ur.Verdict = Infeasible.String()
		}
		for _, need := range m.unitNeeds(u, nil, true) {
			ur.Needs = append(ur.Needs, c.needReport(u, need))
		}
		if u.short {
			ur.Notes = append(ur.Notes, fmt.Sprintf("%d nominees %s", u.nominees, c.shortText(u)))
		}
		// Can a ballot guarantee every unit-level target?
		if c.broken[ui] {
			ur.GuaranteeVerdict = Infeasible.String()
			out = append(out, ur)
			continue
		}
		res := c.solve(buildRobustUnit(m, ui, buildOpts{units: only(U, ui), soft: true}))
		ur.Guaranteed, ur.GuaranteeVerdict = res.status == Feasible, res.status.String()
		if res.status == Infeasible && m.electIdx >= 0 {
			// The largest surplus at which a guaranteeing ballot exists.
			best := -1
			saveB, saveE := u.ballot, u.extra
			for e := u.extra - 1; e >= 0; e-- {
				u.ballot, u.extra = u.local+e, e
				if c.solve(buildRobustUnit(m, ui, buildOpts{units: only(U, ui), soft: true})).status == Feasible {
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
	what := predicateText(t.t.When)
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
		what := predicateText(t.t.When)
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

func matchingAtoms(u *unitInfo, k int) []int {
	var out []int
	for i := range u.atoms {
		if u.atoms[i].final() && u.atoms[i].target[k] {
			out = append(out, i)
		}
	}
	return out
}

func joinNames(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
}

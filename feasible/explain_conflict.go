package feasible

import (
	"fmt"
	"strconv"
	"strings"

	"simulate/scenario"
)

// Conflicts: which constraints fail together, why, and the smallest relaxations.

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
	if u.split {
		// A finite pool holds whole people (and a recommending unit with
		// nobody of nomination weight above 0 nominates nobody): at most its matching members
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
	what := t.When.String()
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
				u.name, m.sc.Stages[q.stage].Name, q.name, q.q.When.String(), size, rangeText(lo, hi, size))}
	}
	t := &m.targets[x.index]
	lo, hi, n := c.rowBounds(x, rel)
	ref := ConstraintRef{Kind: "target", Name: t.t.Name, Min: lo, Max: hi, Of: n, cid: x, target: x.index}
	if x.unit < 0 {
		ref.Text = fmt.Sprintf("%s (%s), %s: %s", t.t.Name, t.t.When.String(), c.scopeText(t), c.boundText(x.index, n, 0, rel))
		return ref
	}
	u := &m.units[x.unit]
	ref.Unit = u.name
	ref.Text = fmt.Sprintf("%s: %s (%s), %s", u.name, t.t.Name, t.t.When.String(), c.boundText(x.index, n, u.memberShare[x.index], rel))
	return ref
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
		grouped = append(grouped, fmt.Sprintf("  • %s (%s), %s, in %d units: %s%s", t.Name, t.When.String(), ruleText(t), len(xs), strings.Join(parts, ", "), total))
	}
	// Unit-level lines first, then the national ones (already appended).
	head := out[:1]
	rest := append([]string(nil), out[1:]...)
	return append(append(head, grouped...), rest...)
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
	what := m.targets[x.index].t.When.String()
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
		case f.Drop && isMinSide(f.side):
			out = append(out, fmt.Sprintf("With the others met, %s cannot have any minimum at all.", name))
		case f.Drop:
			out = append(out, fmt.Sprintf("With the others met, %s cannot have any maximum at all.", name))
		case isMinSide(f.side):
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
		r.Text = fmt.Sprintf("let %s's share fall to %s points below each unit's members' share (a rule change no --set can make)", t.Name, num(100*float64(k)*shareStep))
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
	case isMinSide(side):
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
	case side == sideMax && t.MaxShare != nil:
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
	r.Set = c.setArgs(t, r, 0)
	if !r.WithinLimit {
		r.Text += " (beyond your limit on relaxations)"
	}
	return r
}

// setArgs are the --set arguments that make a relaxation, exactly as
// check's next run reads them back: the bound's new value, or for a
// dropped bound its removal — a neutral value (and no strict) when it is
// the target's only bound, since a target needs one (dropped counts the
// target's other bounds the same plan drops). A move of the member-share
// reference has no --set form (nil).
func (c *checker) setArgs(t *scenario.Target, r Relaxation, dropped int) []string {
	key := func(k string) string { return fmt.Sprintf("targets[name=%s].%s", t.Name, k) }
	bounds := 0
	for _, b := range []bool{t.MinShare != nil, t.MinCount != nil, t.MaxShare != nil, t.MaxCount != nil, t.AboveMemberShare} {
		if b {
			bounds++
		}
	}
	bounds -= dropped
	drop := func(k, neutral string) []string {
		if bounds > 1 {
			return []string{key(k) + "=null"}
		}
		out := []string{key(k) + "=" + neutral}
		if t.Strict {
			out = append(out, key("strict")+"=false")
		}
		return out
	}
	switch {
	case r.Bound == "above_member_share" && r.Drop:
		if bounds > 1 {
			return []string{key("above_member_share") + "=false"}
		}
		out := []string{key("above_member_share") + "=false", key("min_share") + "=0"}
		if t.Strict {
			out = append(out, key("strict")+"=false")
		}
		return out
	case r.Bound == "above_member_share":
		return nil
	case r.Drop && r.Bound == "min_share":
		return drop("min_share", "0")
	case r.Drop && r.Bound == "min_count":
		return drop("min_count", "0")
	case r.Drop && r.Bound == "max_share":
		return drop("max_share", "1")
	case r.Drop && r.Bound == "max_count":
		return drop("max_count", strconv.Itoa(c.m.sc.Quota))
	}
	return []string{key(r.Bound) + "=" + r.To}
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

func matchingAtoms(u *unitInfo, k int) []int {
	var out []int
	for i := range u.atoms {
		if u.atoms[i].final() && u.atoms[i].target[k] {
			out = append(out, i)
		}
	}
	return out
}

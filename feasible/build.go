package feasible

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"simulate/scenario"
)

// Constraint kinds a conflict can name.
const (
	kindTarget = iota
	kindQuota
)

// cid identifies one soft constraint: a target in one unit (scope each) or
// in its whole scope (unit −1), or a stage quota in one unit. Soft
// constraints are what conflicts are made of and what relaxations move;
// pools, seats and list sizes are the background facts.
type cid struct {
	kind  int
	index int // target or quota index
	unit  int // −1: a total-scope target
}

// Relaxation steps: a share bound moves on the grid of 4-decimal values
// (0.0001 per step), an above-member-share reference by 0.0001 per step, a
// count bound by one per step.
const shareStep = 1e-4

// relaxation holds, per target, how many steps its minimum and maximum are
// relaxed; −1 drops the bound altogether.
type relaxation map[int][4]int

func (r relaxation) steps(target, side int) int {
	if r == nil {
		return 0
	}
	return r[target][side]
}

func (r relaxation) with(target, side, k int) relaxation {
	out := relaxation{}
	for t, v := range r {
		out[t] = v
	}
	v := out[target]
	v[side] = k
	out[target] = v
	return out
}

// Sides of a target a relaxation moves: its minimum and maximum — the
// share (or the member-share reference) when it has one, else the count —
// and, for a target with both a share and a count on one side, the count.
// Each moves on its own, so that every repair names every bound it moves.
const (
	sideMin      = 0
	sideMax      = 1
	sideMinCount = 2
	sideMaxCount = 3
)

// sides are every side a relaxation can move.
var sides = []int{sideMin, sideMax, sideMinCount, sideMaxCount}

func isMinSide(side int) bool { return side == sideMin || side == sideMinCount }

// gridDown is the k-th 4-decimal value below s (k ≥ 1); gridUp above.
func gridDown(s float64, k int) float64 {
	return float64(int64(math.Ceil(s/shareStep-1e-6))-int64(k)) / 1e4
}

func gridUp(s float64, k int) float64 {
	return float64(int64(math.Floor(s/shareStep+1e-6))+int64(k)) / 1e4
}

// hasShare reports whether a target's side is expressed as a share (or as
// the member-share reference) rather than a count.
func hasShare(t *scenario.Target, side int) bool {
	switch side {
	case sideMin:
		return t.MinShare != nil || t.AboveMemberShare
	case sideMax:
		return t.MaxShare != nil
	}
	return false
}

func hasSide(t *scenario.Target, side int) bool {
	switch side {
	case sideMin:
		return t.MinShare != nil || t.MinCount != nil || t.AboveMemberShare
	case sideMax:
		return t.MaxShare != nil || t.MaxCount != nil
	case sideMinCount:
		return hasShare(t, sideMin) && t.MinCount != nil
	}
	return hasShare(t, sideMax) && t.MaxCount != nil
}

// bounds is the interval of matching people a target allows among n
// people, with the sim's exact rounding (strict: "more than"/"less than"),
// after the given relaxation. lo may exceed hi, and hi may be negative:
// such a bound cannot be met.
func (ti *targetInfo) bounds(n int, memberShare float64, rel relaxation) (lo, hi int) {
	// The relaxed target, then the run's own rule (scenario.Target.Bounds).
	t := *ti.t
	kmin, kmax := rel.steps(ti.idx, sideMin), rel.steps(ti.idx, sideMax)
	shareMin, shareMax := hasShare(ti.t, sideMin), hasShare(ti.t, sideMax)
	switch {
	case kmin < 0 && shareMin:
		t.MinShare, t.AboveMemberShare = nil, false
	case kmin < 0:
		t.MinCount = nil
	case kmin > 0:
		if t.AboveMemberShare {
			memberShare -= float64(kmin) * shareStep
		}
		if t.MinShare != nil {
			s := gridDown(*t.MinShare, kmin)
			t.MinShare = &s
		}
		if !shareMin && t.MinCount != nil {
			c := *t.MinCount - kmin
			t.MinCount = &c
		}
	}
	if k := rel.steps(ti.idx, sideMinCount); shareMin && t.MinCount != nil && k != 0 {
		if k < 0 {
			t.MinCount = nil
		} else {
			c := *t.MinCount - k
			t.MinCount = &c
		}
	}
	switch {
	case kmax < 0 && shareMax:
		t.MaxShare = nil
	case kmax < 0:
		t.MaxCount = nil
	case kmax > 0:
		if t.MaxShare != nil {
			s := gridUp(*t.MaxShare, kmax)
			t.MaxShare = &s
		}
		if !shareMax && t.MaxCount != nil {
			c := *t.MaxCount + kmax
			t.MaxCount = &c
		}
	}
	if k := rel.steps(ti.idx, sideMaxCount); shareMax && t.MaxCount != nil && k != 0 {
		if k < 0 {
			t.MaxCount = nil
		} else {
			c := *t.MaxCount + k
			t.MaxCount = &c
		}
	}
	lo, hi = t.Bounds(n, memberShare)
	return lo, min(hi, n)
}

// quotaBounds is the count interval of a stage quota on a list of k people,
// as sim's selection applies it (minimum capped at the list size).
func quotaBounds(q *scenario.Quota, k int) (lo, hi int) {
	lo, hi = 0, k
	if q.Min != nil {
		lo = *q.Min
	}
	if q.MinShare != nil {
		lo = max(lo, scenario.CeilMul(*q.MinShare, k))
	}
	if q.Max != nil {
		hi = min(hi, *q.Max)
	}
	if q.MaxShare != nil {
		hi = min(hi, scenario.FloorMul(*q.MaxShare, k))
	}
	return min(lo, k), hi
}

// centralRange is how many of a unit's central candidates can match target
// k: cmin whatever they are, cmax at most.
func (m *model) centralRange(u *unitInfo, k int) (cmin, cmax int) {
	if u.central == 0 || len(m.central) == 0 {
		return 0, 0
	}
	all, any := true, false
	for i := range m.central {
		if m.central[i].target[k] {
			any = true
		} else {
			all = false
		}
	}
	if all {
		cmin = u.central
	}
	if any {
		cmax = u.central
	}
	return cmin, cmax
}

// buildOpts selects what a problem contains.
type buildOpts struct {
	units    []bool // nil: every unit
	national bool   // include total-scope targets
	off      map[cid]bool
	only     map[cid]bool // when set, only these soft constraints
	relax    relaxation
	// soft: false builds the background only (no targets, no quotas).
	soft bool
	// level widens the plan to what some trial can do (see Level).
	level Level
	// order: selections that rank by score alone keep people in score
	// order (set by buildExist below SeatsVacant, where random vetoes
	// spare everyone; beyond, a veto may remove anyone ahead of them).
	order bool
}

// Level is how far a question departs from the plan (every seat filled,
// central candidates seated, quotas met) towards what the simulation can do
// in some trial. Each level allows everything the one before it does.
type Level int

// Levels of a question.
const (
	// Planned: every seat filled, every central candidate elected, every
	// stage quota met.
	Planned Level = iota
	// CentralDefeated: the vote may defeat central candidates, whose seats
	// then go to local names on the ballot.
	CentralDefeated
	// QuotasMissed: stage quotas are best effort, so a list may miss them.
	QuotasMissed
	// SeatsVacant: the vote may leave any seats vacant (and random vetoes
	// may remove anyone they match), so targets count fewer people.
	SeatsVacant
)

func (o *buildOpts) hasUnit(u int) bool { return o.units == nil || o.units[u] }

func (o *buildOpts) on(c cid) bool { return o.soft && !o.off[c] && (o.only == nil || o.only[c]) }

// built is a problem with the meaning of its variables and rows.
type built struct {
	p    *problem
	rows []cid // rows[tag] for soft rows
	// top[u][k] is the variable of unit u's atom k in the list the targets
	// judge (the final list, or the ballot in worst-case problems); −1 absent.
	top     [][]int32
	central [][]int32
	// elected[u] is, beyond the plan, the variable counting everyone unit u
	// elects (−1 as planned: its final list's length is fixed).
	elected []int32
}

const hardTag = -1

type builder struct {
	m *model
	b *built
}

func newBuilder(m *model) *builder {
	b := &built{p: &problem{}, top: make([][]int32, len(m.units)), central: make([][]int32, len(m.units)), elected: make([]int32, len(m.units))}
	for i := range b.elected {
		b.elected[i] = -1
	}
	return &builder{m: m, b: b}
}

func (bd *builder) softRow(terms []term, lo, hi int64, c cid) {
	bd.b.p.addRow(terms, lo, hi, len(bd.b.rows))
	bd.b.rows = append(bd.b.rows, c)
}

// supplyLayers adds the nominee layer (when supply differs by recommending
// unit or is finite) and a layer for every select list with quotas before
// stage `until` (exclusive), and returns, per atom, the terms whose sum
// bounds the next list (nil slice: unbounded; nil entry: not supplied).
// Quota rows are added as opts selects.
func (bd *builder) supplyLayers(u *unitInfo, until int, opts *buildOpts) [][]term {
	p := bd.b.p
	var prev [][]term
	if u.split {
		prev = make([][]term, len(u.atoms))
		for j, r := range u.recs {
			var all []term
			var supply int64
			unlimited := false
			for k := range u.atoms {
				s := u.atoms[k].rec[j]
				if s == -1 {
					continue
				}
				hi := int64(r.count)
				if s >= 0 {
					hi = min(hi, s)
					supply += s
				} else {
					unlimited = true
				}
				v := p.addVar(0, hi)
				prev[k] = append(prev[k], term{v, 1})
				all = append(all, term{v, 1})
			}
			n := int64(r.count)
			if !unlimited {
				n = min(n, supply)
			}
			p.addRow(all, n, n, hardTag)
		}
	}
	for li := range u.lists {
		l := &u.lists[li]
		quotas := len(l.quotas) > 0 && opts.level < QuotasMissed
		ordered := opts.order && bd.m.ordered[l.stage] && (!u.split || l.reach > l.size)
		if l.stage >= until || (!quotas && !ordered) {
			continue
		}
		if prev == nil && ordered {
			prev = bd.nominees(u) // the order depends on who was nominated
		}
		cur := make([][]term, len(u.atoms))
		var all []term
		for k := range u.atoms {
			a := &u.atoms[k]
			if a.removed <= l.stage || (prev != nil && prev[k] == nil) {
				continue
			}
			v := p.addVar(0, int64(l.size))
			if prev != nil {
				p.addRow(append([]term{{v, 1}}, neg(prev[k])...), noLo, 0, hardTag)
			}
			cur[k] = []term{{v, 1}}
			all = append(all, term{v, 1})
		}
		p.addRow(all, int64(l.size), int64(l.size), hardTag)
		if quotas {
			bd.quotaRows(u, l, cur, opts)
		}
		if ordered {
			bd.orderRows(u, l, prev, cur)
		}
		prev = cur
	}
	return prev
}

// nominees adds the nominee list of a unit whose supply is one unlimited
// pool: any composition of its nominee count over the atoms.
func (bd *builder) nominees(u *unitInfo) [][]term {
	p := bd.b.p
	out := make([][]term, len(u.atoms))
	var all []term
	for k := range u.atoms {
		v := p.addVar(0, int64(u.nominated))
		out[k] = []term{{v, 1}}
		all = append(all, term{v, 1})
	}
	p.addRow(all, int64(u.nominated), int64(u.nominated), hardTag)
	return out
}

// orderRows makes the list cur what a selection ranking by score alone
// keeps from the list prev: nobody of a lower score is kept unless everyone
// of every higher score is (ties in any order, as list order is random).
// One binary per score but the lowest: z = 1 lets lower scores in and
// requires this score to be kept whole.
func (bd *builder) orderRows(u *unitInfo, l *listInfo, prev, cur [][]term) {
	p := bd.b.p
	byScore := map[float64][]int{}
	for k := range u.atoms {
		if cur[k] != nil {
			sc := u.atoms[k].score[l.stage]
			byScore[sc] = append(byScore[sc], k)
		}
	}
	scores := slices.Sorted(maps.Keys(byScore))
	slices.Reverse(scores)
	big := int64(u.nominated)
	for j := 0; j+1 < len(scores); j++ {
		z := p.addVar(0, 1)
		// Σ prev − Σ cur over this score ≤ big·(1 − z).
		ts := []term{{z, big}}
		for _, k := range byScore[scores[j]] {
			ts = append(ts, prev[k]...)
			ts = append(ts, neg(cur[k])...)
		}
		p.addRow(ts, noLo, big, hardTag)
		// Σ cur over lower scores ≤ size·z.
		lower := []term{{z, -int64(l.size)}}
		for _, sc := range scores[j+1:] {
			for _, k := range byScore[sc] {
				lower = append(lower, cur[k]...)
			}
		}
		p.addRow(lower, noLo, 0, hardTag)
	}
}

func (bd *builder) quotaRows(u *unitInfo, l *listInfo, vars [][]term, opts *buildOpts) {
	for _, qi := range l.quotas {
		c := cid{kindQuota, qi, u.idx}
		if !opts.on(c) {
			continue
		}
		lo, hi := quotaBounds(bd.m.quotas[qi].q, l.size)
		var ts []term
		for k := range u.atoms {
			if vars[k] != nil && u.atoms[k].quota[qi] {
				ts = append(ts, vars[k]...)
			}
		}
		bd.softRow(ts, int64(lo), int64(hi), c)
	}
}

func neg(ts []term) []term {
	out := make([]term, len(ts))
	for i, t := range ts {
		out[i] = term{t.col, -t.coef}
	}
	return out
}

// list adds the variables of a list of n people drawn from atoms that pass
// keep, contained in the previous layer, and returns them per atom.
func (bd *builder) list(u *unitInfo, prev [][]term, n int, keep func(a *atom) bool) []int32 {
	vars, all := bd.listRange(u, prev, n, keep)
	bd.b.p.addRow(all, int64(n), int64(n), hardTag)
	return vars
}

// listRange adds the variables of a list of at most n people drawn from
// atoms that pass keep, contained in the previous layer, and returns them per
// atom and as terms of the list's length (no row on the length).
func (bd *builder) listRange(u *unitInfo, prev [][]term, n int, keep func(a *atom) bool) ([]int32, []term) {
	p := bd.b.p
	vars := make([]int32, len(u.atoms))
	var all []term
	for k := range u.atoms {
		vars[k] = -1
		if !keep(&u.atoms[k]) || (prev != nil && prev[k] == nil) {
			continue
		}
		v := p.addVar(0, int64(n))
		if prev != nil {
			p.addRow(append([]term{{v, 1}}, neg(prev[k])...), noLo, 0, hardTag)
		}
		vars[k] = v
		all = append(all, term{v, 1})
	}
	return vars, all
}

// finalList adds unit u's elected people: local names from its final list
// and its central candidates. As planned, every local seat is filled from
// the ballot and every central candidate is elected; from CentralDefeated
// on, the seats go to any of the ballot's names (central ones included);
// at SeatsVacant, to as few as nobody.
func (bd *builder) finalList(u *unitInfo, prev [][]term, level Level) {
	p := bd.b.p
	if level == Planned || (u.central == 0 && level < SeatsVacant) {
		bd.b.top[u.idx] = bd.list(u, prev, u.local, (*atom).final)
		bd.b.central[u.idx] = bd.centralVars(u)
		return
	}
	localMax, cmin, lo := bd.m.electedRange(u, level)
	vars, all := bd.listRange(u, prev, localMax, (*atom).final)
	p.addRow(all, 0, int64(localMax), hardTag)
	bd.b.top[u.idx] = vars
	if u.central > 0 {
		cv := make([]int32, len(bd.m.central))
		var cs []term
		for k := range bd.m.central {
			cv[k] = p.addVar(0, int64(u.central))
			cs = append(cs, term{cv[k], 1})
		}
		p.addRow(cs, int64(cmin), int64(u.central), hardTag)
		bd.b.central[u.idx] = cv
		all = append(all, cs...)
	}
	if level < SeatsVacant {
		p.addRow(all, int64(lo), int64(u.final), hardTag)
		return
	}
	// The number elected is a variable of its own, branched on first: once
	// it is whole, every share row of the unit is a plain count bound.
	n := p.addVar(int64(lo), int64(u.final))
	p.addRow(append(all, term{n, -1}), 0, 0, hardTag)
	p.first = append(p.first, n)
	bd.b.elected[u.idx] = n
}

// electedRange is, beyond the plan, the most local people unit u can
// elect, the fewest central candidates it must, and the fewest people it
// elects in all.
func (m *model) electedRange(u *unitInfo, level Level) (localMax, cmin, lo int) {
	localMax = min(u.final, u.ballot)
	if m.electIdx < 0 {
		localMax = u.final
	}
	lo = u.final
	if level >= SeatsVacant && m.mayShrink {
		lo = 0
	}
	cmin = max(0, lo-localMax)
	return localMax, cmin, lo
}

func (bd *builder) centralVars(u *unitInfo) []int32 {
	if u.central == 0 {
		return nil
	}
	p := bd.b.p
	vars := make([]int32, len(bd.m.central))
	var all []term
	for k := range bd.m.central {
		vars[k] = p.addVar(0, int64(u.central))
		all = append(all, term{vars[k], 1})
	}
	p.addRow(all, int64(u.central), int64(u.central), hardTag)
	return vars
}

// matching returns the terms counting unit u's people matching target k in
// the top list (and among its central candidates).
func (bd *builder) matching(u int, k int, withCentral bool) []term {
	var ts []term
	for a, v := range bd.b.top[u] {
		if v >= 0 && bd.m.units[u].atoms[a].target[k] {
			ts = append(ts, term{v, 1})
		}
	}
	if withCentral {
		for a, v := range bd.b.central[u] {
			if bd.m.central[a].target[k] {
				ts = append(ts, term{v, 1})
			}
		}
	}
	return ts
}

// buildExist builds the question "is there a final composition meeting
// every (selected) target?": each unit's final list is drawn from what its
// pipeline can deliver, lists with quotas keep their sizes and quotas, and
// central candidates are any type of the central pool.
func buildExist(m *model, opts buildOpts) *built {
	opts.order = opts.level < SeatsVacant
	bd := newBuilder(m)
	U := len(m.units)
	// The active national rows and the units with active unit-level rows.
	type natRow struct {
		ti, lo, hi int
		c          cid
		in         []bool // units in scope
	}
	var nat []natRow
	busy := make([]bool, U)
	if opts.soft {
		for ti := range m.targets {
			t := &m.targets[ti]
			if t.each {
				for _, u := range t.units {
					un := &m.units[u]
					lo, hi := t.bounds(un.final, un.memberShare[ti], opts.relax)
					if opts.hasUnit(u) && opts.on(cid{kindTarget, ti, u}) && (lo > 0 || hi < un.final) {
						busy[u] = true
					}
				}
				continue
			}
			c := cid{kindTarget, ti, -1}
			lo, hi := t.bounds(t.seats, 0, opts.relax)
			if !opts.national || !opts.on(c) || (lo <= 0 && hi >= t.seats) {
				continue
			}
			in := make([]bool, U)
			for _, u := range t.units {
				in[u] = true
			}
			nat = append(nat, natRow{ti: ti, lo: lo, hi: hi, c: c, in: in})
		}
		for ui := range m.units {
			for _, l := range m.units[ui].lists {
				for _, qi := range l.quotas {
					lo, hi := quotaBounds(m.quotas[qi].q, l.size)
					if opts.on(cid{kindQuota, qi, ui}) && (lo > 0 || hi < l.size) {
						busy[ui] = true
					}
				}
			}
		}
	}
	// A unit with no unit-level constraint in force only matters through its
	// counts in the national rows. Such units with the same set of atom
	// kinds (as the national rows see them) are merged into one block: the
	// sum of compositions of l₁, l₂, … people over the same kinds is exactly
	// every composition of l₁+l₂+… people over them. Beyond the plan units
	// stay apart, so that a witness says what each one needs.
	type group struct {
		local, central int
		lvecs, cvecs   []string
		lvars, cvars   []int32
	}
	vec := func(match func(ti int) bool, u int) string {
		b := make([]byte, len(nat))
		for k, r := range nat {
			b[k] = boolByte(r.in[u] && match(r.ti))
		}
		return string(b)
	}
	groups := map[string]*group{}
	var order []string
	for ui := range m.units {
		if !opts.hasUnit(ui) {
			continue
		}
		u := &m.units[ui]
		if !opts.soft || busy[ui] || u.split || opts.level > Planned || (opts.order && slices.Contains(m.ordered, true)) {
			prev := bd.supplyLayers(u, m.nStages, &opts)
			bd.finalList(u, prev, opts.level)
			continue
		}
		lset := map[string]bool{}
		for k := range u.atoms {
			if a := &u.atoms[k]; a.final() {
				lset[vec(func(ti int) bool { return a.target[ti] }, ui)] = true
			}
		}
		cset := map[string]bool{}
		if u.central > 0 {
			for k := range m.central {
				a := &m.central[k]
				cset[vec(func(ti int) bool { return a.target[ti] }, ui)] = true
			}
		}
		lv, cv := scenario.SortedKeys(lset), scenario.SortedKeys(cset)
		key := fmt.Sprintf("%q|%q", lv, cv)
		g, ok := groups[key]
		if !ok {
			g = &group{lvecs: lv, cvecs: cv}
			groups[key] = g
			order = append(order, key)
		}
		g.local += u.local
		g.central += u.central
	}
	p := bd.b.p
	for _, key := range order {
		g := groups[key]
		block := func(vecs []string, n int) []int32 {
			vars := make([]int32, len(vecs))
			var all []term
			for i := range vecs {
				vars[i] = p.addVar(0, int64(n))
				all = append(all, term{vars[i], 1})
			}
			p.addRow(all, int64(n), int64(n), hardTag)
			return vars
		}
		g.lvars = block(g.lvecs, g.local)
		if g.central > 0 {
			g.cvars = block(g.cvecs, g.central)
		}
	}
	if !opts.soft {
		return bd.b
	}
	for ti := range m.targets {
		t := &m.targets[ti]
		if !t.each {
			continue
		}
		for _, u := range t.units {
			c := cid{kindTarget, ti, u}
			if !opts.hasUnit(u) || !opts.on(c) {
				continue
			}
			un := &m.units[u]
			lo, hi := t.bounds(un.final, un.memberShare[ti], opts.relax)
			if lo <= 0 && hi >= un.final {
				continue
			}
			if opts.level >= SeatsVacant {
				bd.flexRows(t, bd.matching(u, ti, true), bd.everyone(u), un.memberShare[ti], un.final, c)
				continue
			}
			bd.softRow(bd.matching(u, ti, true), int64(lo), int64(hi), c)
		}
	}
	links := len(p.rows)
	for k, r := range nat {
		var ts, ns []term
		for u, in := range r.in {
			if in && opts.hasUnit(u) && bd.b.top[u] != nil {
				ts = append(ts, bd.matching(u, r.ti, true)...)
				ns = append(ns, bd.everyone(u)...)
			}
		}
		for _, key := range order {
			g := groups[key]
			for i, v := range g.lvecs {
				if v[k] == '1' {
					ts = append(ts, term{g.lvars[i], 1})
				}
			}
			for i, v := range g.cvecs {
				if v[k] == '1' {
					ts = append(ts, term{g.cvars[i], 1})
				}
			}
		}
		if opts.level >= SeatsVacant {
			bd.flexRows(&m.targets[r.ti], ts, ns, 0, m.targets[r.ti].seats, r.c)
			continue
		}
		bd.softRow(ts, int64(r.lo), int64(r.hi), r.c)
	}
	p.markLinks(links) // the national rows join the units' blocks
	return bd.b
}

// everyone returns the terms counting every person unit u elects.
func (bd *builder) everyone(u int) []term {
	if v := bd.b.elected[u]; v >= 0 {
		return []term{{v, 1}}
	}
	var ts []term
	for _, v := range bd.b.top[u] {
		if v >= 0 {
			ts = append(ts, term{v, 1})
		}
	}
	for _, v := range bd.b.central[u] {
		ts = append(ts, term{v, 1})
	}
	return ts
}

// flexRows adds a target's rows when the number of people it counts is
// itself a variable (terms n; c counts the matching ones, at most nmax
// people): every bound as sim's rounding states it, a share s = p/q as
// q·c − p·n against the rounding tolerance, and a share of nobody meeting no
// positive minimum.
func (bd *builder) flexRows(t *targetInfo, c, n []term, memberShare float64, nmax int, id cid) {
	tt := t.t
	strict := int64(0)
	if tt.Strict {
		strict = 1
	}
	// The counts are variables of their own, branched on first: once both
	// are whole, what is left has the plan's unit coefficients.
	p := bd.b.p
	sum := func(ts []term) []term {
		if len(ts) == 1 && ts[0].coef == 1 {
			return ts
		}
		v := p.addVar(0, int64(nmax))
		p.addRow(append(append([]term(nil), ts...), term{v, -1}), 0, 0, hardTag)
		p.first = append(p.first, v)
		return []term{{v, 1}}
	}
	c, n = sum(c), sum(n)
	if tt.MinCount != nil {
		bd.softRow(c, int64(*tt.MinCount)+strict, noHi, id)
	}
	if tt.MaxCount != nil {
		bd.softRow(c, noLo, int64(*tt.MaxCount)-strict, id)
	}
	share := func(s float64, isMin bool) {
		p, q, slack := ratio(s, nmax)
		tol := int64(math.Floor(1e-9 * float64(q)))
		ts := make([]term, 0, len(c)+len(n))
		for _, x := range c {
			ts = append(ts, term{x.col, q * x.coef})
		}
		for _, x := range n {
			if p != 0 {
				ts = append(ts, term{x.col, -p * x.coef})
			}
		}
		switch {
		case isMin && tt.Strict: // c > s·n
			bd.softRow(ts, tol+1-slack, noHi, id)
		case isMin: // c ≥ s·n
			bd.softRow(ts, -tol-slack, noHi, id)
		case tt.Strict: // c < s·n
			bd.softRow(ts, noLo, -tol-1+slack, id)
		default: // c ≤ s·n
			bd.softRow(ts, noLo, tol+slack, id)
		}
	}
	if tt.MinShare != nil {
		share(*tt.MinShare, true)
	}
	if tt.AboveMemberShare {
		share(memberShare, true)
	}
	if tt.MaxShare != nil {
		share(*tt.MaxShare, false)
	}
	if tt.AboveMemberShare || (tt.MinShare != nil && *tt.MinShare > 0) {
		bd.softRow(n, 1, noHi, id)
	}
}

// ratio is a fraction p/q for the share s: exact for a decimal of up to
// ten places (q a power of ten), otherwise within 5·10⁻¹¹ with slack, in
// units of the scaled row, covering the difference on up to nmax people.
func ratio(s float64, nmax int) (p, q, slack int64) {
	q = 1
	for d := 0; d <= 10; d++ {
		p = int64(math.Round(s * float64(q)))
		if math.Abs(float64(p)/float64(q)-s)*float64(nmax) <= 1e-10 {
			return p, q, 0
		}
		if d < 10 {
			q *= 10
		}
	}
	delta := math.Abs(float64(p)/float64(q) - s)
	return p, q, int64(math.Ceil(delta*float64(nmax)*float64(q))) + 1
}

// robustNeed is what one target asks of a unit's ballot so that it holds
// whatever the voters do: the vote defeats `extra` local names, chosen
// against the target, and central candidates are of the least favourable
// type. lo/hi bound the matching local names on the ballot; hasLo/hasHi say
// whether the target binds at all.
type robustNeed struct {
	lo, hi       int
	hasLo, hasHi bool
}

func (m *model) robustNeed(u *unitInfo, k, lo, hi int) robustNeed {
	cmin, cmax := m.centralRange(u, k)
	var r robustNeed
	if lo > cmin {
		r.hasLo, r.lo = true, lo-cmin+u.extra
	}
	if hi < u.local+cmax {
		r.hasHi, r.hi = true, hi-cmax
	}
	return r
}

// buildRobustUnit builds the question "is there a ballot for unit u whose
// elected people meet every unit-level target whatever the voters do?".
// national adds each national target's proportional part (as the
// organisation's selection quotas plan it).
func buildRobustUnit(m *model, ui int, opts buildOpts) *built {
	bd := newBuilder(m)
	u := &m.units[ui]
	bd.ballot(u, &opts)
	for _, need := range m.unitNeeds(u, opts.relax, opts.national) {
		c := cid{kindTarget, need.target, ui}
		if opts.off[c] {
			continue
		}
		r := need.robust
		lo, hi := int64(0), int64(u.ballot)
		if r.hasLo {
			lo = int64(r.lo)
		}
		if r.hasHi {
			hi = int64(r.hi)
		}
		bd.softRow(bd.matching(ui, need.target, false), lo, hi, c)
	}
	return bd.b
}

// ballot adds unit u's ballot variables (local names entering the vote)
// with the supply and quota layers before it.
func (bd *builder) ballot(u *unitInfo, opts *buildOpts) {
	until := bd.m.electIdx
	if until < 0 {
		until = bd.m.nStages
	}
	prev := bd.supplyLayers(u, untilBallot(u, until), opts)
	bd.b.top[u.idx] = bd.list(u, prev, u.ballot, (*atom).final)
	if u.ballotList >= 0 && len(u.lists[u.ballotList].quotas) > 0 {
		l := &u.lists[u.ballotList]
		vars := make([][]term, len(u.atoms))
		for k, v := range bd.b.top[u.idx] {
			if v >= 0 {
				vars[k] = []term{{v, 1}}
			}
		}
		bd.quotaRows(u, l, vars, opts)
	}
}

// untilBallot is the stage before which quota layers are separate lists:
// the ballot list's own quotas apply to the ballot itself.
func untilBallot(u *unitInfo, electIdx int) int {
	if u.ballotList >= 0 {
		return u.lists[u.ballotList].stage
	}
	return electIdx
}

// unitLevel reports whether a target binds units one by one: scope each,
// or a total whose scope is a single unit.
func (t *targetInfo) unitLevel() bool { return t.each || len(t.units) == 1 }

// unitNeed is one target's requirement on one unit.
type unitNeed struct {
	target int
	// national: the unit's proportional part of a total-scope target.
	national bool
	lo, hi   int // elected people matching, out of the unit's final list
	robust   robustNeed
}

// unitNeeds lists the targets that bind unit u: its each-scope targets and,
// when national is set, the proportional part of every total-scope target
// whose scope includes it (a share bound applies as is; a count bound
// becomes the same share of the seats in scope).
func (m *model) unitNeeds(u *unitInfo, rel relaxation, national bool) []unitNeed {
	var out []unitNeed
	for ti := range m.targets {
		t := &m.targets[ti]
		in := false
		for _, x := range t.units {
			in = in || x == u.idx
		}
		if !in || (!t.unitLevel() && !national) {
			continue
		}
		var lo, hi int
		switch {
		case t.each:
			lo, hi = t.bounds(u.final, u.memberShare[ti], rel)
		case t.unitLevel():
			lo, hi = t.bounds(t.seats, 0, rel)
		default:
			lo, hi = proportional(t, u.final, rel)
		}
		if lo <= 0 && hi >= u.final {
			continue
		}
		out = append(out, unitNeed{target: ti, national: !t.unitLevel(), lo: lo, hi: hi, robust: m.robustNeed(u, ti, lo, hi)})
	}
	return out
}

// proportional is a unit's proportional part of a total-scope target: the
// same share of its n seats (a count bound as a share of the seats in scope).
func proportional(t *targetInfo, n int, rel relaxation) (lo, hi int) {
	tt := t.t
	lo, hi = 0, n
	glo, ghi := t.bounds(t.seats, 0, rel)
	if hasSide(tt, sideMin) && glo > 0 {
		if tt.MinShare != nil && rel.steps(t.idx, sideMin) == 0 {
			lo = scenario.MinCount(*tt.MinShare, tt.Strict, n)
		} else {
			lo = scenario.CeilMul(float64(glo)/float64(t.seats), n)
		}
	}
	if hasSide(tt, sideMax) && ghi < t.seats {
		if tt.MaxShare != nil && rel.steps(t.idx, sideMax) == 0 {
			hi = scenario.MaxCount(*tt.MaxShare, tt.Strict, n)
		} else {
			hi = scenario.FloorMul(float64(ghi)/float64(t.seats), n)
		}
	}
	return lo, hi
}

// buildRobustNational builds the question "are there ballots in every unit
// such that every national target, and every unit-level target of the
// given units, holds whatever the voters do?". Worst case per unit: a
// national minimum loses min(extra, matching names) in each unit and a
// maximum gains everything up to the local seats. exact adds the binary
// choices that model max(0, b−e) and min(b, l) exactly; without it, every
// unit that can carry matching names must carry at least its surplus of
// them (a sufficient plan that is almost always found at once).
func buildRobustNational(m *model, unitTargets []bool, exact bool) *built {
	bd := newBuilder(m)
	opts := buildOpts{soft: true, national: true}
	p := bd.b.p
	for ui := range m.units {
		u := &m.units[ui]
		bd.ballot(u, &opts)
		if !unitTargets[ui] {
			continue
		}
		for _, need := range m.unitNeeds(u, nil, false) {
			r := need.robust
			lo, hi := int64(0), int64(u.ballot)
			if r.hasLo {
				lo = int64(r.lo)
			}
			if r.hasHi {
				hi = int64(r.hi)
			}
			bd.softRow(bd.matching(ui, need.target, false), lo, hi, cid{kindTarget, need.target, ui})
		}
	}
	for ti := range m.targets {
		t := &m.targets[ti]
		if t.unitLevel() {
			continue // in the unit rows
		}
		lo, hi := t.bounds(t.seats, 0, nil)
		var cmin, cmax int
		for _, u := range t.units {
			a, b := m.centralRange(&m.units[u], ti)
			cmin += a
			cmax += b
		}
		c := cid{kindTarget, ti, -1}
		if lo > cmin {
			var ts []term
			need := int64(lo - cmin)
			for _, ui := range t.units {
				u := &m.units[ui]
				bp := bd.matching(ui, ti, false)
				if len(bp) == 0 {
					continue
				}
				if u.extra == 0 {
					ts = append(ts, bp...)
					continue
				}
				if !exact {
					// g = b(P) − extra ≥ 0.
					ts = append(ts, bp...)
					need += int64(u.extra)
					p.addRow(bp, int64(u.extra), noHi, hardTag)
					continue
				}
				g := p.addVar(0, int64(u.local))
				z := p.addVar(0, 1)
				// g ≤ b(P) − extra·z and g ≤ local·z.
				p.addRow(append([]term{{g, 1}, {z, int64(u.extra)}}, neg(bp)...), noLo, 0, hardTag)
				p.addRow([]term{{g, 1}, {z, -int64(u.local)}}, noLo, 0, hardTag)
				ts = append(ts, term{g, 1})
			}
			bd.softRow(ts, need, noHi, c)
			p.markLinks(len(p.rows) - 1)
		}
		if hi < t.seats {
			var ts []term
			for _, ui := range t.units {
				u := &m.units[ui]
				bp := bd.matching(ui, ti, false)
				if len(bp) == 0 {
					continue
				}
				if u.extra == 0 || !exact {
					ts = append(ts, bp...)
					continue
				}
				h := p.addVar(0, int64(u.local))
				z := p.addVar(0, 1)
				// h ≥ b(P) − extra·(1−z) and h ≥ local·(1−z).
				p.addRow(append([]term{{h, 1}, {z, -int64(u.extra)}}, neg(bp)...), -int64(u.extra), noHi, hardTag)
				p.addRow([]term{{h, 1}, {z, int64(u.local)}}, int64(u.local), noHi, hardTag)
				ts = append(ts, term{h, 1})
			}
			bd.softRow(ts, noLo, int64(hi-cmax), c)
			p.markLinks(len(p.rows) - 1)
		}
	}
	return bd.b
}

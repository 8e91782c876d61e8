package feasible

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"simulate/scenario"
)

// model is a scenario reduced to what feasibility depends on: for every
// unit, the atoms its pipeline can deliver, the list sizes, and the
// targets' integer bounds.
type model struct {
	sc     *scenario.Scenario
	types  *scenario.TypeSpace
	nTypes int // types.N

	targets []targetInfo
	quotas  []quotaInfo
	units   []unitInfo
	// central holds the atoms of the central pool's support (types a centrally
	// nominated candidate can be, and remain after post-election filters).
	central  []atom
	electIdx int // -1: no election
	nStages  int
	// certain[s][typ]: the filter at stage s removes every person of the type
	// (a veto with rate 1); nil for stages without such a veto.
	certain [][]bool
	// ordered[s] is set for a select stage that ranks by score_bias alone
	// (score_sd: 0) and has no quotas: it keeps people in a fixed order of
	// their scores, ties in any order.
	ordered []bool
	// mayShrink: some trial can elect (or list) fewer people than planned —
	// the vote can leave seats vacant, or a random veto remove anyone.
	mayShrink bool
}

type targetInfo struct {
	t     *scenario.Target
	idx   int
	match []bool // per type
	units []int
	each  bool
	// seats in scope (sum of final list sizes), for total-scope targets.
	seats int
}

type quotaInfo struct {
	stage int
	name  string
	q     *scenario.Quota
	match []bool
}

// atom is one cell of the Venn diagram of every predicate that matters
// (targets, stage quotas) together with the stage at which a certain veto
// removes its people. Only atom counts matter for feasibility: two people in
// the same atom are interchangeable.
type atom struct {
	// score[s] is, at an ordered select stage s, the score of the atom's
	// people in its unit (atoms never mix scores).
	score   map[int]float64
	target  []bool
	quota   []bool
	removed int // first stage whose filter certainly removes these people; nStages if none
	types   []int32
	mass    float64 // share of the unit's members (or of the central pool)
	nomMass float64 // nomination-weighted share (for expected nominee counts)
	// rec[j] is the supply from recommending unit j: -1 none, -2 unlimited,
	// otherwise the number of people of this atom in a finite pool.
	rec []int64
}

func (a *atom) final() bool { return a.removed == never }

type recInfo struct {
	name   string
	count  int   // nominees this recommending unit sends
	supply int64 // finite pool: nominable people; -1 unlimited
}

type listInfo struct {
	stage int
	name  string
	size  int
	// reach is the most people who can be on the list entering the stage
	// (finite pools; the size otherwise, when the list is always filled).
	reach int
	// quotas are the indexes into model.quotas of the stage's quotas that
	// can act: none when at most size people can reach the stage, since the
	// stage then keeps everyone (finite pools). asked are all of them.
	quotas, asked []int
}

type unitInfo struct {
	u        *scenario.Unit
	idx      int
	name     string
	seats    int // allocated seats (including central)
	central  int
	final    int // size of the final list (seats when there is an election)
	local    int // final − central: local people in the final list
	nominees int
	// nominated is the length of the nominee list: the nominee count, or
	// fewer when a finite pool runs out of members who can be nominated.
	nominated int
	// short: a finite pool cannot fill the unit's lists or seats, so they
	// are as long as the pool allows (see fit); onBallot is then the most
	// local names that can reach the vote (ballot counts only those who
	// survive every veto with rate 1).
	short    bool
	onBallot int
	// ballot is the number of local names entering the election (the list
	// before it); extra = ballot − local of them are defeated.
	ballot, extra int
	// requiredExtra is the surplus the election rule asks for.
	requiredExtra int
	recs          []recInfo
	lists         []listInfo // select stages, in order
	atoms         []atom
	memberShare   []float64 // per target
	split         bool      // nominee supply differs by recommending unit, or is finite
	// ballotList is the index in lists of the list that is the ballot, -1 if
	// the ballot is the nominee list.
	ballotList int
}

const never = 1 << 30

// compile builds the model of a validated scenario.
func compile(sc *scenario.Scenario) (*model, error) {
	types, err := scenario.NewTypeSpace(sc.Traits)
	if err != nil {
		return nil, err
	}
	m := &model{sc: sc, types: types, nTypes: types.N, electIdx: -1, nStages: len(sc.Stages)}
	for i := range sc.Stages {
		if sc.Stages[i].Elect != nil {
			m.electIdx = i
			m.mayShrink = true
		}
	}
	// Certain vetoes: a filter veto with rate 1 removes everyone it matches.
	m.certain = make([][]bool, len(sc.Stages))
	for si := range sc.Stages {
		st := &sc.Stages[si]
		if st.Filter == nil {
			continue
		}
		for _, v := range st.Filter.Vetoes {
			// Any veto can leave a list shorter than planned: a random one
			// by chance, one with rate 1 whenever too few others reach it.
			m.mayShrink = m.mayShrink || v.Rate > 0
			if v.Rate < 1 {
				continue
			}
			if m.certain[si] == nil {
				m.certain[si] = make([]bool, m.nTypes)
			}
			for typ, ok := range m.types.Match(v.When) {
				m.certain[si][typ] = m.certain[si][typ] || ok
			}
		}
	}
	for i := range sc.Targets {
		t := &sc.Targets[i]
		ti := targetInfo{t: t, idx: i, match: m.types.Match(t.When), units: sc.TargetUnits(t), each: t.Scope == scenario.ScopeEach}
		m.targets = append(m.targets, ti)
	}
	for si := range sc.Stages {
		st := &sc.Stages[si]
		if st.Select == nil {
			continue
		}
		for qi := range st.Select.Quotas {
			q := &st.Select.Quotas[qi]
			name := q.Name
			if name == "" {
				name = fmt.Sprintf("quota %d", qi+1)
			}
			m.quotas = append(m.quotas, quotaInfo{stage: si, name: name, q: q, match: m.types.Match(q.When)})
		}
	}
	m.ordered = make([]bool, len(sc.Stages))
	for si := range sc.Stages {
		if st := sc.Stages[si].Select; st != nil && st.ScoreSD == 0 && len(st.Quotas) == 0 && !st.FromTargets {
			m.ordered[si] = true
		}
	}
	if err := m.compileUnits(); err != nil {
		return nil, err
	}
	m.seatTargets()
	if m.electIdx >= 0 {
		pool := scenario.MergePool(sc.Pool, sc.CentralPool)
		probs := m.types.PoolProbs(pool)
		// Central candidates join at the election; only later filters
		// (the review) apply to them, and one that removes them all leaves
		// the type out.
		m.central = m.atoms(probs, nil, func(typ int) int {
			if m.vetoedFrom(typ, m.electIdx+1) < never {
				return -1
			}
			return never
		}, nil, func(typ int, a *atom) {})
	}
	return m, nil
}

// vetoedFrom is the first stage at or after from whose filter certainly
// removes people of the type, or never.
func (m *model) vetoedFrom(typ, from int) int {
	for si := from; si < m.nStages; si++ {
		if m.certain[si] != nil && m.certain[si][typ] {
			return si
		}
	}
	return never
}

// atoms groups the types with positive probability into atoms. removed
// gives a type's removal stage (or -1 to leave it out); fill adds per-atom
// data for each type.
func (m *model) atoms(probs, nomW []float64, removed func(typ int) int, score func(typ int) map[int]float64, fill func(typ int, a *atom)) []atom {
	index := map[string]int{}
	var out []atom
	var key strings.Builder
	for typ, p := range probs {
		if p <= 0 {
			continue
		}
		r := removed(typ)
		if r < 0 {
			continue
		}
		key.Reset()
		for i := range m.targets {
			key.WriteByte(boolByte(m.targets[i].match[typ]))
		}
		for i := range m.quotas {
			key.WriteByte(boolByte(m.quotas[i].match[typ]))
		}
		fmt.Fprintf(&key, "|%d", r)
		var sc map[int]float64
		if score != nil {
			sc = score(typ)
			for _, s := range slices.Sorted(maps.Keys(sc)) {
				fmt.Fprintf(&key, "|%d:%g", s, sc[s])
			}
		}
		k := key.String()
		ai, ok := index[k]
		if !ok {
			a := atom{removed: r, score: sc}
			for i := range m.targets {
				a.target = append(a.target, m.targets[i].match[typ])
			}
			for i := range m.quotas {
				a.quota = append(a.quota, m.quotas[i].match[typ])
			}
			ai = len(out)
			index[k] = ai
			out = append(out, a)
		}
		a := &out[ai]
		a.types = append(a.types, int32(typ))
		a.mass += p
		if nomW != nil {
			a.nomMass += p * nomW[typ]
		}
		fill(typ, a)
	}
	return out
}

func boolByte(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

func (m *model) compileUnits() error {
	sc := m.sc
	var nomStage *scenario.NominateStage
	for i := range sc.Stages {
		if sc.Stages[i].Nominate != nil {
			nomStage = sc.Stages[i].Nominate
		}
	}
	if nomStage == nil {
		return fmt.Errorf("the scenario has no nominate stage")
	}
	for i := range sc.Units {
		u := &sc.Units[i]
		nomW := m.types.NominationWeights(nomStage, u.Group)
		ui := unitInfo{u: u, idx: i, name: u.Name, seats: u.Seats, central: u.Central, ballotList: -1}
		seatLocal := u.Local()
		ui.nominees = scenario.NomineeCount(u.NominationMode(nomStage), seatLocal)
		for si := range sc.Stages {
			st := &sc.Stages[si]
			if st.Select == nil {
				continue
			}
			li := listInfo{stage: si, name: st.Name, size: sc.ListSize(st.Select.Size, u)}
			for qi := range m.quotas {
				if m.quotas[qi].stage == si {
					li.asked = append(li.asked, qi)
				}
			}
			ui.lists = append(ui.lists, li)
			if m.electIdx < 0 || si < m.electIdx {
				ui.ballotList = len(ui.lists) - 1
			}
		}
		if m.electIdx >= 0 {
			ui.requiredExtra = sc.BallotExtra(u)
		}

		unitPool := scenario.MergePool(sc.Pool, u.Pool)
		probs := m.types.PoolProbs(unitPool)
		ui.memberShare = make([]float64, len(m.targets))
		for k := range m.targets {
			for typ, p := range probs {
				if m.targets[k].match[typ] {
					ui.memberShare[k] += p
				}
			}
		}
		recs, rw := u.RecommendingUnits()
		counts := scenario.LargestRemainder(rw, ui.nominees)
		ui.split = len(recs) > 1 || u.FinitePool
		// The union of the recommending units' supports, with per-unit supply.
		supply := make([][]int64, len(recs)) // per rec, per type: -1 none, -2 unlimited, else count
		union := make([]float64, m.nTypes)
		for j, r := range recs {
			rp := m.types.PoolProbs(scenario.MergePool(unitPool, r.Pool))
			supply[j] = make([]int64, m.nTypes)
			ri := recInfo{name: r.Name, count: counts[j], supply: -1}
			var finite []int
			if u.FinitePool {
				finite = scenario.LargestRemainder(rp, int(float64(u.Members)*r.Weight/sum(rw)+0.5))
				ri.supply = 0
			}
			for typ := range rp {
				supply[j][typ] = -1
				if counts[j] == 0 || nomW[typ] <= 0 {
					continue
				}
				switch {
				case u.FinitePool && finite[typ] > 0:
					supply[j][typ] = int64(finite[typ])
					ri.supply += int64(finite[typ])
				case !u.FinitePool && rp[typ] > 0:
					supply[j][typ] = -2
				default:
					continue
				}
				// Weight the union by the unit pool where it has the type,
				// so atom masses read as member shares.
				union[typ] = math.Max(probs[typ], 1e-300)
			}
			ui.recs = append(ui.recs, ri)
		}
		ui.atoms = m.atoms(union, nomW, func(typ int) int { return m.vetoedFrom(typ, 0) }, m.scores(u), func(typ int, a *atom) {
			if a.rec == nil {
				a.rec = make([]int64, len(recs))
				for j := range a.rec {
					a.rec[j] = -1
				}
			}
			for j := range recs {
				s := supply[j][typ]
				switch {
				case s == -1:
				case s == -2:
					a.rec[j] = -2
				case a.rec[j] >= 0:
					a.rec[j] += s
				case a.rec[j] == -1:
					a.rec[j] = s
				}
			}
		})
		if u.FinitePool {
			// Expected nominees of each atom: everyone a recommending unit
			// can nominate when they are no more than its count, otherwise
			// its count shared in proportion to members × weight (the first
			// draw's odds; it decides nothing).
			for k := range ui.atoms {
				ui.atoms[k].nomMass = 0
			}
			for j := range recs {
				var people, weighted float64
				for typ, c := range supply[j] {
					if c > 0 {
						people += float64(c)
						weighted += float64(c) * nomW[typ]
					}
				}
				for k := range ui.atoms {
					a := &ui.atoms[k]
					for _, typ := range a.types {
						c := float64(supply[j][typ])
						switch {
						case c <= 0:
						case float64(counts[j]) >= people:
							a.nomMass += c
						default:
							a.nomMass += c * nomW[typ] * float64(counts[j]) / weighted
						}
					}
				}
			}
		}
		for k := range ui.atoms {
			a := &ui.atoms[k]
			// Masses of types the unit pool lacks (only in a recommending
			// unit's pool) were stored as tiny placeholders; drop them.
			if a.mass < 1e-200 {
				a.mass = 0
			}
		}
		sort.SliceStable(ui.atoms, func(a, b int) bool { return ui.atoms[a].mass > ui.atoms[b].mass })
		m.fit(&ui)
		m.units = append(m.units, ui)
	}
	return nil
}

// fit sets the lengths of a unit's lists from its list sizes and, for a
// finite pool, from what the pool can supply. An unlimited pool fills every
// list to its size and every seat. A finite pool nominates, in each
// recommending unit, at most its members with a nomination weight above 0
// (sim stops drawing when they run out), so its nominee list can be shorter
// than the nominee count; a selection then keeps everyone who reaches it
// (its quotas cannot act), the vote elects at most the local names on the
// ballot, and targets count the people actually elected. The lengths are
// the longest the pool allows — random vetoes spare everyone, selections
// keep first the people who survive the vetoes with rate 1, the vote fills
// every seat it can — which every list reaches at once. fit depends only on
// the list sizes, the recommending units' counts and the atoms, and may be
// called again after the counts change.
func (m *model) fit(u *unitInfo) {
	// A unit whose nominations are split among recommending units can run
	// short even with unlimited pools: a body none of whose people has a
	// nomination weight above 0 nominates nobody, as sim draws it.
	finite := u.split
	u.nominated = u.nominees
	if finite {
		u.nominated = m.reach(u, -1)
	}
	chain := u.nominated
	ballot := chain
	for i := range u.lists {
		l := &u.lists[i]
		l.quotas, l.reach = l.asked, l.size
		if finite {
			l.reach = min(chain, m.reach(u, l.stage))
			if l.reach <= l.size {
				l.quotas = nil
			}
			chain = min(chain, l.size, l.reach)
		} else {
			chain = l.size
		}
		if m.electIdx < 0 || l.stage < m.electIdx {
			ballot = chain
		}
	}
	u.onBallot = ballot
	if finite {
		if m.electIdx >= 0 {
			u.onBallot = min(ballot, m.reach(u, m.electIdx))
		}
		// People who survive every veto with rate 1: only they can end on
		// the final list (and, in the worst-case model, on the ballot).
		final := m.reach(u, m.nStages)
		ballot = min(ballot, final)
		chain = min(chain, final)
	}
	if m.electIdx >= 0 {
		u.local = u.seats - u.central
		if finite {
			u.local = min(u.local, ballot)
		}
		u.final = u.local + u.central
	} else {
		u.final, u.local, ballot = chain, chain, chain
	}
	u.ballot = ballot
	u.extra = max(0, u.ballot-u.local)
	u.short = finite && (u.nominated < u.nominees || u.local < u.seats-u.central || (m.electIdx >= 0 && u.onBallot < u.seats-u.central+u.requiredExtra))
	for i := range u.lists {
		u.short = u.short || u.lists[i].reach < u.lists[i].size
	}
}

// reach is the most nominees of a finite-pool unit who survive every veto
// with rate 1 before stage s (s = −1: the whole nominee list; s = nStages:
// the end of the pipeline): each recommending unit nominates at most its
// count, from its own members with a nomination weight above 0.
func (m *model) reach(u *unitInfo, s int) int {
	return u.reachOf(func(a *atom) bool { return a.removed > s })
}

// reachOf is the most nominees of a unit with split or finite supply from
// the atoms that pass keep: each recommending unit nominates its count from
// an unlimited pool that has such an atom, at most its members of them from
// a finite one.
func (u *unitInfo) reachOf(keep func(a *atom) bool) int {
	n := 0
	for j, r := range u.recs {
		var supply int64
		for k := range u.atoms {
			a := &u.atoms[k]
			if !keep(a) {
				continue
			}
			switch {
			case a.rec[j] == -2:
				supply = int64(r.count)
			case a.rec[j] >= 0:
				supply += a.rec[j]
			}
			if supply >= int64(r.count) {
				break
			}
		}
		n += int(min(int64(r.count), supply))
	}
	return n
}

// seatTargets sets every target's seats in scope from the units' final
// lists.
func (m *model) seatTargets() {
	for i := range m.targets {
		ti := &m.targets[i]
		ti.seats = 0
		for _, u := range ti.units {
			ti.seats += m.units[u].final
		}
	}
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// scores returns, for unit u, the score of each type at every ordered
// select stage (score_bias plus the unit's group_score_bias), or nil when no
// stage is ordered.
func (m *model) scores(u *scenario.Unit) func(typ int) map[int]float64 {
	per := map[int][]float64{}
	for si, ok := range m.ordered {
		if !ok {
			continue
		}
		st := m.sc.Stages[si].Select
		sc := m.types.Sum(st.ScoreBias)
		var group []float64 // the last entry for the unit's group, as sim applies it
		for _, g := range st.GroupScoreBias {
			if g.Group == u.Group {
				group = m.types.Sum(g.Weights)
			}
		}
		for typ, b := range group {
			sc[typ] += b
		}
		per[si] = sc
	}
	if len(per) == 0 {
		return nil
	}
	return func(typ int) map[int]float64 {
		out := make(map[int]float64, len(per))
		for si, sc := range per {
			out[si] = sc[typ]
		}
		return out
	}
}

package feasible

import (
	"fmt"
	"math"
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
	// quotas are the indexes into model.quotas of this stage's quotas.
	quotas []int
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
	if err := m.compileUnits(); err != nil {
		return nil, err
	}
	for i := range m.targets {
		ti := &m.targets[i]
		for _, u := range ti.units {
			ti.seats += m.units[u].final
		}
	}
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
		}, func(typ int, a *atom) {})
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
func (m *model) atoms(probs, nomW []float64, removed func(typ int) int, fill func(typ int, a *atom)) []atom {
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
		k := key.String()
		ai, ok := index[k]
		if !ok {
			a := atom{removed: r}
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
	nomW := m.types.Product(nomStage.Weights)
	for i := range sc.Units {
		u := &sc.Units[i]
		ui := unitInfo{u: u, idx: i, name: u.Name, seats: u.Seats, central: u.Central, ballotList: -1}
		seatLocal := u.Seats - u.Central
		mode := nomStage.NominationMode
		if u.Nomination != nil {
			mode = *u.Nomination
		}
		ui.nominees = scenario.NomineeCount(mode, seatLocal)
		avail := ui.nominees
		for si := range sc.Stages {
			st := &sc.Stages[si]
			if st.Select == nil {
				continue
			}
			li := listInfo{stage: si, name: st.Name, size: sc.ListSize(st.Select.Size, u)}
			for qi := range m.quotas {
				if m.quotas[qi].stage == si {
					li.quotas = append(li.quotas, qi)
				}
			}
			ui.lists = append(ui.lists, li)
			avail = li.size
			if m.electIdx < 0 || si < m.electIdx {
				ui.ballot = li.size
				ui.ballotList = len(ui.lists) - 1
			}
		}
		if ui.ballotList < 0 {
			ui.ballot = ui.nominees
		}
		if m.electIdx >= 0 {
			ui.final = u.Seats
			ui.requiredExtra = sc.BallotExtra(u)
		} else {
			ui.final = avail
			ui.ballot = avail
		}
		ui.local = ui.final - ui.central
		ui.extra = max(0, ui.ballot-ui.local)

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
		recs := u.Recommending
		if len(recs) == 0 {
			recs = []scenario.RecommendingUnit{{Name: u.Name, Weight: 1}}
		}
		rw := make([]float64, len(recs))
		for j, r := range recs {
			rw[j] = r.Weight
		}
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
		ui.atoms = m.atoms(union, nomW, func(typ int) int { return m.vetoedFrom(typ, 0) }, func(typ int, a *atom) {
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
		for k := range ui.atoms {
			a := &ui.atoms[k]
			// Masses of types the unit pool lacks (only in a recommending
			// unit's pool) were stored as tiny placeholders; drop them.
			if a.mass < 1e-200 {
				a.mass = 0
			}
		}
		sort.SliceStable(ui.atoms, func(a, b int) bool { return ui.atoms[a].mass > ui.atoms[b].mass })
		m.units = append(m.units, ui)
	}
	return nil
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

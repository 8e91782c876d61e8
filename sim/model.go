package sim

import (
	"fmt"
	"math"
	"slices"

	"simulate/scenario"
	"simulate/sim/stats"
	"simulate/workflow"
)

// Model is a scenario compiled for simulation: every person is one of a fixed
// set of types (one value per trait), every predicate is a lookup table over
// types, and every unit has its nominee distributions ready to sample.
type Model struct {
	Scenario *scenario.Scenario
	Workflow *workflow.Workflow
	// hash is the scenario's hash when compiled.
	hash string

	// types enumerates the types of person; nTypes is types.N.
	types  *scenario.TypeSpace
	nTypes int

	units   []unitModel
	stages  []stageModel
	targets []targetModel
	shares  []shareModel
	// preds are the predicates counted per stage: targets first, then shares.
	preds [][]bool
	// typePreds[typePredStart[t]:typePredStart[t+1]] lists the predicates type t matches.
	typePreds     []int32
	typePredStart []int32

	// reasons are the distinct veto reasons, in order of first appearance.
	reasons []string

	central     *stats.Alias
	centralType []int32
	electIdx    int // index of the elect stage, -1 if none
	nominateIdx int // index of the nominate stage, -1 if none
}

type unitModel struct {
	name        string
	seats       int
	central     int
	local       int
	voters      int
	turnout     float64
	uncontested bool
	recs        []recModel
	// listSize[stage] is the size kept by a select stage.
	listSize []int
	ballot   int // local candidates the ballot carries
	// memberShare[pred] is the share of members matching each predicate;
	// nomineeShare[pred] the expected share of nominees.
	memberShare  []float64
	nomineeShare []float64
}

type recModel struct {
	name  string
	count int // nominees this recommending unit sends
	alias *stats.Alias
	types []int32 // alias index → type
	// topUp[q] draws a nominee matching the nominate stage's quota q
	// (nil: nobody in this pool matches it); topUpTypes[q] maps its index.
	topUp      []*stats.Alias
	topUpTypes [][]int32
	// finite pools: remaining counts per type and nomination weight per type
	finite  bool
	counts  []int64
	weights []float64
}

type stageModel struct {
	kind   string
	name   string
	vetoes []vetoModel
	// select
	quotas    []quotaModel
	scoreSD   float64
	scoreBias []float64 // per type
	// unitBias[u] is the extra score bias per type in unit u (group_score_bias); nil: none
	unitBias [][]float64
	// confidence plans target quotas (SelectStage.Confidence); 0: off
	confidence float64
	// reuseOrder is the earlier select stage whose score order this stage
	// can reuse (the same scores, only filters between them), -1: none.
	reuseOrder int
	// quotaMask[type] has bit q set when quota q matches the type (select
	// and nominate stages with 1 to 64 quotas; nil otherwise).
	quotaMask []uint64
	// elect
	elect *electModel
}

type vetoModel struct {
	reason    string
	reasonIdx int
	rate      float64
	threshold uint64
	match     []bool // nil: everyone
}

// quotaModel is a min/max constraint on a selected list; per-unit bounds are
// computed from the list size at selection time.
type quotaModel struct {
	name             string
	match            []bool
	minCount         int // -1: none
	maxCount         int // -1: none
	minShare         float64
	maxShare         float64
	hasMin, hasMax   bool
	strict           bool
	aboveMemberShare int // predicate index whose member share is the minimum, -1: none
	units            []bool
	// fromTarget quotas plan for the unit's centrally nominated candidates,
	// who join the list at the ballot, assuming the worst: none of them
	// count towards a minimum and all of them towards a maximum.
	fromTarget bool
	// target is the index of the target a fromTarget quota comes from.
	target int
	// plan, when the stage plans with a confidence, holds the bounds
	// planned for each unit (see planQuotas); nil otherwise.
	plan []planned
}

// planned are a quota's bounds on one unit's list (-1: none).
type planned struct{ lo, hi int }

type electModel struct {
	approvalLogit float64
	appealSD      float64
	bias          []float64 // per type
	abstain       float64
	disciplineP   float64
	majorityOfAll bool
	quorum        float64
	turnout       float64
	furtherRounds int
	revotes       int
	centralAppeal float64
}

type targetModel struct {
	t       *scenario.Target
	pred    int
	units   []int
	inScope []bool
}

type shareModel struct {
	s    *scenario.Share
	pred int
	of   int // predicate index of the denominator, -1: all
}

// Compile builds the simulation model of a validated scenario.
func Compile(sc *scenario.Scenario) (*Model, error) {
	wf, err := workflow.Build(sc)
	if err != nil {
		return nil, err
	}
	types, err := scenario.NewTypeSpace(sc.Traits)
	if err != nil {
		return nil, err
	}
	m := &Model{Scenario: sc, Workflow: wf, types: types, nTypes: types.N, electIdx: -1, nominateIdx: -1, hash: sc.Hash()}
	m.compilePredicates()
	if err := m.compileStages(); err != nil {
		return nil, err
	}
	if err := m.compileUnits(); err != nil {
		return nil, err
	}
	m.planQuotas()
	if m.electIdx >= 0 && m.hasCentral() {
		pool := sc.CentralPool
		if len(pool) == 0 {
			pool = sc.Pool
		}
		probs := m.types.PoolProbs(scenario.MergePool(sc.Pool, pool))
		a, types, err := m.aliasFor(probs, nil)
		if err != nil {
			return nil, &scenario.Error{Source: sc.Name, Problems: []scenario.Problem{{Path: "central_pool", Msg: err.Error()}}}
		}
		m.central, m.centralType = a, types
	}
	return m, nil
}

func (m *Model) hasCentral() bool {
	for _, u := range m.units {
		if u.central > 0 {
			return true
		}
	}
	return false
}

// aliasFor builds an alias table over the types with positive weight
// probs[type]·w[type] (w nil: 1).
func (m *Model) aliasFor(probs, w []float64) (*stats.Alias, []int32, error) {
	var weights []float64
	var types []int32
	for typ, p := range probs {
		if w != nil {
			p *= w[typ]
		}
		if p > 0 {
			weights = append(weights, p)
			types = append(types, int32(typ))
		}
	}
	if len(weights) == 0 {
		return nil, nil, fmt.Errorf("no member can be drawn: every type has share or weight 0")
	}
	a, err := stats.NewAlias(weights)
	return a, types, err
}

func (m *Model) compilePredicates() {
	sc := m.Scenario
	for i := range sc.Targets {
		t := &sc.Targets[i]
		m.preds = append(m.preds, m.types.Match(t.When))
		tm := targetModel{t: t, pred: len(m.preds) - 1, units: sc.TargetUnits(t)}
		tm.inScope = make([]bool, len(sc.Units))
		for _, u := range tm.units {
			tm.inScope[u] = true
		}
		m.targets = append(m.targets, tm)
	}
	for i := range sc.Shares {
		s := &sc.Shares[i]
		when := m.types.Match(s.When)
		sm := shareModel{s: s, of: -1}
		if len(s.Of) > 0 {
			// The share is of those matching Of: count only them above the line.
			of := m.types.Match(s.Of)
			for typ := range when {
				when[typ] = when[typ] && of[typ]
			}
			m.preds = append(m.preds, of)
			sm.of = len(m.preds) - 1
		}
		m.preds = append(m.preds, when)
		sm.pred = len(m.preds) - 1
		m.shares = append(m.shares, sm)
	}
	m.typePredStart = make([]int32, m.nTypes+1)
	for typ := 0; typ < m.nTypes; typ++ {
		for k, match := range m.preds {
			if match[typ] {
				m.typePreds = append(m.typePreds, int32(k))
			}
		}
		m.typePredStart[typ+1] = int32(len(m.typePreds))
	}
}

func (m *Model) compileStages() error {
	sc := m.Scenario
	reasons := map[string]int{}
	for i := range sc.Stages {
		st := &sc.Stages[i]
		sm := stageModel{kind: st.Kind(), name: st.Name}
		if st.Nominate != nil {
			m.nominateIdx = i
		}
		switch {
		case st.Filter != nil:
			for _, v := range st.Filter.Vetoes {
				idx, ok := reasons[v.Reason]
				if !ok {
					idx = len(reasons)
					reasons[v.Reason] = idx
				}
				vm := vetoModel{reason: v.Reason, reasonIdx: idx, rate: v.Rate, threshold: stats.Threshold(v.Rate)}
				if len(v.When) > 0 {
					vm.match = m.types.Match(v.When)
				}
				sm.vetoes = append(sm.vetoes, vm)
			}
		case st.Nominate != nil && st.Nominate.FromTargets:
			sm.confidence = st.Nominate.Confidence
			sm.quotas = m.targetQuotas(0)
		case st.Select != nil:
			sm.scoreSD = st.Select.ScoreSD
			sm.confidence = st.Select.Confidence
			sm.scoreBias = m.types.Sum(st.Select.ScoreBias)
			if len(st.Select.GroupScoreBias) > 0 {
				sm.unitBias = make([][]float64, len(sc.Units))
				for _, g := range st.Select.GroupScoreBias {
					bias := m.types.Sum(g.Weights)
					for u := range sc.Units {
						if sc.Units[u].Group == g.Group {
							sm.unitBias[u] = bias
						}
					}
				}
			}
			for _, q := range st.Select.Quotas {
				qm := quotaModel{name: q.Name, match: m.types.Match(q.When), minCount: -1, maxCount: -1, aboveMemberShare: -1}
				if q.Min != nil {
					qm.minCount = *q.Min
				}
				if q.Max != nil {
					qm.maxCount = *q.Max
				}
				if q.MinShare != nil {
					qm.hasMin, qm.minShare = true, *q.MinShare
				}
				if q.MaxShare != nil {
					qm.hasMax, qm.maxShare = true, *q.MaxShare
				}
				sm.quotas = append(sm.quotas, qm)
			}
			if st.Select.FromTargets {
				sm.quotas = append(sm.quotas, m.targetQuotas(st.Select.TargetMargin)...)
			}
		case st.Elect != nil:
			e := st.Elect
			m.electIdx = i
			sm.elect = &electModel{
				approvalLogit: math.Log(e.Voters.Approval / (1 - e.Voters.Approval)),
				appealSD:      e.Voters.AppealSD,
				bias:          m.types.Sum(e.Voters.Bias),
				abstain:       e.Voters.Abstain,
				disciplineP:   e.Voters.Discipline,
				majorityOfAll: e.MajorityOf == scenario.MajorityEntitled,
				quorum:        e.Quorum,
				turnout:       e.Turnout,
				furtherRounds: e.FurtherRounds,
				revotes:       e.Revotes,
				centralAppeal: e.CentralAppeal,
			}
		}
		sm.reuseOrder = -1
		if sm.kind == scenario.KindSelect {
			sm.reuseOrder = m.sameScoreOrder(&sm)
		}
		if sm.kind == scenario.KindSelect || sm.kind == scenario.KindNominate {
			if nq := len(sm.quotas); nq > 0 && nq <= 64 {
				sm.quotaMask = make([]uint64, len(sm.quotas[0].match))
				for q := range sm.quotas {
					for typ, ok := range sm.quotas[q].match {
						if ok {
							sm.quotaMask[typ] |= 1 << q
						}
					}
				}
			}
		}
		m.stages = append(m.stages, sm)
	}
	m.reasons = make([]string, len(reasons))
	for r, i := range reasons {
		m.reasons[i] = r
	}
	return nil
}

// sameScoreOrder returns the latest earlier select stage that gives
// everyone the same score as sm (same spread and biases) with only filters
// after it, or -1. Filters keep the order of the people they pass, so the
// people reaching sm are in that stage's score order already.
func (m *Model) sameScoreOrder(sm *stageModel) int {
	for s := len(m.stages) - 1; s >= 0; s-- {
		prev := &m.stages[s]
		switch prev.kind {
		case scenario.KindFilter:
			continue
		case scenario.KindSelect:
			if prev.scoreSD == sm.scoreSD && slices.Equal(prev.scoreBias, sm.scoreBias) &&
				slices.EqualFunc(prev.unitBias, sm.unitBias, slices.Equal) && (prev.unitBias == nil) == (sm.unitBias == nil) {
				return s
			}
		}
		return -1
	}
	return -1
}

// targetQuotas turns the targets into selection quotas: the organisation
// applies every structure requirement to each list it draws up, with margin
// added to minimum shares. A total-scope count becomes the proportional share
// of the seats in scope.
func (m *Model) targetQuotas(margin float64) []quotaModel {
	sc := m.Scenario
	var out []quotaModel
	for ti, tm := range m.targets {
		t := tm.t
		q := quotaModel{name: "target " + t.Name, match: m.preds[tm.pred], minCount: -1, maxCount: -1,
			aboveMemberShare: -1, strict: t.Strict, units: tm.inScope, fromTarget: true, target: ti}
		seatsInScope := 0
		for _, u := range tm.units {
			seatsInScope += sc.Units[u].Seats
		}
		// Every bound of the target becomes a bound of the quota; bounds()
		// keeps the tightest. Strict counts move by one here, strict shares
		// are rounded strictly in bounds().
		strictStep := 0
		if t.Strict {
			strictStep = 1
		}
		if t.AboveMemberShare {
			q.aboveMemberShare = tm.pred
			q.minShare = margin
		}
		if t.MinShare != nil {
			q.hasMin, q.minShare = true, math.Min(1, *t.MinShare+margin)
		}
		if t.MaxShare != nil {
			q.hasMax, q.maxShare = true, *t.MaxShare
		}
		switch {
		case t.MinCount != nil && t.Scope == scenario.ScopeEach:
			q.minCount = *t.MinCount + strictStep
		case t.MinCount != nil && t.MinShare == nil && seatsInScope > 0:
			share := math.Min(1, float64(*t.MinCount)/float64(seatsInScope)+margin)
			if !q.hasMin || share > q.minShare {
				q.hasMin, q.minShare = true, share
			}
		}
		switch {
		case t.MaxCount != nil && t.Scope == scenario.ScopeEach:
			q.maxCount = max(0, *t.MaxCount-strictStep)
		case t.MaxCount != nil && t.MaxShare == nil && seatsInScope > 0:
			share := float64(*t.MaxCount) / float64(seatsInScope)
			if !q.hasMax || share < q.maxShare {
				q.hasMax, q.maxShare = true, share
			}
		}
		if q.hasMin || q.hasMax || q.minCount >= 0 || q.maxCount >= 0 || q.aboveMemberShare >= 0 {
			out = append(out, q)
		}
	}
	return out
}

func (m *Model) compileUnits() error {
	sc := m.Scenario
	for i := range sc.Units {
		u := &sc.Units[i]
		um := unitModel{
			name: u.Name, seats: u.Seats, central: u.Central, local: u.Local(),
			voters: u.EntitledVoters, turnout: u.Turnout, uncontested: u.Uncontested,
			listSize: make([]int, len(sc.Stages)),
		}
		unitPool := scenario.MergePool(sc.Pool, u.Pool)
		probs := m.types.PoolProbs(unitPool)
		um.memberShare = make([]float64, len(m.preds))
		for k, match := range m.preds {
			for typ, p := range probs {
				if match[typ] {
					um.memberShare[k] += p
				}
			}
		}
		var nominees int
		var weights []float64
		for si := range sc.Stages {
			st := &sc.Stages[si]
			switch {
			case st.Nominate != nil:
				nominees = scenario.NomineeCount(u.NominationMode(st.Nominate), um.local)
				weights = m.types.NominationWeights(st.Nominate, u.Group)
				um.listSize[si] = nominees
			case st.Select != nil:
				um.listSize[si] = sc.ListSize(st.Select.Size, u)
			}
		}
		um.ballot = um.local + sc.BallotExtra(u)
		if um.turnout == 0 && m.electIdx >= 0 {
			um.turnout = m.stages[m.electIdx].elect.turnout
		}
		recs, rw := u.RecommendingUnits()
		counts := scenario.LargestRemainder(rw, nominees)
		um.nomineeShare = make([]float64, len(m.preds))
		for j, r := range recs {
			rp := m.types.PoolProbs(scenario.MergePool(unitPool, r.Pool))
			m.addNomineeShare(um.nomineeShare, rp, weights, float64(counts[j])/float64(max(1, nominees)))
			rm := recModel{name: r.Name, count: counts[j]}
			if u.FinitePool {
				rm.finite = true
				rm.weights = weights
				share := scenario.LargestRemainder(rp, int(float64(u.Members)*r.Weight/sum(rw)+0.5))
				rm.counts = make([]int64, m.nTypes)
				for typ, c := range share {
					rm.counts[typ] = int64(c)
				}
			} else {
				a, types, err := m.aliasFor(rp, weights)
				if err != nil {
					path := fmt.Sprintf("units[%d].pool", i)
					if len(u.Recommending) > 0 {
						path = fmt.Sprintf("units[%d].recommending[%d].pool", i, j)
					}
					return &scenario.Error{Source: sc.Name, Problems: []scenario.Problem{{Path: path,
						Msg: fmt.Sprintf("unit %s: %v (check the pool shares and the nomination weights)", u.Name, err)}}}
				}
				rm.alias, rm.types = a, types
				if ns := m.nominateIdx; ns >= 0 {
					for _, q := range m.stages[ns].quotas {
						w := make([]float64, len(weights))
						for typ := range w {
							if q.match[typ] {
								w[typ] = weights[typ]
							}
						}
						ta, tt, err := m.aliasFor(rp, w)
						if err != nil {
							ta, tt = nil, nil
						}
						rm.topUp = append(rm.topUp, ta)
						rm.topUpTypes = append(rm.topUpTypes, tt)
					}
				}
			}
			um.recs = append(um.recs, rm)
		}
		m.units = append(m.units, um)
	}
	return nil
}

// addNomineeShare adds to share[pred], with weight f, the share of the
// nominees drawn from pool probs with nomination weights w (nil: 1) who
// match each predicate.
func (m *Model) addNomineeShare(share, probs, w []float64, f float64) {
	total := 0.0
	for typ, p := range probs {
		if w != nil {
			p *= w[typ]
		}
		total += p
	}
	if total <= 0 {
		return
	}
	for k, match := range m.preds {
		for typ, p := range probs {
			if w != nil {
				p *= w[typ]
			}
			if match[typ] {
				share[k] += f * p / total
			}
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

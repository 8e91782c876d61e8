package sim

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"simulate/scenario"
	"simulate/sim/stats"
	"simulate/workflow"
)

// person is one nominee or candidate during a trial.
type person struct {
	typ     int32
	central bool
	state   workflow.State
	// merit is the organisation's assessment (N(0,1)), fixed for the trial.
	merit float64
	// rec is the recommending unit that nominated the person.
	rec int32
	// appeal is the voters' view, drawn when the person reaches a ballot.
	appeal float64
	score  float64
	votes  int32
	idx    int32 // position on the ballot list, for stable ordering
	rank   int32 // position in the score order of the unit's last selection
	id     int32 // unique in the trial, from 1 (Person.ID)
}

// obs is what one trial records; a worker reuses it across trials.
type obs struct {
	// size[s*U+u] is the list length after stage s in unit u; in[s*U+u] before it.
	size, in []int32
	// count[(s*U+u)*P+k] counts people matching predicate k after stage s.
	count []int32
	// drops[s*R+r] counts people dropped at stage s for veto reason r.
	drops []int32
	// shortfall[s*U+u] counts seats (elect) or list places (select) left empty.
	shortfall []int32

	// votes are this trial's congress statistics.
	votes      ElectionCounts
	unitFailed []bool
	// people counts the people who entered the trial (the last Person.ID).
	people int32
	// recUnit and recStage are the unit and stage last counted in this
	// trial (-1: none), the base of an incremental count (worker.record).
	recUnit, recStage int
}

// worker simulates trials one after another with reusable buffers.
type worker struct {
	m   *Model
	pcg *rand.PCG  // reseeded for every stage of every unit (stats.ReseedSubstream)
	r   *rand.Rand // draws from pcg
	// key is the trial's stats.TrialKey, from which each stage's stream is derived.
	key uint64
	o   obs
	// cur is the unit being simulated and unit its state in the unit machine.
	cur  int
	unit workflow.State
	// Trace, when set, receives every event of the trial.
	trace func(Event)
	// traits[type] are a type's trait values for events (built when tracing).
	traits []map[string]string

	list, next []person
	order      []int32
	// dropped are the types of the people the last filter or selection
	// (stage dropStage) dropped, for counting its list incrementally.
	dropped   []int32
	dropStage int
	// fullCounts counts every stage's list in full (the reference for the
	// incremental counts in tests).
	fullCounts bool
	// ranked is the select stage whose score order the people of unit
	// rankedUnit carry in person.rank (-1: none); rankSlot is scratch.
	ranked, rankedUnit int
	rankSlot           []int32
	keys               []sortKey
	victims            []sortKey // nomination top-ups' next victims (lowestMerit)
	selected           []bool
	quotaCount         []int
	quotaMin           []int
	quotaMax           []int
	// election buffers
	tFor    []uint64  // per list index: the 32-bit "for" threshold (stats.Threshold32)
	qAbst   []float64 // per list index: P(abstain | not for)
	bVotes  []int32   // not-for marks in ballot order of the current round
	bStruck []int32   // struck or voided for-marks in ballot order
	// ballot kernel: thresholds, the voter's not-for lanes and the packed
	// not-for and struck tallies, four names per element (stats.Quad)
	bQuad                       []stats.Quad
	bHi                         []uint64 // bQuad[i].Hi()
	bMiss, bMissAcc, bStruckAcc []uint64
	pass                        []int32
	// tiedStack holds the names tied at the last seat of each round under
	// way (a round and its re-votes).
	tiedStack []int32
	all       []int32 // ballot indexes of the current election
	elected   []bool
	ev        electState // the congress under way
	finite    [][]int64
}

func newWorker(m *Model) *worker {
	U, S, P := len(m.units), len(m.stages), len(m.preds)
	pcg := rand.NewPCG(0, 0)
	w := &worker{m: m, pcg: pcg, r: rand.New(pcg), ranked: -1, dropStage: -1}
	w.o.size = make([]int32, S*U)
	w.o.in = make([]int32, S*U)
	w.o.count = make([]int32, S*U*P)
	w.o.drops = make([]int32, S*max(1, len(m.reasons)))
	w.o.shortfall = make([]int32, S*U)
	w.o.unitFailed = make([]bool, U)
	for _, u := range m.units {
		for _, r := range u.recs {
			if r.finite {
				w.finite = append(w.finite, make([]int64, len(r.counts)))
			}
		}
	}
	return w
}

func (o *obs) reset() {
	clear(o.size)
	clear(o.in)
	clear(o.count)
	clear(o.drops)
	clear(o.shortfall)
	clear(o.unitFailed)
	o.votes = ElectionCounts{}
	o.people = 0
	o.recUnit, o.recStage = -1, -1
}

// runTrial simulates trial i of a run with the given seed.
//
// Each stage of each unit draws from its own substream (stageAction), so a
// trial's draws for one purpose do not depend on how many numbers it drew
// for others: common random numbers across parameter values.
func (w *worker) runTrial(seed, trial uint64) error {
	w.key = stats.TrialKey(seed, trial)
	w.o.reset()
	fi := 0
	for u := range w.m.units {
		if err := w.runUnit(u, &fi); err != nil {
			return err
		}
	}
	return nil
}

func (w *worker) emit(e Event) {
	if w.trace != nil {
		w.trace(e)
	}
}

// fireUnit fires t on unit u's machine (the compiled table). A trigger the
// machine does not permit in the unit's state is an error.
func (w *worker) fireUnit(u int, t workflow.Trigger) error {
	um := w.m.Workflow.Unit
	from := w.unit
	next, err := um.Next(from, t)
	if err != nil {
		return w.moveError(u, err)
	}
	w.unit = next
	if w.trace != nil {
		w.emit(Event{Kind: EventUnitTransition, Unit: w.m.units[u].name,
			From: um.States[from], To: um.States[next], Trigger: um.Triggers[t]})
	}
	return nil
}

// moveCandidate advances a candidate's lifecycle on the compiled table. A
// trigger the machine does not permit in the candidate's state is an error.
func (w *worker) moveCandidate(p *person, t workflow.Trigger) error {
	next, err := w.m.Workflow.Candidate.Next(p.state, t)
	if err != nil {
		return w.moveError(-1, err)
	}
	p.state = next
	return nil
}

// moveError names the unit whose move the machine refused (u < 0: the
// unit of the stage under way).
func (w *worker) moveError(u int, err error) error {
	if u < 0 {
		u = w.cur
	}
	return fmt.Errorf("unit %s: %w", w.m.units[u].name, err)
}

// runUnit drives unit u through the unit machine: from its initial state it
// fires start, then, until the machine reaches a terminal state, runs the
// stage model of the state entered (the machine's action table) and fires
// the trigger that model's outcome calls for, complete or fail. Which stage
// runs next, and whether a move is allowed at all, is the machine's
// decision: a move it does not permit is the trial's error.
func (w *worker) runUnit(u int, fi *int) error {
	um := &w.m.units[u]
	wf := w.m.Workflow
	mach := wf.Unit
	w.cur = u
	w.unit = mach.Initial
	w.emit(Event{Kind: EventUnitStart, Unit: um.name, Seats: um.seats})
	if err := w.fireUnit(u, wf.UnitStart()); err != nil {
		return err
	}
	w.list = w.list[:0]
	// Each stage runs at most once per unit, and an election at most its
	// further rounds more; a machine that asks for more does not terminate.
	limit := len(w.m.stages)
	if w.m.electIdx >= 0 {
		limit += w.m.stages[w.m.electIdx].elect.furtherRounds
	}
	for steps := 0; !mach.Terminal(w.unit); steps++ {
		s := mach.Action(w.unit)
		if s < 0 || steps >= limit {
			return w.moveError(u, fmt.Errorf("workflow: unit machine: state %q is not terminal and runs no further stage",
				mach.States[w.unit]))
		}
		t, err := w.stageAction(u, s, fi)
		if err != nil {
			return err
		}
		if err := w.fireUnit(u, t); err != nil {
			return err
		}
	}
	return nil
}

// stageAction is the action of the unit state that runs stage s — the
// stage's own state, or an elect stage's further-round state — followed,
// when the stage is over, by the counts of the list it leaves. It returns
// the trigger the machine fires next: fail when the unit failed, the
// further-round trigger while an election holds another round, otherwise
// complete.
func (w *worker) stageAction(u, s int, fi *int) (workflow.Trigger, error) {
	wf := w.m.Workflow
	U := len(w.m.units)
	if w.m.stages[s].kind == scenario.KindElect {
		if w.unit == wf.UnitFurtherRoundState(s) {
			// Each further round has its own stream: the first round's
			// draws do not move when a parameter changes a later round.
			stats.ReseedSubstream(w.pcg, w.key, stats.Purpose(u, s, w.ev.rounds+1))
			if err := w.furtherRound(u, s); err != nil {
				return workflow.NoTrigger, err
			}
		} else {
			stats.ReseedSubstream(w.pcg, w.key, stats.Purpose(u, s, 0))
			w.o.in[s*U+u] = int32(len(w.list))
			if err := w.elect(u, s); err != nil {
				return workflow.NoTrigger, err
			}
		}
		if w.wantsFurtherRound(u, s) {
			return wf.UnitFurtherRound(s), nil
		}
		if err := w.closeElection(u, s); err != nil {
			return workflow.NoTrigger, err
		}
		w.record(u, s)
		if w.o.unitFailed[u] {
			return wf.UnitFail(), nil
		}
		return wf.UnitComplete(s), nil
	}
	stats.ReseedSubstream(w.pcg, w.key, stats.Purpose(u, s, 0))
	w.o.in[s*U+u] = int32(len(w.list))
	if err := w.runStage(u, s, fi); err != nil {
		return workflow.NoTrigger, err
	}
	if w.m.stages[s].kind == scenario.KindNominate {
		w.o.in[s*U+u] = int32(len(w.list))
	}
	w.record(u, s)
	if w.o.unitFailed[u] {
		return wf.UnitFail(), nil
	}
	return wf.UnitComplete(s), nil
}

// runStage applies stage s to unit u's list; fi counts the finite pools
// used so far in the trial.
func (w *worker) runStage(u, s int, fi *int) error {
	switch w.m.stages[s].kind {
	case scenario.KindNominate:
		return w.nominate(u, s, fi)
	case scenario.KindFilter:
		return w.filter(u, s)
	case scenario.KindSelect:
		return w.selectList(u, s)
	case scenario.KindElect:
		// The whole election at once (benchmarks; a trial lets the unit
		// machine drive the further rounds, see stageAction).
		if err := w.elect(u, s); err != nil {
			return err
		}
		for w.wantsFurtherRound(u, s) {
			if err := w.furtherRound(u, s); err != nil {
				return err
			}
		}
		return w.closeElection(u, s)
	}
	return nil
}

// record counts the list after stage s in unit u. After a filter or a
// selection that followed the stage counted last in the unit, the counts
// are that stage's less the people dropped (usually far fewer than kept).
func (w *worker) record(u, s int) {
	m := w.m
	U, P := len(m.units), len(m.preds)
	w.o.size[s*U+u] = int32(len(w.list))
	base := (s*U + u) * P
	cnt := w.o.count[base : base+P]
	if k := m.stages[s].kind; (k == scenario.KindFilter || k == scenario.KindSelect) && !w.fullCounts &&
		w.o.recUnit == u && w.o.recStage >= 0 && w.dropStage == s {
		prev := (w.o.recStage*U + u) * P
		copy(cnt, w.o.count[prev:prev+P])
		for _, typ := range w.dropped {
			for _, k := range m.typePreds[m.typePredStart[typ]:m.typePredStart[typ+1]] {
				cnt[k]--
			}
		}
	} else {
		for i := range w.list {
			typ := int(w.list[i].typ)
			for _, k := range m.typePreds[m.typePredStart[typ]:m.typePredStart[typ+1]] {
				cnt[k]++
			}
		}
	}
	w.o.recUnit, w.o.recStage = u, s
	w.dropStage = -1
	if w.trace != nil {
		w.emit(Event{Kind: EventStageDone, Unit: m.units[u].name, Stage: m.stages[s].name,
			Entered: int(w.o.in[s*U+u]), Left: len(w.list), Want: m.units[u].listSize[s],
			Shortfall: int(w.o.shortfall[s*U+u]), Counts: w.stageCounts(u, s)})
	}
}

func (w *worker) nominate(u, s int, fi *int) error {
	m, um := w.m, &w.m.units[u]
	w.ranked = -1 // new people carry no rank
	pass := m.Workflow.CandidatePass(s)
	firstFinite := *fi
	for ri := range um.recs {
		rec := &um.recs[ri]
		var remaining []int64
		var total float64
		if rec.finite {
			remaining = w.finite[*fi]
			*fi++
			copy(remaining, rec.counts)
			for typ, c := range remaining {
				total += float64(c) * rec.weights[typ]
			}
		}
		for k := 0; k < rec.count; k++ {
			var typ int32
			if rec.finite {
				if total <= 0 {
					break
				}
				x := w.r.Float64() * total
				chosen := -1
				for t, c := range remaining {
					if c == 0 || rec.weights[t] == 0 {
						continue
					}
					chosen = t
					x -= float64(c) * rec.weights[t]
					if x < 0 {
						break
					}
				}
				if chosen < 0 {
					break
				}
				remaining[chosen]--
				total -= rec.weights[chosen]
				typ = int32(chosen)
			} else {
				typ = rec.types[rec.alias.Sample(w.r)]
			}
			w.o.people++
			p := person{typ: typ, rec: int32(ri), state: m.Workflow.Candidate.Initial, merit: w.r.NormFloat64(), id: w.o.people}
			if err := w.moveCandidate(&p, pass); err != nil {
				return err
			}
			w.list = append(w.list, p)
		}
	}
	if len(m.stages[s].quotas) > 0 {
		if err := w.topUp(u, s, firstFinite); err != nil {
			return err
		}
	}
	if want := um.listSize[s]; len(w.list) < want {
		// A finite pool ran out of people who can be nominated.
		w.o.shortfall[s*len(m.units)+u] += int32(want - len(w.list))
	}
	if w.trace != nil {
		for i := range w.list {
			w.emitPerson(u, s, &w.list[i], m.Workflow.Candidate.Initial, pass, OutcomePassed, ReasonRecommended)
		}
	}
	return nil
}

// topUp sends unit u's nominee list back down while it holds fewer people
// of a target's group than the stage's quota asks: the nominee with the
// lowest merit outside the group (and not needed for an earlier quota's
// minimum) is replaced by a further nomination from the group, drawn from
// the same recommending unit's pool with the same weights, until the quota is
// met or nobody is left to replace or to nominate. firstFinite is the index of
// the unit's first finite pool in w.finite. A replacement is nominated like
// everyone else: from the initial state by the stage's pass trigger.
func (w *worker) topUp(u, s, firstFinite int) error {
	m, um := w.m, &w.m.units[u]
	st := &m.stages[s]
	nq := len(st.quotas)
	w.quotaCount = resize(w.quotaCount, nq)
	w.quotaMin = resize(w.quotaMin, nq)
	for q := range st.quotas {
		w.quotaMin[q], _ = st.quotas[q].bounds(um.listSize[s], um, u)
		w.quotaCount[q] = 0
		for i := range w.list {
			if st.quotas[q].match[w.list[i].typ] {
				w.quotaCount[q]++
			}
		}
	}
	for q := range st.quotas {
		// With quota masks, the next victims are found in one scan: while
		// the quotas that rule nominees out stay the same, the eligible
		// nominees are the same less those replaced (each replacement is
		// in q's group), so the victims come in merit order.
		built, builtOut, next := false, uint64(0), 0
		for w.quotaCount[q] < w.quotaMin[q] {
			var victim int
			if st.quotaMask != nil {
				out := w.outMask(q)
				if !built || out != builtOut {
					w.lowestMerit(st.quotaMask, out, w.quotaMin[q]-w.quotaCount[q])
					built, builtOut, next = true, out, 0
				}
				victim = -1
				if next < len(w.victims) {
					victim = int(w.victims[next].idx)
					next++
				}
			} else {
				victim = w.victim(st, q)
			}
			if victim < 0 {
				break
			}
			old := w.list[victim]
			typ, ok := w.drawMatching(um, int(old.rec), q, firstFinite, old.typ)
			if !ok {
				break
			}
			for e := range st.quotas {
				if st.quotas[e].match[old.typ] {
					w.quotaCount[e]--
				}
				if st.quotas[e].match[typ] {
					w.quotaCount[e]++
				}
			}
			if w.trace != nil {
				w.emitPerson(u, s, &old, old.state, workflow.NoTrigger, OutcomeReplaced, ReasonSentBack)
			}
			w.o.people++
			p := person{typ: typ, rec: old.rec, state: m.Workflow.Candidate.Initial, merit: w.r.NormFloat64(), id: w.o.people}
			if err := w.moveCandidate(&p, m.Workflow.CandidatePass(s)); err != nil {
				return err
			}
			w.list[victim] = p
		}
	}
	return nil
}

// victim returns the list index of the nominee with the lowest merit (the
// first of equals) who is outside quota q's group and not needed for the
// minimum of an earlier quota, or -1 when there is none.
func (w *worker) victim(st *stageModel, q int) int {
	qm := &st.quotas[q]
	victim := -1
	for i := range w.list {
		p := &w.list[i]
		if qm.match[p.typ] || (victim >= 0 && p.merit >= w.list[victim].merit) {
			continue
		}
		needed := false
		for e := 0; e < q && !needed; e++ {
			needed = st.quotas[e].match[p.typ] && w.quotaCount[e] <= w.quotaMin[e]
		}
		if !needed {
			victim = i
		}
	}
	return victim
}

// outMask returns the quotas that rule a nominee out as quota q's victim,
// one bit each: q itself and the earlier quotas at their minimum.
func (w *worker) outMask(q int) uint64 {
	out := uint64(1) << q
	for e := range q {
		if w.quotaCount[e] <= w.quotaMin[e] {
			out |= 1 << e
		}
	}
	return out
}

// lowestMerit puts in w.victims the (at most) d nominees of lowest merit
// whose type has none of the quotas in out (mask: the stage's quota masks),
// lowest first and the first of equals first: the victims victim would
// choose one after another while out stays the same.
func (w *worker) lowestMerit(mask []uint64, out uint64, d int) {
	v := w.victims[:0]
	for i := range w.list {
		p := &w.list[i]
		if mask[p.typ]&out != 0 || (len(v) == d && p.merit >= v[d-1].key) {
			continue
		}
		// Insert after every equal or lower merit.
		j := len(v)
		if j < d {
			v = append(v, sortKey{})
		} else {
			j--
		}
		for ; j > 0 && v[j-1].key > p.merit; j-- {
			v[j] = v[j-1]
		}
		v[j] = sortKey{key: p.merit, idx: int32(i)}
	}
	w.victims = v
}

// drawMatching draws a further nominee matching quota q of the nominate
// stage from recommending unit ri; in a finite pool the replaced person
// (type back) returns to the pool. ok is false when nobody can be drawn.
func (w *worker) drawMatching(um *unitModel, ri, q, firstFinite int, back int32) (int32, bool) {
	rec := &um.recs[ri]
	match := w.m.stages[w.m.nominateIdx].quotas[q].match
	if !rec.finite {
		if rec.topUp == nil || rec.topUp[q] == nil {
			return 0, false
		}
		return rec.topUpTypes[q][rec.topUp[q].Sample(w.r)], true
	}
	remaining := w.finite[firstFinite+ri]
	total := 0.0
	for t, c := range remaining {
		if c > 0 && match[t] {
			total += float64(c) * rec.weights[t]
		}
	}
	if total <= 0 {
		return 0, false
	}
	x := w.r.Float64() * total
	chosen := -1
	for t, c := range remaining {
		if c == 0 || !match[t] || rec.weights[t] == 0 {
			continue
		}
		chosen = t
		x -= float64(c) * rec.weights[t]
		if x < 0 {
			break
		}
	}
	remaining[chosen]--
	remaining[back]++
	return int32(chosen), true
}

func (w *worker) filter(u, s int) error {
	m := w.m
	st := &m.stages[s]
	pass, drop := m.Workflow.CandidatePass(s), m.Workflow.CandidateDrop(s)
	R := max(1, len(m.reasons))
	w.next = w.next[:0]
	w.dropped, w.dropStage = w.dropped[:0], s
	// The vetoes draw from a generator seeded from the stage's stream (one
	// inlined draw per person and veto tested, against the same 64-bit
	// thresholds as stats.Bernoulli).
	var f stats.Fast
	if len(st.vetoes) > 0 {
		f = stats.NewFast(w.r.Uint64())
	}
	for i := range w.list {
		p := w.list[i]
		var reason int
		reason, f = st.vetoReason(p.typ, f)
		t := pass
		if reason >= 0 {
			t = drop
			w.o.drops[s*R+reason]++
		}
		from := p.state
		if err := w.moveCandidate(&p, t); err != nil {
			return err
		}
		if reason < 0 {
			w.next = append(w.next, p)
		} else {
			w.dropped = append(w.dropped, p.typ)
		}
		if w.trace != nil {
			if reason < 0 {
				w.emitPerson(u, s, &p, from, t, OutcomePassed, "")
			} else {
				w.emitPerson(u, s, &p, from, t, OutcomeDropped, m.reasons[reason])
			}
		}
	}
	w.list, w.next = w.next, w.list
	return nil
}

// vetoReason is the reason index of the first of the stage's vetoes that
// applies to a person of type typ and drops them (-1: none does), each veto
// drawn in order from f until one drops; it returns the advanced generator.
func (st *stageModel) vetoReason(typ int32, f stats.Fast) (int, stats.Fast) {
	for i := range st.vetoes {
		v := &st.vetoes[i]
		if v.match != nil && !v.match[typ] {
			continue
		}
		var drop bool
		drop, f = f.Bernoulli(v.threshold)
		if drop {
			return v.reasonIdx, f
		}
	}
	return -1, f
}

// selectList keeps the stage's list size, best score first, subject to quotas:
// minimums are filled first from the best-scoring matching people, then the
// rest by score, never exceeding a maximum unless nothing else remains.
func (w *worker) selectList(u, s int) error {
	m, um := w.m, &w.m.units[u]
	st := &m.stages[s]
	k := um.listSize[s]
	U := len(m.units)
	n := len(w.list)
	if n < k {
		w.o.shortfall[s*U+u] += int32(k - n)
	}
	// Highest score first; equal scores keep list order (a total order, so
	// the unstable sort gives exactly the stable result). Sorting compact
	// (score, index) pairs keeps the comparisons in cache.
	var unitBias []float64
	if st.unitBias != nil {
		unitBias = st.unitBias[u]
	}
	for i := range w.list {
		p := &w.list[i]
		p.score = st.scoreSD*p.merit + st.scoreBias[p.typ]
		if unitBias != nil {
			p.score += unitBias[p.typ]
		}
	}
	w.order = w.order[:0]
	if st.reuseOrder >= 0 && w.ranked == st.reuseOrder && w.rankedUnit == u {
		// The same scores as that earlier selection, and only filters
		// since: its order, restricted to the people still here, is this
		// stage's order (ties too: filters keep list order). O(n).
		w.rankSlot = resize(w.rankSlot, 0)
		for i := range w.list {
			r := int(w.list[i].rank)
			for len(w.rankSlot) <= r {
				w.rankSlot = append(w.rankSlot, -1)
			}
			w.rankSlot[r] = int32(i)
		}
		for _, i := range w.rankSlot {
			if i >= 0 {
				w.order = append(w.order, i)
			}
		}
	} else {
		w.keys = w.keys[:0]
		for i := range w.list {
			w.keys = append(w.keys, sortKey{key: -w.list[i].score, idx: int32(i)})
		}
		sortKeys(w.keys)
		for _, k := range w.keys {
			w.order = append(w.order, k.idx)
		}
	}
	for r, i := range w.order {
		w.list[i].rank = int32(r)
	}
	w.ranked, w.rankedUnit = s, u
	w.selected = resize(w.selected, n)
	clear(w.selected)
	nq := len(st.quotas)
	w.quotaCount = resize(w.quotaCount, nq)
	w.quotaMin = resize(w.quotaMin, nq)
	w.quotaMax = resize(w.quotaMax, nq)
	for q := range st.quotas {
		w.quotaMin[q], w.quotaMax[q] = st.quotas[q].bounds(k, um, u)
		w.quotaCount[q] = 0
	}
	if st.quotaMask != nil {
		w.selectMasked(st, k)
		return w.keepSelected(u, s, ReasonNotSelected)
	}
	chosen := 0
	fits := func(typ int32) bool {
		for q := range st.quotas {
			if w.quotaMax[q] >= 0 && st.quotas[q].match[typ] && w.quotaCount[q] >= w.quotaMax[q] {
				return false
			}
		}
		return true
	}
	take := func(i int32) {
		w.selected[i] = true
		chosen++
		typ := w.list[i].typ
		for q := range st.quotas {
			if st.quotas[q].match[typ] {
				w.quotaCount[q]++
			}
		}
	}
	for q := range st.quotas {
		for _, i := range w.order {
			if chosen >= k || w.quotaCount[q] >= w.quotaMin[q] {
				break
			}
			if !w.selected[i] && st.quotas[q].match[w.list[i].typ] && fits(w.list[i].typ) {
				take(i)
			}
		}
	}
	for _, i := range w.order {
		if chosen >= k {
			break
		}
		if !w.selected[i] && fits(w.list[i].typ) {
			take(i)
		}
	}
	for _, i := range w.order {
		if chosen >= k {
			break
		}
		if !w.selected[i] {
			take(i)
		}
	}
	return w.keepSelected(u, s, ReasonNotSelected)
}

// selectMasked is selectList's choice of k people from w.order with the
// quotas' bounds already in w.quotaMin and w.quotaMax, for stages with at
// most 64 quotas: each type's quotas are one word (stageModel.quotaMask)
// and the quotas at their maximum another, so that a quota test is one
// AND. It chooses exactly as the loops of selectList.
func (w *worker) selectMasked(st *stageModel, k int) {
	mask := st.quotaMask
	var full uint64 // quotas at their maximum
	for q := range st.quotas {
		if w.quotaMax[q] >= 0 && w.quotaCount[q] >= w.quotaMax[q] {
			full |= 1 << q
		}
	}
	chosen := 0
	take := func(i int32) {
		w.selected[i] = true
		chosen++
		for b := mask[w.list[i].typ]; b != 0; b &= b - 1 {
			q := bits.TrailingZeros64(b)
			w.quotaCount[q]++
			if w.quotaMax[q] >= 0 && w.quotaCount[q] >= w.quotaMax[q] {
				full |= 1 << q
			}
		}
	}
	for q := range st.quotas {
		bit := uint64(1) << q
		for _, i := range w.order {
			if chosen >= k || w.quotaCount[q] >= w.quotaMin[q] {
				break
			}
			if m := mask[w.list[i].typ]; !w.selected[i] && m&bit != 0 && m&full == 0 {
				take(i)
			}
		}
	}
	for _, i := range w.order {
		if chosen >= k {
			break
		}
		if !w.selected[i] && mask[w.list[i].typ]&full == 0 {
			take(i)
		}
	}
	for _, i := range w.order {
		if chosen >= k {
			break
		}
		if !w.selected[i] {
			take(i)
		}
	}
}

// keepSelected moves selected people on and drops the rest, keeping order.
func (w *worker) keepSelected(u, s int, why string) error {
	m := w.m
	pass, drop := m.Workflow.CandidatePass(s), m.Workflow.CandidateDrop(s)
	w.next = w.next[:0]
	w.dropped, w.dropStage = w.dropped[:0], s
	for i := range w.list {
		p := w.list[i]
		t := drop
		if w.selected[i] {
			t = pass
		}
		from := p.state
		if err := w.moveCandidate(&p, t); err != nil {
			return err
		}
		if w.selected[i] {
			w.next = append(w.next, p)
		} else {
			w.dropped = append(w.dropped, p.typ)
		}
		if w.trace != nil {
			if w.selected[i] {
				w.emitPerson(u, s, &p, from, t, OutcomePassed, "")
			} else {
				w.emitPerson(u, s, &p, from, t, OutcomeDropped, why)
			}
		}
	}
	w.list, w.next = w.next, w.list
	return nil
}

// bounds returns the quota's minimum and maximum count (-1: none) on a list of
// k people in unit u; quotas that do not apply to u are unbounded.
func (q *quotaModel) bounds(k int, um *unitModel, u int) (lo, hi int) {
	lo, hi = 0, -1
	if q.units != nil && !q.units[u] {
		return 0, -1
	}
	if q.plan != nil {
		return min(q.plan[u].lo, k), q.plan[u].hi
	}
	// Shares are of the list the election will see: k local names plus, for
	// target quotas, the central candidates (worst case: none match a minimum,
	// all match a maximum).
	n, extra := k, 0
	if q.fromTarget {
		n, extra = k+um.central, um.central
	}
	if q.minCount >= 0 {
		lo = q.minCount
	}
	if q.hasMin {
		lo = max(lo, scenario.MinCount(q.minShare, q.strict, n))
	}
	if q.aboveMemberShare >= 0 {
		lo = max(lo, scenario.MinCount(math.Min(1, um.memberShare[q.aboveMemberShare]+q.minShare), q.strict, n))
	}
	if q.maxCount >= 0 {
		hi = max(0, q.maxCount-extra)
	}
	if q.hasMax {
		c := max(0, scenario.MaxCount(q.maxShare, q.strict, n)-extra)
		if hi < 0 || c < hi {
			hi = c
		}
	}
	return min(lo, k), hi
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

package sim

import (
	"math"
	"slices"

	"simulate/scenario"
	"simulate/sim/stats"
	"simulate/workflow"
)

// elect runs unit u's congress: attendance and quorum, one ballot per present
// voter, the majority rule, ranking and tie re-votes, and further rounds for
// seats left unfilled. Seats still empty after the last round stay vacant.
func (w *worker) elect(u, s int) error {
	m, um := w.m, &w.m.units[u]
	e := m.stages[s].elect
	wf := m.Workflow
	U := len(m.units)
	if need := um.ballot; len(w.list) < need && !um.uncontested {
		// Fewer names reached the ballot than it needs (a filter after the
		// reserve list, or a list that could not be filled earlier).
		w.o.votes.BallotShort += int64(need - len(w.list))
	}
	// Centrally nominated candidates join the local list on the ballot, by
	// their own move on the candidate machine.
	for c := 0; c < um.central; c++ {
		typ := m.centralType[m.central.Sample(w.r)]
		w.o.people++
		p := person{typ: typ, central: true, state: wf.Candidate.Initial, merit: w.r.NormFloat64(), id: w.o.people}
		if err := w.moveCandidate(&p, wf.CandidateCentral()); err != nil {
			return err
		}
		w.list = append(w.list, p)
		if w.trace != nil {
			w.emit(Event{Kind: EventCentral, Unit: um.name, Stage: m.stages[s].name, Person: w.personOf(&w.list[len(w.list)-1])})
		}
	}
	w.o.in[s*U+u] = int32(len(w.list))
	for i := range w.list {
		p := &w.list[i]
		p.appeal = e.bias[p.typ] + e.appealSD*w.r.NormFloat64()
		if p.central {
			p.appeal += e.centralAppeal
		}
		p.votes = 0
		p.idx = int32(i)
	}
	// The ballot lists names by appeal, so a voter who must strike names
	// strikes the least appealing of those marked. Equal appeals keep list
	// order (a total order: the unstable sort gives the stable result).
	slices.SortFunc(w.list, func(a, b person) int {
		switch {
		case a.appeal > b.appeal:
			return -1
		case a.appeal < b.appeal:
			return 1
		}
		return int(a.idx - b.idx)
	})
	n := len(w.list)
	w.tFor = resize(w.tFor, n)
	w.qAbst = resize(w.qAbst, n)
	for i := range w.list {
		w.list[i].idx = int32(i)
		pFor := 1 / (1 + math.Exp(-(e.approvalLogit + w.list[i].appeal)))
		w.tFor[i] = stats.Threshold32(pFor)
		w.qAbst[i] = e.abstain
	}
	present := 0
	tTurn := stats.Threshold(um.turnout)
	for v := 0; v < um.voters; v++ {
		if stats.Bernoulli(w.r, tTurn) {
			present++
		}
	}
	w.o.votes.Present += int64(present)
	quorum := scenario.MinCount(e.quorum, true, um.voters)
	base := um.voters
	if !e.majorityOfAll {
		base = present
	}
	if w.trace != nil {
		w.emit(Event{Kind: EventCongress, Unit: um.name, Stage: m.stages[s].name, Entitled: um.voters, Present: present,
			Quorum: quorum, Met: boolPtr(present >= quorum), Base: base, Seats: um.seats, Candidates: n, Want: um.ballot})
	}
	if present < quorum {
		// No quorum: the congress cannot elect.
		w.o.unitFailed[u] = true
		w.o.votes.Failed++
		w.o.shortfall[s*U+u] += int32(um.seats)
		w.o.votes.Vacancies += int64(um.seats)
		if w.trace != nil {
			for i := range w.list {
				w.emitPerson(u, s, &w.list[i], w.list[i].state, workflow.NoTrigger, OutcomeDropped, ReasonNoQuorum)
			}
			w.emit(Event{Kind: EventVacancies, Unit: um.name, Stage: m.stages[s].name, Seats: um.seats})
		}
		w.list = w.list[:0]
		return nil
	}
	w.elected = resize(w.elected, n)
	clear(w.elected)
	w.all = w.all[:0]
	for i := range w.list {
		w.all = append(w.all, int32(i))
	}
	w.ev = electState{present: present, base: base}
	w.ev.filled = w.round(w.all, um.seats, present, base, e, e.revotes, u, s, RoundFirst, 1)
	return nil
}

// electState carries a congress across the actions of the unit machine:
// the first round (the elect stage's state) and each further round (the
// further_round state's action).
type electState struct {
	present, base int
	filled        int // seats filled so far
	rounds        int // further rounds held
}

// wantsFurtherRound reports whether unit u's congress at elect stage s
// holds another round: seats are unfilled, further rounds remain and some
// candidate is not yet elected.
func (w *worker) wantsFurtherRound(u, s int) bool {
	e := w.m.stages[s].elect
	if w.o.unitFailed[u] || w.ev.filled >= w.m.units[u].seats || w.ev.rounds >= e.furtherRounds {
		return false
	}
	for i := range w.list {
		if !w.elected[i] {
			return true
		}
	}
	return false
}

// furtherRound is the action of the further_round state of elect stage s:
// the candidates not yet elected move to the further round and vote for the
// seats left (另行选举).
func (w *worker) furtherRound(u, s int) error {
	m, um := w.m, &w.m.units[u]
	e := m.stages[s].elect
	wf := m.Workflow
	rest := w.all[:0]
	for i := range w.list {
		if !w.elected[i] {
			rest = append(rest, int32(i))
		}
	}
	w.o.votes.FurtherRounds++
	w.ev.rounds++
	for _, i := range rest {
		from := w.list[i].state
		if err := w.moveCandidate(&w.list[i], wf.CandidateFurtherRound(s)); err != nil {
			return err
		}
		if w.trace != nil {
			w.emitPerson(u, s, &w.list[i], from, wf.CandidateFurtherRound(s), OutcomeFurther, "")
		}
	}
	w.ev.filled += w.round(rest, um.seats-w.ev.filled, w.ev.present, w.ev.base, e, e.revotes, u, s, RoundFurther, w.ev.rounds)
	return nil
}

// closeElection ends unit u's congress at elect stage s: seats still empty
// stay vacant, the elected pass and the rest are defeated.
func (w *worker) closeElection(u, s int) error {
	m, um := w.m, &w.m.units[u]
	U := len(m.units)
	if w.o.unitFailed[u] {
		return nil // no quorum: the list is already empty
	}
	filled := w.ev.filled
	if filled < um.seats {
		w.o.votes.Vacancies += int64(um.seats - filled)
		w.o.shortfall[s*U+u] += int32(um.seats - filled)
	}
	if w.trace != nil {
		w.emit(Event{Kind: EventVacancies, Unit: um.name, Stage: m.stages[s].name, Seats: um.seats - filled})
	}
	n := len(w.list)
	w.selected = resize(w.selected, n)
	copy(w.selected, w.elected)
	return w.keepSelected(u, s, "defeated")
}

// round holds one vote on the candidates cands for seats seats and marks the
// winners in w.elected: more than half of base voters must vote for a winner;
// when more pass than seats, the most votes win and a tie at the last seat is
// re-voted (revotes times, then decided by lot). It returns the seats filled.
// kind and number name the round in the trace.
func (w *worker) round(cands []int32, seats, present, base int, e *electModel, revotes, u, s int, kind string, number int) int {
	if seats <= 0 || len(cands) == 0 {
		return 0
	}
	if w.trace != nil {
		w.emit(Event{Kind: EventRound, Unit: w.m.units[u].name, Stage: w.m.stages[s].name, Round: kind, Number: number,
			Seats: seats, Candidates: len(cands), Base: base, Threshold: base/2 + 1})
	}
	w.ballot(cands, seats, present)
	w.pass = w.pass[:0]
	for _, c := range cands {
		if passes(w.list[c].votes, base) {
			w.pass = append(w.pass, c)
		}
	}
	// Most votes first, ties in ballot order. A tie re-vote below reuses
	// w.pass; only tied (a fresh slice) is used after it, so sorting w.pass
	// in place is safe.
	w.keys = w.keys[:0]
	for _, c := range w.pass {
		w.keys = append(w.keys, sortKey{key: -float64(w.list[c].votes), idx: c})
	}
	sortKeys(w.keys)
	pass := w.pass
	for i, k := range w.keys {
		pass[i] = k.idx
	}
	if len(pass) <= seats {
		for _, c := range pass {
			w.elected[c] = true
		}
		if w.trace != nil {
			w.emitVotes(cands, seats, base, -1, u, s, len(pass), "")
		}
		return len(pass)
	}
	last := w.list[pass[seats-1]].votes
	sure := 0
	for sure < len(pass) && w.list[pass[sure]].votes > last {
		sure++
	}
	for _, c := range pass[:sure] {
		w.elected[c] = true
	}
	var tied []int32
	for _, c := range pass[sure:] {
		if w.list[c].votes == last {
			tied = append(tied, c)
		}
	}
	need := seats - sure
	if len(tied) == need {
		for _, c := range tied {
			w.elected[c] = true
		}
		if w.trace != nil {
			w.emitVotes(cands, seats, base, -1, u, s, seats, "")
		}
		return seats
	}
	if w.trace != nil {
		resolution := ResolveLot
		if revotes > 0 {
			resolution = RoundRevote
		}
		w.emitVotes(cands, seats, base, last, u, s, sure, resolution)
	}
	if revotes > 0 {
		got := w.round(tied, need, present, base, e, revotes-1, u, s, RoundRevote, 1)
		if got == need {
			return seats
		}
		// A re-vote that fails the majority leaves the tie to the lot below.
		for _, c := range tied {
			w.elected[c] = false
		}
	}
	// Lot: a deterministic shuffle from the trial's stream.
	w.r.Shuffle(len(tied), func(i, j int) { tied[i], tied[j] = tied[j], tied[i] })
	for _, c := range tied[:need] {
		w.elected[c] = true
	}
	if w.trace != nil {
		for k, c := range tied {
			v := VerdictNotDrawn
			if k < need {
				v = VerdictDrawn
			}
			w.emit(Event{Kind: EventLot, Unit: w.m.units[u].name, Stage: w.m.stages[s].name, Person: w.personOf(&w.list[c]),
				Votes: int(w.list[c].votes), Verdict: v, Seats: need})
		}
	}
	return seats
}

// passes reports whether votes are a majority of base voters.
func passes(votes int32, base int) bool { return 2*int(votes) > base }

// emitVotes reports every name's tally and verdict in the round just
// counted, and the round's end: elected names won seats, names with tie
// votes that passed are tied at the last seat (tie < 0: none) and go to
// resolution (revote or lot), other names that passed were outranked
// (tracing only).
func (w *worker) emitVotes(cands []int32, seats, base int, tie int32, u, s, elected int, resolution string) {
	un, st := w.m.units[u].name, w.m.stages[s].name
	for _, c := range cands {
		p := &w.list[c]
		v := VerdictBelow
		switch {
		case w.elected[c]:
			v = VerdictElected
		case !passes(p.votes, base):
		case p.votes == tie:
			v = VerdictTied
		default:
			v = VerdictOutranked
		}
		w.emit(Event{Kind: EventVote, Unit: un, Stage: st, Person: w.personOf(p), Votes: int(p.votes), Threshold: base/2 + 1, Seats: seats, Verdict: v})
	}
	w.emit(Event{Kind: EventRoundEnd, Unit: un, Stage: st, Seats: seats, Elected: elected, Resolution: resolution})
}

// ballot simulates every present voter's ballot over cands (in ballot order)
// and stores the for-votes in w.list[c].votes. A ballot with more "for" marks
// than seats is corrected by striking the lowest names with probability
// Discipline, and is otherwise invalid.
//
// Each voter's for/not-for decision on each name is one 32-bit uniform
// compared with the name's threshold, two decisions per 64-bit draw of a
// generator seeded from the trial's stream; marking is branch-free.
//
// Whether a name not voted for was abstained on or opposed changes no
// outcome; it is reported only as a share. Given the for-marks, each of the
// k-th name's non-for marks is an abstention with probability q_k =
// (P(for or abstain) − P(for)) / (1 − P(for)), so the tally adds the
// conditional expectation Σ_k (present − marks_k)·q_k in fixed point
// (Rao–Blackwell: the same mean as counting each mark, with less noise, and
// no second comparison per decision).
func (w *worker) ballot(cands []int32, seats, present int) {
	e := w.m.stages[w.m.electIdx].elect
	n := len(cands)
	w.bFor = resize(w.bFor, n)
	w.bStruck = resize(w.bStruck, n)
	clear(w.bStruck)
	for k, c := range cands {
		w.list[c].votes = 0
		w.bFor[k] = w.tFor[c]
	}
	w.marks = resize(w.marks, n+1)
	w.bVotes = resize(w.bVotes, n)
	clear(w.bVotes)
	tFor, marks, votes, struck := w.bFor[:n], w.marks[:n+1], w.bVotes[:n], w.bStruck[:n]
	discipline := stats.Threshold32(e.disciplineP)
	f := stats.NewFast(w.r.Uint64())
	var invalid int64
	for v := 0; v < present; v++ {
		m := 0
		k := 0
		for ; k+1 < n; k += 2 {
			x := f.Uint64()
			a, b := b2i(x&0xffffffff < tFor[k]), b2i(x>>32 < tFor[k+1])
			votes[k] += int32(a)
			votes[k+1] += int32(b)
			marks[m] = int32(k)
			m += a
			marks[m] = int32(k + 1)
			m += b
		}
		if k < n {
			a := b2i(f.Uint64()&0xffffffff < tFor[k])
			votes[k] += int32(a)
			marks[m] = int32(k)
			m += a
		}
		if m > seats {
			// Marks are in ballot order, most appealing first: a voter who
			// corrects strikes the last ones; otherwise the ballot is void.
			keep := seats
			if f.Uint64()&0xffffffff >= discipline {
				invalid++
				keep = 0
			}
			for _, k := range marks[keep:m] {
				votes[k]--
				struck[k]++
			}
		}
	}
	abst, against := 0.0, 0.0
	for k, c := range cands {
		w.list[c].votes = votes[k]
		notFor := float64(present - int(votes[k]) - int(struck[k]))
		q := w.qAbst[c]
		abst += notFor * q
		against += notFor * (1 - q)
	}
	w.o.votes.Abstentions1e6 += int64(math.Round(abst * 1e6))
	w.o.votes.Against1e6 += int64(math.Round(against * 1e6))
	w.o.votes.Invalid += invalid
	w.o.votes.Names += int64(present) * int64(n)
	w.o.votes.Ballots += int64(present)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

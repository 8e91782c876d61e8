package sim

import (
	"math"
	"math/bits"

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
	w.ranked = -1 // central candidates carry no rank, and the list is reordered
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
	// Sorting compact (appeal, index) pairs and moving each person once is
	// cheaper than sorting the people.
	w.keys = w.keys[:0]
	for i := range w.list {
		w.keys = append(w.keys, sortKey{key: -w.list[i].appeal, idx: int32(i)})
	}
	sortKeys(w.keys)
	w.next = w.next[:0]
	for _, k := range w.keys {
		w.next = append(w.next, w.list[k.idx])
	}
	w.list, w.next = w.next, w.list
	n := len(w.list)
	w.tFor = resize(w.tFor, n)
	w.qAbst = resize(w.qAbst, n)
	for i := range w.list {
		w.list[i].idx = int32(i)
		pFor := 1 / (1 + math.Exp(-(e.approvalLogit + w.list[i].appeal)))
		w.tFor[i] = stats.Threshold32(pFor)
		w.qAbst[i] = e.abstain
	}
	// Each entitled voter attends with probability turnout (to 2^-32, as a
	// ballot decision): two voters per draw of a generator seeded from the
	// stage's stream.
	present, _ := stats.NewFast(w.r.Uint64()).CountBelow(um.voters, stats.Threshold32(um.turnout))
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
	// w.pass; only tied (w.tiedStack) is used after it, so sorting w.pass
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
	// The tied names sit on a stack shared by the re-votes' own ties, so a
	// steady run allocates nothing (a re-vote may grow the stack; this
	// round's slice keeps its own copy).
	start := len(w.tiedStack)
	defer func() { w.tiedStack = w.tiedStack[:start] }()
	for _, c := range pass[sure:] {
		if w.list[c].votes == last {
			w.tiedStack = append(w.tiedStack, c)
		}
	}
	tied := w.tiedStack[start:]
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

// voterDraws draws one voter's decisions on the names of hi (the top
// threshold bits of four names per element, stats.Quad.Hi; at most
// maxQuads) from f: miss receives each element's not-for lanes and acc
// adds them. It returns the not-for lanes summed lane-wise (each lane at
// most len(hi)), the AND of the draws' clear words (stats.Lanes: a guard
// bit unset means a tie) and the generator. Ties are settled by the
// caller, which can replay the draws: the loop makes no call and no branch
// on the draws, so that its state stays in registers.
func voterDraws(hi, miss, acc []uint64, f stats.Fast) (cnt, noTie uint64, _ stats.Fast) {
	miss, acc = miss[:len(hi)], acc[:len(hi)]
	noTie = ^uint64(0)
	for i, h := range hi {
		var x uint64
		x, f = f.Next()
		m, c := stats.Lanes(x, h)
		noTie &= c
		miss[i] = m
		acc[i] += m
		cnt += m
	}
	return cnt, noTie, f
}

// voterBatch is what the vector voter loop (ballotVotersAVX2) reads and
// writes: a ballot's element arrays (hi, miss and acc padded to a multiple
// of four elements), its shape, and the voters to run, b.v up to b.end.
// The assembly knows the fields' offsets (TestVoterBatchLayout).
type voterBatch struct {
	hi, miss, acc, struck *uint64
	groups, rest          int    // whole groups of four elements; elements after them
	lanes, seats          int    // 4 · elements; seats
	discipline            uint64 // threshold of a correction (stats.Threshold32)
	s                     uint64 // the generator's state (stats.Fast)
	v, end                int    // the next voter; the end of the voters
	invalid               int64  // void ballots, added to
	misses                int    // a voter who tied: lanes not voted for (ties included)
	groups8               int    // whole groups of eight elements (AVX-512)
	rest8                 uint64 // 1 for each element after them, from bit 0
	advance               uint64 // the generator's state moved on by one voter's draws
	advance8              uint64 // … by the draws of its whole groups of eight
	lastStart, lastBit    int    // the last group of eight's first element; 4 · the last element's place in it
	dseed                 uint64 // the discipline draws' stream: voter v's is its (v+1)-th draw
}

// laneNibble gathers the low bits of a word's four 16-bit lanes into bits
// 48 to 51 of the product (lane j's bit to bit 48+j).
const laneNibble = 1<<48 | 1<<33 | 1<<18 | 1<<3

// topLanes[n][k] has 1 in the 16-bit lanes of the k highest bits of the
// nibble n (bit j: lane j), or of all its bits when it has no more than k:
// the last k marks of four names, which an over-marked ballot strikes.
var topLanes = func() (t [16][5]uint64) {
	for n := range t {
		for k := range 5 {
			for j, left := 3, k; j >= 0 && left > 0; j-- {
				if n>>j&1 == 1 {
					t[n][k] |= 1 << (16 * j)
					left--
				}
			}
		}
	}
	return t
}()

// maxQuads bounds the elements voterDraws takes: its count holds at most
// one per element in each 16-bit lane, and the four lanes are summed by a
// multiplication into the top lane, so they must total less than 2^16.
const maxQuads = 1<<14 - 1

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
// Each voter's for/not-for decision on each name succeeds with probability
// t/2^32 exactly (t from stats.Threshold32): four decisions per 64-bit draw
// of a generator seeded from the trial's stream, compared in 16-bit lanes
// (stats.Quad: 15 bits per decision; a lane equal to the threshold's top
// 15 bits draws 17 more). The not-for marks are counted in packed 16-bit
// lanes, one addition per four names, and the voter's marks are kept as
// the lane masks: only a voter who marks more names than seats reads them
// back, to strike or void, by a draw of a second stream seeded from the
// trial's (one per voter, whether used or not).
//
// On amd64 the voter loop runs in assembly (AVX-512 or AVX2, whichever the
// CPU has; ballotKernel), with the same draws and results as the portable
// loop below.
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
	nq := (n + 3) / 4
	np := (nq + 7) &^ 7 // see below
	w.bQuad = resize(w.bQuad, nq)
	w.bHi = resize(w.bHi, np)
	for i := range nq {
		var t [4]uint64 // names past the end never vote for
		for j := range 4 {
			if k := 4*i + j; k < n {
				t[j] = w.tFor[cands[k]]
			}
		}
		w.bQuad[i] = stats.NewQuad(t)
		w.bHi[i] = w.bQuad[i].Hi()
	}
	// The vector loops read and write whole groups of four or eight
	// elements: the slices are padded to a multiple of eight, the padding's
	// thresholds above every lane it is given (zero: not drawn, or masked).
	for i := nq; i < np; i++ {
		w.bHi[i] = 0x7fff_7fff_7fff_7fff
	}
	w.bMiss = resize(w.bMiss, np)
	w.bMissAcc = resize(w.bMissAcc, np)
	w.bStruckAcc = resize(w.bStruckAcc, nq)
	w.bVotes = resize(w.bVotes, 4*nq) // not-for marks until the end
	w.bStruck = resize(w.bStruck, 4*nq)
	clear(w.bVotes)
	clear(w.bStruck)
	quads, hi, miss, missAcc, struckAcc := w.bQuad[:nq], w.bHi[:nq], w.bMiss[:nq], w.bMissAcc[:nq], w.bStruckAcc[:nq]
	discipline := stats.Threshold32(e.disciplineP)
	vector := ballotKernel != kernelPortable && nq > 0 && nq <= maxQuads
	var b voterBatch
	if vector {
		b = voterBatch{
			hi: &w.bHi[0], miss: &w.bMiss[0], acc: &w.bMissAcc[0], struck: &w.bStruckAcc[0],
			groups: nq / 4, rest: nq % 4, lanes: 4 * nq, seats: seats, discipline: discipline,
			groups8: nq / 8, rest8: 1<<(nq%8) - 1, advance: stats.NewFast(0).Skip(uint64(nq)).State(),
			advance8:  stats.NewFast(0).Skip(uint64(nq &^ 7)).State(),
			lastStart: (nq - 1) &^ 7, lastBit: 4 * ((nq - 1) & 7),
		}
	}
	// A tally adds at most one per voter to a 16-bit lane: chunks of 2^16-1
	// voters keep every lane from overflowing.
	const lane = 1<<16 - 1
	f := stats.NewFast(w.r.Uint64())
	b.dseed = w.r.Uint64()
	var invalid int64
	for v0 := 0; v0 < present; v0 += lane {
		clear(w.bMissAcc)
		clear(struckAcc)
		end := min(present, v0+lane)
		for v := v0; v < end; v++ {
			misses := 0 // lanes of 4·nq, names past the end included
			f0 := f
			var cnt, noTie uint64
			switch {
			case vector:
				// Voters who tie stop the vector loop after their draws;
				// the rest of this iteration settles them.
				b.v, b.end, b.s = v, end, f.State()
				if ballotKernel == kernelAVX512 {
					ballotVotersAVX512(&b)
				} else {
					ballotVotersAVX2(&b)
				}
				v, f = b.v, stats.NewFast(b.s)
				if v == end {
					continue
				}
				f0 = f.Skip(-uint64(nq)) // the voter's first draw (mod 2^64)
				misses = b.misses
				noTie = 0
			case nq <= maxQuads:
				cnt, noTie, f = voterDraws(hi, miss, missAcc, f)
				misses = int((cnt * stats.QuadOnes) >> 48)
			default:
				// Over 65,532 names: the lanes of cnt are summed in parts.
				noTie = ^uint64(0)
				for c0 := 0; c0 < nq; c0 += maxQuads {
					c1 := min(nq, c0+maxQuads)
					var c uint64
					cnt, c, f = voterDraws(hi[c0:c1], miss[c0:c1], missAcc[c0:c1], f)
					misses += int((cnt * stats.QuadOnes) >> 48)
					noTie &= c
				}
			}
			if ^noTie&stats.QuadGuard != 0 {
				// Some lane tied (about one voter in 400 on an 80-name
				// ballot): replay the draws to find it and settle it with
				// fresh bits.
				for i := range nq {
					x := f0.Uint64()
					if _, tie := quads[i].Miss(x); tie != 0 {
						var m uint64
						m, f = quads[i].Resolve(x, miss[i], f)
						won := miss[i] &^ m // lanes that tied and voted for
						miss[i] = m
						missAcc[i] -= won
						misses -= bits.OnesCount64(won)
					}
				}
			}
			marks := 4*nq - misses
			if marks <= seats {
				continue
			}
			// Marks are in ballot order, most appealing first: a voter who
			// corrects strikes the last ones; otherwise the ballot is void.
			// Voter v's discipline draw is the (v+1)-th of a stream of its
			// own, so that the decisions' stream advances by the same draws
			// whether or not a voter over-marks (ties aside): the vector
			// loops start the next voter's draws without waiting for this
			// voter's count.
			strike := marks - seats
			if x, _ := stats.NewFast(b.dseed).Skip(uint64(v)).Next(); x&0xffffffff >= discipline {
				invalid++
				strike = marks
			}
			// From the end, element by element: the last min(strike, 4)
			// for-marks of names 4i..4i+3 by one lookup, without a branch
			// on how many there are.
			for i := nq - 1; strike > 0; i-- {
				hit := miss[i] ^ stats.QuadOnes
				hit = topLanes[hit*laneNibble>>48&0xf][min(strike, 4)]
				struckAcc[i] += hit
				strike -= bits.OnesCount64(hit)
			}
		}
		for i := range nq {
			for j := range 4 {
				w.bVotes[4*i+j] += int32(missAcc[i] >> (16 * j) & 0xffff)
				w.bStruck[4*i+j] += int32(struckAcc[i] >> (16 * j) & 0xffff)
			}
		}
	}
	abst, against := 0.0, 0.0
	for k, c := range cands {
		notFor := w.bVotes[k]
		w.list[c].votes = int32(present) - notFor - w.bStruck[k]
		q := w.qAbst[c]
		abst += float64(notFor) * q
		against += float64(notFor) * (1 - q)
	}
	w.o.votes.Abstentions1e6 += int64(math.Round(abst * 1e6))
	w.o.votes.Against1e6 += int64(math.Round(against * 1e6))
	w.o.votes.Invalid += invalid + b.invalid
	w.o.votes.Names += int64(present) * int64(n)
	w.o.votes.Ballots += int64(present)
}

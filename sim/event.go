package sim

import (
	"math"

	"simulate/scenario"
	"simulate/workflow"
)

// EventKind says what happened in a trial.
type EventKind string

// Event kinds, in the order a unit produces them; the trial's targets and
// its total come after the last unit.
const (
	EventUnitStart      EventKind = "unit_start"
	EventUnitTransition EventKind = "unit_transition"
	// EventCandidate is one person's passage through a stage (Outcome,
	// Reason, the candidate machine's move From --Trigger--> To), or, at
	// an elect stage, a move into a further round.
	EventCandidate EventKind = "candidate"
	// EventCentral is a centrally nominated candidate joining the ballot.
	EventCentral EventKind = "central"
	// EventCongress is the congress's attendance and quorum (Met).
	EventCongress EventKind = "congress"
	// EventRound opens a ballot round (Round: first, revote or further).
	EventRound EventKind = "round"
	// EventVote is one name's tally in the round just opened, with its Verdict.
	EventVote EventKind = "vote"
	// EventRoundEnd closes a round: Elected of Seats, and Resolution of a
	// tie at the last seat (revote or lot).
	EventRoundEnd EventKind = "round_end"
	// EventLot is one tied name's draw (Verdict drawn or not drawn).
	EventLot EventKind = "lot"
	// EventVacancies is the number of seats (Seats) an elect stage left vacant.
	EventVacancies EventKind = "vacancies"
	EventStageDone EventKind = "stage_done"
	// EventTarget is a target's outcome at the end of the trial.
	EventTarget EventKind = "target"
	// EventTrialDone is the trial's total: Elected of Seats.
	EventTrialDone EventKind = "trial_done"
)

// Outcomes of a person at a stage (Event.Outcome).
const (
	OutcomePassed   = "passed"
	OutcomeDropped  = "dropped"
	OutcomeReplaced = "replaced"      // sent back down at nomination
	OutcomeFurther  = "further_round" // moved into a further round
)

// Reasons a person passed or left a stage, besides the scenario's veto
// reasons (Event.Reason).
const (
	ReasonRecommended = "recommended"
	ReasonSentBack    = "sent back down"
	ReasonNotSelected = "not selected"
	ReasonDefeated    = "defeated"
	ReasonNoQuorum    = "no quorum"
)

// Ballot rounds (Event.Round) and their resolutions (Event.Resolution).
const (
	RoundFirst   = "first"
	RoundRevote  = "revote"
	RoundFurther = "further"
	ResolveLot   = "lot"
)

// Verdicts of a name in a round (Event.Verdict).
const (
	VerdictElected   = "elected"
	VerdictBelow     = "below majority"
	VerdictOutranked = "outranked"
	VerdictTied      = "tied"
	VerdictDrawn     = "drawn"
	VerdictNotDrawn  = "not drawn"
)

// Person is one candidate of a traced trial. ID is unique within the trial:
// people are numbered from 1 in the order they enter it (a nominee sent
// back down and the one replacing them are two people).
type Person struct {
	ID      int               `json:"id"`
	Traits  map[string]string `json:"traits"`
	Central bool              `json:"central,omitempty"`
}

// Event is one step of a traced trial. Only the fields meaningful for its
// Kind are set.
type Event struct {
	Kind    EventKind `json:"kind"`
	Unit    string    `json:"unit,omitempty"`
	Stage   string    `json:"stage,omitempty"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to,omitempty"`
	Trigger string    `json:"trigger,omitempty"`
	Person  *Person   `json:"person,omitempty"`
	Outcome string    `json:"outcome,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	// Entered and Left are a stage's list sizes; Want is the size the
	// stage aims at (nominate, select) or the local names the ballot needs
	// (congress); Shortfall the places or seats it left empty.
	Entered   int `json:"entered,omitempty"`
	Left      int `json:"left,omitempty"`
	Want      int `json:"want,omitempty"`
	Shortfall int `json:"shortfall,omitempty"`
	Seats     int `json:"seats,omitempty"`
	// Candidates are the names on the ballot (congress) or in a round.
	Candidates int `json:"candidates,omitempty"`
	Entitled   int `json:"entitled,omitempty"`
	Present    int `json:"present,omitempty"`
	// Quorum is the attendance the congress needs; Base the voters a
	// majority is counted of; Threshold the votes a name needs.
	Quorum    int `json:"quorum,omitempty"`
	Base      int `json:"base,omitempty"`
	Votes     int `json:"votes,omitempty"`
	Threshold int `json:"threshold,omitempty"`
	// Met says whether the quorum (congress) or a target was met.
	Met        *bool  `json:"met,omitempty"`
	Round      string `json:"round,omitempty"`
	Number     int    `json:"number,omitempty"`
	Verdict    string `json:"verdict,omitempty"`
	Elected    int    `json:"elected,omitempty"`
	Resolution string `json:"resolution,omitempty"`
	// Counts are, after a stage, the people matching each target's and
	// each tracked share's predicate (see [Counts]).
	Counts *Counts `json:"counts,omitempty"`
	// Target is a target's outcome (EventTarget).
	Target *TargetOutcome `json:"target,omitempty"`
}

// Counts are the matching people of a list, keyed by target or share name;
// ShareOf counts the denominators of shares restricted with `of`.
type Counts struct {
	Targets map[string]int `json:"targets,omitempty"`
	Shares  map[string]int `json:"shares,omitempty"`
	ShareOf map[string]int `json:"share_of,omitempty"`
}

// TargetOutcome is a target at the end of a trial, as the run counts it:
// Count matching people of Of over the units in scope, and for scope each
// every unit's own verdict.
type TargetOutcome struct {
	Name  string        `json:"name"`
	Scope string        `json:"scope"`
	Met   bool          `json:"met"`
	Count int           `json:"count"`
	Of    int           `json:"of"`
	Min   int           `json:"min"`           // least matching people that meet it (scope total)
	Max   *int          `json:"max,omitempty"` // most (nil: no maximum)
	Units []UnitOutcome `json:"units,omitempty"`
}

// UnitOutcome is one unit's part of a target of scope each.
type UnitOutcome struct {
	Unit  string `json:"unit"`
	Met   bool   `json:"met"`
	Count int    `json:"count"`
	Of    int    `json:"of"`
	Min   int    `json:"min"`
	Max   *int   `json:"max,omitempty"`
}

func boolPtr(b bool) *bool { return &b }

func maxPtr(hi int) *int {
	if hi == math.MaxInt {
		return nil
	}
	return &hi
}

// personOf describes p for an event (tracing only).
func (w *worker) personOf(p *person) *Person {
	if w.traits == nil {
		w.traits = make([]map[string]string, w.m.nTypes)
	}
	tm := w.traits[p.typ]
	if tm == nil {
		tm = make(map[string]string, len(w.m.Scenario.Traits))
		for t, tr := range w.m.Scenario.Traits {
			tm[tr.Name] = w.m.types.ValueName(int(p.typ), t)
		}
		w.traits[p.typ] = tm
	}
	return &Person{ID: int(p.id), Traits: tm, Central: p.central}
}

// emitPerson reports p's passage through stage s of unit u (tracing only):
// from is p's state before the move by trigger t ([workflow.NoTrigger]:
// no move).
func (w *worker) emitPerson(u, s int, p *person, from workflow.State, t workflow.Trigger, outcome, reason string) {
	cm := w.m.Workflow.Candidate
	e := Event{Kind: EventCandidate, Unit: w.m.units[u].name, Stage: w.m.stages[s].name, Person: w.personOf(p),
		Outcome: outcome, Reason: reason}
	if t != workflow.NoTrigger {
		e.From, e.Trigger, e.To = cm.States[from], cm.Triggers[t], cm.States[p.state]
	}
	if w.m.stages[s].kind == scenario.KindElect && outcome != OutcomeFurther {
		e.Votes = int(p.votes)
	}
	w.emit(e)
}

// stageCounts are the counts after stage s in unit u, from the trial's
// observation (tracing only).
func (w *worker) stageCounts(u, s int) *Counts {
	m := w.m
	v := view{m, &w.o, s}
	c := &Counts{Targets: map[string]int{}, Shares: map[string]int{}}
	for i := range m.targets {
		c.Targets[m.targets[i].t.Name] = v.count(u, m.targets[i].pred)
	}
	for i := range m.shares {
		sm := &m.shares[i]
		c.Shares[sm.s.Name] = v.count(u, sm.pred)
		if sm.of >= 0 {
			if c.ShareOf == nil {
				c.ShareOf = map[string]int{}
			}
			c.ShareOf[sm.s.Name] = v.count(u, sm.of)
		}
	}
	return c
}

// emitOutcome reports, after the last unit, every target as the run counts
// it (targetModel.meets on the final lists) and the seats filled.
func (w *worker) emitOutcome() {
	m := w.m
	last := view{m, &w.o, len(m.stages) - 1}
	for i := range m.targets {
		t := &m.targets[i]
		bad := map[int]bool{}
		to := &TargetOutcome{Name: t.t.Name, Scope: string(t.t.Scope)}
		to.Met = t.meets(last, func(u int) { bad[u] = true })
		for _, u := range t.units {
			c, n := last.count(u, t.pred), last.size(u)
			to.Count += c
			to.Of += n
			if t.t.Scope == scenario.ScopeEach {
				lo, hi := t.t.Bounds(n, m.units[u].memberShare[t.pred])
				to.Units = append(to.Units, UnitOutcome{Unit: m.units[u].name, Met: !bad[u], Count: c, Of: n, Min: lo, Max: maxPtr(hi)})
			}
		}
		if t.t.Scope != scenario.ScopeEach {
			lo, hi := t.t.Bounds(to.Of, 0)
			to.Min, to.Max = lo, maxPtr(hi)
		}
		w.emit(Event{Kind: EventTarget, Met: boolPtr(to.Met), Target: to})
	}
	elected := 0
	for u := range m.units {
		elected += last.size(u)
	}
	w.emit(Event{Kind: EventTrialDone, Seats: m.Scenario.Quota, Elected: elected})
}

// Trace simulates trial number trial of a run with seed and calls fn for every
// event. The trial is exactly trial number trial of Run with the same seed.
func Trace(m *Model, seed, trial uint64, fn func(Event)) error {
	w := newWorker(m)
	w.trace = fn
	if err := w.runTrial(seed, trial); err != nil {
		return err
	}
	w.emitOutcome()
	return nil
}

package sim

import "strings"

// EventKind says what happened in a trial.
type EventKind string

// Event kinds, in the order a unit produces them.
const (
	EventUnitStart      EventKind = "unit_start"
	EventUnitTransition EventKind = "unit_transition"
	EventCandidate      EventKind = "candidate"
	EventStageDone      EventKind = "stage_done"
	EventCongress       EventKind = "congress"
	EventVote           EventKind = "vote"
	EventRevote         EventKind = "revote"
)

// Event is one step of a traced trial. Only the fields meaningful for its
// Kind are set.
type Event struct {
	Kind    EventKind `json:"kind"`
	Unit    string    `json:"unit"`
	Stage   string    `json:"stage,omitempty"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to,omitempty"`
	Trigger string    `json:"trigger,omitempty"`
	// Person describes a candidate by their trait values.
	Person     string `json:"person,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Entered    int    `json:"entered,omitempty"`
	Left       int    `json:"left,omitempty"`
	Seats      int    `json:"seats,omitempty"`
	Candidates int    `json:"candidates,omitempty"`
	Entitled   int    `json:"entitled,omitempty"`
	Present    int    `json:"present,omitempty"`
	Votes      int    `json:"votes,omitempty"`
	Threshold  int    `json:"threshold,omitempty"`
}

// describe lists a person's trait values, e.g. "female, front_line, le45".
func (w *worker) describe(p *person) string {
	m := w.m
	parts := make([]string, 0, len(m.Scenario.Traits)+1)
	for t := range m.Scenario.Traits {
		parts = append(parts, m.types.ValueName(int(p.typ), t))
	}
	if p.central {
		parts = append(parts, "centrally nominated")
	}
	return strings.Join(parts, ", ")
}

// Trace simulates trial number trial of a run with seed and calls fn for every
// event. The trial is exactly trial number trial of Run with the same seed.
func Trace(m *Model, seed, trial uint64, fn func(Event)) error {
	w := newWorker(m)
	w.trace = fn
	return w.runTrial(seed, trial)
}

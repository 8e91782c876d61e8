package report

import (
	"fmt"
	"strings"

	"simulate/scenario"
	"simulate/sim"
	"simulate/workflow"
)

// The narrative groups the engine's events by unit and stage; it computes
// nothing the engine decides. A stage's list in is everyone the engine
// reported passing or leaving it, its list out those who passed.

// unitTrace is one unit's events.
type unitTrace struct {
	idx int
	// start are the unit transitions before the first stage.
	start  []sim.Event
	stages []*stageTrace
}

// stageTrace is one stage's events in one unit.
type stageTrace struct {
	idx int
	// people passed or left the stage (candidate events, in order).
	people []sim.Event
	// replaced were sent back down at nomination; central joined the ballot.
	replaced, central []sim.Event
	// moves are the candidate machine's moves of the stage, in order.
	moves []sim.Event
	// election holds, in order, the congress, round, vote, round_end and
	// lot events and the unit's further-round transitions.
	election  []sim.Event
	vacancies *sim.Event
	done      *sim.Event
	// after are the unit transitions fired after the stage.
	after []sim.Event
}

// passed returns the people who passed the stage, dropped those who left it.
func (st *stageTrace) passed() []sim.Event  { return st.withOutcome(sim.OutcomePassed) }
func (st *stageTrace) dropped() []sim.Event { return st.withOutcome(sim.OutcomeDropped) }

func (st *stageTrace) withOutcome(o string) []sim.Event {
	var out []sim.Event
	for _, e := range st.people {
		if e.Outcome == o {
			out = append(out, e)
		}
	}
	return out
}

// congress returns the stage's congress event, nil when it held none.
func (st *stageTrace) congress() *sim.Event {
	for k := range st.election {
		if st.election[k].Kind == sim.EventCongress {
			return &st.election[k]
		}
	}
	return nil
}

// group sorts a log's events into units and stages.
func group(sc *scenario.Scenario, events []sim.Event) ([]*unitTrace, error) {
	unitIdx := map[string]int{}
	for i, u := range sc.Units {
		unitIdx[u.Name] = i
	}
	stageIdx := map[string]int{}
	for i, s := range sc.Stages {
		stageIdx[s.Name] = i
	}
	units := make([]*unitTrace, len(sc.Units))
	current := make([]int, len(sc.Units)) // stage last referenced, -1: none
	for i := range units {
		units[i] = &unitTrace{idx: i, stages: make([]*stageTrace, len(sc.Stages))}
		for s := range units[i].stages {
			units[i].stages[s] = &stageTrace{idx: s}
		}
		current[i] = -1
	}
	for k, e := range events {
		u, ok := unitIdx[e.Unit]
		if !ok {
			return nil, fmt.Errorf("trace: event %d names unknown unit %q", k, e.Unit)
		}
		ut := units[u]
		if e.Stage != "" {
			s, ok := stageIdx[e.Stage]
			if !ok {
				return nil, fmt.Errorf("trace: event %d names unknown stage %q", k, e.Stage)
			}
			current[u] = s
		}
		var st *stageTrace
		if current[u] >= 0 {
			st = ut.stages[current[u]]
		}
		if st == nil && e.Kind != sim.EventUnitStart && e.Kind != sim.EventUnitTransition {
			return nil, fmt.Errorf("trace: %s event %d has no stage", e.Kind, k)
		}
		switch e.Kind {
		case sim.EventUnitStart:
		case sim.EventUnitTransition:
			switch {
			case st == nil:
				ut.start = append(ut.start, e)
			case strings.HasPrefix(e.Trigger, workflow.PrefixFurtherRound):
				st.election = append(st.election, e)
			default:
				st.after = append(st.after, e)
			}
		case sim.EventCandidate:
			if e.Trigger != "" {
				st.moves = append(st.moves, e)
			}
			switch e.Outcome {
			case sim.OutcomeReplaced:
				st.replaced = append(st.replaced, e)
			case sim.OutcomePassed, sim.OutcomeDropped:
				st.people = append(st.people, e)
			}
		case sim.EventCentral:
			st.central = append(st.central, e)
		case sim.EventCongress, sim.EventRound, sim.EventVote, sim.EventRoundEnd, sim.EventLot:
			st.election = append(st.election, e)
		case sim.EventVacancies:
			st.vacancies = &events[k]
		case sim.EventStageDone:
			st.done = &events[k]
		}
	}
	return units, nil
}

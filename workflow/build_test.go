package workflow

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

// fiveStages is a scenario shaped like the default process: nominate, inspect,
// preliminary list, reserve list, election.
func fiveStages() *scenario.Scenario {
	sc := &scenario.Scenario{
		Name: "five",
		Stages: []scenario.Stage{
			{Name: "nomination", Nominate: &scenario.NominateStage{NominationMode: scenario.NominationMode{Mode: scenario.ModeExpanded, Ratio: 0.4}}},
			{Name: "inspection", CandidateState: "inspected", DroppedState: "vetoed", Filter: &scenario.FilterStage{Vetoes: []scenario.Veto{{Reason: "political", Rate: 0.01}}}},
			{Name: "preliminary", Select: &scenario.SelectStage{}},
			{Name: "reserve", Select: &scenario.SelectStage{Size: scenario.ListSize{Ballot: true}}},
			{Name: "election", UnitState: "electing", Elect: &scenario.ElectStage{Surplus: 0.15, FurtherRounds: 1}},
		},
	}
	sc.ApplyDefaults()
	return sc
}

// reordered drops the select stages, puts the public notice before the
// inspection and reviews after the election, with custom state names.
func reordered() *scenario.Scenario {
	veto := &scenario.FilterStage{Vetoes: []scenario.Veto{{Reason: "x", Rate: 0.1}}}
	sc := &scenario.Scenario{
		Name: "reordered",
		Stages: []scenario.Stage{
			{Name: "nominate", UnitState: "nominating", CandidateState: "recommended", DroppedState: "passed_over", Nominate: &scenario.NominateStage{NominationMode: scenario.NominationMode{Mode: scenario.ModeFull}}},
			{Name: "publicity", Filter: veto},
			{Name: "inspection", Filter: veto},
			{Name: "vote", Elect: &scenario.ElectStage{}},
			{Name: "review", CandidateState: "seated", DroppedState: "disqualified", Filter: veto},
		},
	}
	sc.ApplyDefaults()
	return sc
}

func TestBuildStatesAndTriggers(t *testing.T) {
	tests := []struct {
		name                 string
		sc                   *scenario.Scenario
		unitStates, unitTrig []string
		candStates, candTrig []string
	}{
		{
			name: "five stages",
			sc:   fiveStages(),
			unitStates: []string{"allocated", "nomination", "inspection", "preliminary", "reserve",
				"electing", "further_round_election", "done", "failed"},
			unitTrig: []string{"start", "complete_nomination", "complete_inspection", "complete_preliminary",
				"complete_reserve", "complete_election", "further_round_election", "fail"},
			candStates: []string{"member", "nominated", "not_nominated", "inspected", "vetoed",
				"preliminary", "not_selected_preliminary", "reserve", "not_selected_reserve",
				"elected", "defeated", "further_round_election"},
			candTrig: []string{"pass_nomination", "drop_nomination", "pass_inspection", "drop_inspection",
				"pass_preliminary", "drop_preliminary", "pass_reserve", "drop_reserve",
				"pass_election", "drop_election", "further_round_election"},
		},
		{
			name: "dropped and reordered stages",
			sc:   reordered(),
			unitStates: []string{"allocated", "nominating", "publicity", "inspection", "vote",
				"further_round_vote", "review", "done", "failed"},
			unitTrig: []string{"start", "complete_nominate", "complete_publicity", "complete_inspection",
				"complete_vote", "further_round_vote", "complete_review", "fail"},
			candStates: []string{"member", "recommended", "passed_over", "cleared_publicity", "vetoed_publicity",
				"cleared_inspection", "vetoed_inspection", "elected", "defeated", "further_round_vote",
				"seated", "disqualified"},
			candTrig: []string{"pass_nominate", "drop_nominate", "pass_publicity", "drop_publicity",
				"pass_inspection", "drop_inspection", "pass_vote", "drop_vote", "further_round_vote",
				"pass_review", "drop_review"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Build(tt.sc)
			require.NoError(t, err)
			assert.Equal(t, "unit", w.Unit.Name)
			assert.Equal(t, "candidate", w.Candidate.Name)
			assert.Equal(t, tt.unitStates, w.Unit.States)
			assert.Equal(t, tt.unitTrig, w.Unit.Triggers)
			assert.Equal(t, tt.candStates, w.Candidate.States)
			assert.Equal(t, tt.candTrig, w.Candidate.Triggers)
			assert.Equal(t, "allocated", w.Unit.stateName(w.Unit.Initial))
			assert.Equal(t, "member", w.Candidate.stateName(w.Candidate.Initial))
			assert.Equal(t, w.Unit.Initial, w.Unit.Initial)
			assert.Equal(t, w.Candidate.Initial, w.CandidateMember())
			for i, st := range tt.sc.Stages {
				assert.Equal(t, st.Name, w.Stages[i])
				assert.Equal(t, st.UnitState, w.Unit.stateName(w.unitStage[i]))
				assert.Equal(t, "complete_"+st.Name, w.Unit.triggerName(w.UnitComplete(i)))
				assert.Equal(t, "pass_"+st.Name, w.Candidate.triggerName(w.CandidatePass(i)))
				assert.Equal(t, "drop_"+st.Name, w.Candidate.triggerName(w.CandidateDrop(i)))
				assert.Equal(t, st.CandidateState, w.Candidate.stateName(w.CandidatePassState(i)))
				assert.Equal(t, st.DroppedState, w.Candidate.stateName(w.CandidateDropState(i)))
				if st.Elect != nil {
					assert.Equal(t, "further_round_"+st.Name, w.Unit.triggerName(w.UnitFurtherRound(i)))
					assert.Equal(t, "further_round_"+st.Name, w.Unit.stateName(w.unitFurther[i]))
					assert.Equal(t, "further_round_"+st.Name, w.Candidate.triggerName(w.CandidateFurtherRound(i)))
					assert.Equal(t, "further_round_"+st.Name, w.Candidate.stateName(w.CandidateFurtherRoundState(i)))
				} else {
					assert.Equal(t, NoTrigger, w.UnitFurtherRound(i))
					assert.Equal(t, NoState, w.unitFurther[i])
					assert.Equal(t, NoTrigger, w.CandidateFurtherRound(i))
					assert.Equal(t, NoState, w.CandidateFurtherRoundState(i))
				}
			}
			assert.Equal(t, "start", w.Unit.triggerName(w.UnitStart()))
			assert.Equal(t, "fail", w.Unit.triggerName(w.UnitFail()))
			assert.Equal(t, "done", w.Unit.stateName(w.unitDone))
			assert.Equal(t, "failed", w.Unit.stateName(w.unitFailed))
			for _, m := range []*Machine{w.Unit, w.Candidate} {
				for i, name := range m.States {
					s, ok := m.stateByName(name)
					assert.True(t, ok)
					assert.Equal(t, State(i), s)
				}
				for i, name := range m.Triggers {
					tr, ok := m.triggerByName(name)
					assert.True(t, ok)
					assert.Equal(t, Trigger(i), tr)
				}
				_, ok := m.stateByName("nowhere")
				assert.False(t, ok)
				_, ok = m.triggerByName("nothing")
				assert.False(t, ok)
			}
		})
	}
}

// step is one firing by names; to == "" means the trigger is not permitted.
type step struct{ from, trigger, to string }

func TestTransitions(t *testing.T) {
	tests := []struct {
		name    string
		sc      *scenario.Scenario
		machine func(*Workflow) *Machine
		steps   []step
	}{
		{"five/unit", fiveStages(), unitOf, []step{
			{"allocated", "start", "nomination"},
			{"nomination", "complete_nomination", "inspection"},
			{"inspection", "complete_inspection", "preliminary"},
			{"reserve", "complete_reserve", "electing"},
			{"electing", "complete_election", "done"},
			{"electing", "further_round_election", "further_round_election"},
			{"further_round_election", "further_round_election", "further_round_election"},
			{"further_round_election", "complete_election", "done"},
			{"further_round_election", "fail", "failed"},
			{"nomination", "fail", "failed"},
			{"electing", "fail", "failed"},
			// illegal
			{"allocated", "complete_nomination", ""},
			{"allocated", "fail", ""},
			{"nomination", "start", ""},
			{"nomination", "complete_inspection", ""},
			{"inspection", "further_round_election", ""},
			{"reserve", "complete_election", ""},
			{"done", "start", ""},
			{"done", "fail", ""},
			{"failed", "complete_election", ""},
		}},
		{"five/candidate", fiveStages(), candidateOf, []step{
			{"member", "pass_nomination", "nominated"},
			{"member", "drop_nomination", "not_nominated"},
			{"nominated", "pass_inspection", "inspected"},
			{"nominated", "drop_inspection", "vetoed"},
			{"inspected", "pass_preliminary", "preliminary"},
			{"reserve", "pass_election", "elected"},
			{"reserve", "drop_election", "defeated"},
			{"reserve", "further_round_election", "further_round_election"},
			{"further_round_election", "further_round_election", "further_round_election"},
			{"further_round_election", "pass_election", "elected"},
			{"further_round_election", "drop_election", "defeated"},
			// illegal
			{"member", "pass_inspection", ""},
			{"nominated", "pass_nomination", ""},
			{"vetoed", "pass_preliminary", ""},
			{"inspected", "further_round_election", ""},
			{"elected", "pass_election", ""},
			{"elected", "drop_election", ""},
			{"defeated", "further_round_election", ""},
		}},
		{"reordered/unit", reordered(), unitOf, []step{
			{"allocated", "start", "nominating"},
			{"nominating", "complete_nominate", "publicity"},
			{"publicity", "complete_publicity", "inspection"},
			{"inspection", "complete_inspection", "vote"},
			{"vote", "further_round_vote", "further_round_vote"},
			{"further_round_vote", "complete_vote", "review"},
			{"review", "complete_review", "done"},
			{"review", "fail", "failed"},
			// illegal
			{"nominating", "complete_inspection", ""},
			{"vote", "complete_review", ""},
			{"review", "further_round_vote", ""},
		}},
		{"reordered/candidate", reordered(), candidateOf, []step{
			{"member", "pass_nominate", "recommended"},
			{"recommended", "pass_publicity", "cleared_publicity"},
			{"cleared_publicity", "drop_inspection", "vetoed_inspection"},
			{"cleared_inspection", "further_round_vote", "further_round_vote"},
			{"further_round_vote", "pass_vote", "elected"},
			{"elected", "pass_review", "seated"},
			{"elected", "drop_review", "disqualified"},
			// illegal
			{"recommended", "pass_inspection", ""},
			{"seated", "drop_review", ""},
			{"disqualified", "pass_review", ""},
			{"defeated", "pass_review", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Build(tt.sc)
			require.NoError(t, err)
			m := tt.machine(w)
			r := m.newRunner()
			for _, st := range tt.steps {
				from, ok := m.stateByName(st.from)
				require.True(t, ok, st.from)
				tr, ok := m.triggerByName(st.trigger)
				require.True(t, ok, st.trigger)
				got, err := m.Next(from, tr)
				r.reset(from)
				ferr := r.fire(tr)
				if st.to == "" {
					require.Error(t, err, "%s --%s-->", st.from, st.trigger)
					assert.ErrorIs(t, err, ErrNotPermitted)
					assert.Contains(t, err.Error(), `"`+st.from+`"`)
					assert.Contains(t, err.Error(), `"`+st.trigger+`"`)
					assert.Contains(t, err.Error(), m.Name+" machine")
					assert.Equal(t, from, got, "state unchanged on error")
					require.Error(t, ferr)
					assert.Equal(t, err.Error(), ferr.Error())
					var te *TransitionError
					require.ErrorAs(t, ferr, &te)
					assert.Equal(t, st.from, te.State)
					assert.Equal(t, st.trigger, te.Trigger)
					assert.Equal(t, from, r.state())
					continue
				}
				require.NoError(t, err, "%s --%s-->", st.from, st.trigger)
				assert.Equal(t, st.to, m.stateName(got), "%s --%s-->", st.from, st.trigger)
				require.NoError(t, ferr)
				assert.Equal(t, st.to, m.stateName(r.state()))
			}
		})
	}
}

func unitOf(w *Workflow) *Machine      { return w.Unit }
func candidateOf(w *Workflow) *Machine { return w.Candidate }

func TestTerminalAndPermitted(t *testing.T) {
	w, err := Build(fiveStages())
	require.NoError(t, err)
	names := func(m *Machine, ts []Trigger) []string {
		var out []string
		for _, t := range ts {
			out = append(out, m.triggerName(t))
		}
		return out
	}
	u, c := w.Unit, w.Candidate
	tests := []struct {
		m         *Machine
		state     string
		terminal  bool
		permitted []string
	}{
		{u, "allocated", false, []string{"start"}},
		{u, "electing", false, []string{"complete_election", "further_round_election", "fail"}},
		{u, "further_round_election", false, []string{"complete_election", "further_round_election", "fail"}},
		{u, "inspection", false, []string{"complete_inspection", "fail"}},
		{u, "done", true, nil},
		{u, "failed", true, nil},
		{c, "member", false, []string{"pass_nomination", "drop_nomination"}},
		{c, "reserve", false, []string{"pass_election", "drop_election", "further_round_election"}},
		{c, "elected", true, nil},
		{c, "defeated", true, nil},
		{c, "vetoed", true, nil},
		{c, "not_nominated", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.m.Name+"/"+tt.state, func(t *testing.T) {
			s, ok := tt.m.stateByName(tt.state)
			require.True(t, ok)
			assert.Equal(t, tt.terminal, tt.m.Terminal(s))
			assert.Equal(t, tt.permitted, names(tt.m, tt.m.permitted(s)))
		})
	}
	assert.True(t, u.Terminal(NoState))
	assert.Empty(t, u.permitted(State(len(u.States))))
}

func TestOutOfRange(t *testing.T) {
	w, err := Build(fiveStages())
	require.NoError(t, err)
	m := w.Unit
	for _, tt := range []struct {
		s    State
		t    Trigger
		want string
	}{
		{m.Initial, NoTrigger, `trigger "#-1" is not permitted in state "allocated"`},
		{m.Initial, Trigger(len(m.Triggers)), `trigger "#8" is not permitted in state "allocated"`},
		{NoState, 0, `trigger "start" is not permitted in state "#-1"`},
		{State(len(m.States)), 0, `trigger "start" is not permitted in state "#9"`},
	} {
		got, err := m.Next(tt.s, tt.t)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tt.want)
		assert.Equal(t, tt.s, got)
	}
	r := m.newRunner()
	require.Error(t, r.fire(NoTrigger))
	require.Error(t, r.fire(w.UnitFurtherRound(0)), "further round of a non-elect stage")
	r.reset(NoState)
	require.Error(t, r.fire(w.UnitStart()))
	assert.Equal(t, NoState, r.state())
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*scenario.Scenario) *scenario.Scenario
		errors []string
	}{
		{"nil", func(*scenario.Scenario) *scenario.Scenario { return nil }, []string{"no scenario"}},
		{"no stages", func(sc *scenario.Scenario) *scenario.Scenario { sc.Stages = nil; return sc }, []string{"no stages"}},
		{"duplicate stage", func(sc *scenario.Scenario) *scenario.Scenario {
			sc.Stages[3].Name = "preliminary"
			return sc
		}, []string{`stages[3].name "preliminary" is already the name of stages[2]`}},
		{"empty stage name", func(sc *scenario.Scenario) *scenario.Scenario { sc.Stages[1].Name = ""; return sc }, []string{"stages[1].name is empty"}},
		{"no kind", func(sc *scenario.Scenario) *scenario.Scenario {
			sc.Stages[1].Select = &scenario.SelectStage{}
			return sc
		}, []string{"stages[1] (inspection) needs exactly one of"}},
		{"defaults not applied", func(*scenario.Scenario) *scenario.Scenario {
			return &scenario.Scenario{Stages: []scenario.Stage{{Name: "n", Nominate: &scenario.NominateStage{}}}}
		}, []string{"stages[0].unit_state is empty", "stages[0].candidate_state is empty", "stages[0].dropped_state is empty"}},
		{"unit state clash", func(sc *scenario.Scenario) *scenario.Scenario {
			sc.Stages[2].UnitState = "nomination"
			sc.Stages[3].UnitState = "done"
			return sc
		}, []string{
			`unit machine: state "nomination" of stages[2].unit_state is already used by stages[0].unit_state`,
			`unit machine: state "done" of stages[3].unit_state is already used by a built-in state`,
		}},
		{"further round clash", func(sc *scenario.Scenario) *scenario.Scenario {
			sc.Stages[3].UnitState = "further_round_election"
			return sc
		}, []string{`unit machine: state "further_round_election" of stages[4] (further round) is already used by stages[3].unit_state`}},
		{"candidate state clash", func(sc *scenario.Scenario) *scenario.Scenario {
			sc.Stages[1].CandidateState = "member"
			sc.Stages[2].DroppedState = "vetoed"
			return sc
		}, []string{
			`candidate machine: state "member" of stages[1].candidate_state is already used by a built-in state`,
			`candidate machine: state "vetoed" of stages[2].dropped_state is already used by stages[1].dropped_state`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Build(tt.edit(fiveStages()))
			require.Error(t, err)
			assert.Nil(t, w)
			for _, want := range tt.errors {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestNewMachineErrors(t *testing.T) {
	tests := []struct {
		name     string
		states   []string
		triggers []string
		initial  State
		edges    []Edge
		actions  []int
		want     string
	}{
		{"ambiguous", []string{"a", "b", "c"}, []string{"go"}, 0, []Edge{{0, 0, 1}, {0, 0, 2}}, nil,
			`trigger "go" leads from state "a" to both "b" and "c"`},
		{"outside", []string{"a"}, []string{"go"}, 0, []Edge{{0, 0, 3}}, nil, `edge a --go--> #3 is outside the machine`},
		{"initial", []string{"a"}, []string{"go"}, 2, nil, nil, `initial state #2 is not a state`},
		{"dup state", []string{"a", "a"}, []string{"go"}, 0, nil, nil, `state "a" is defined twice`},
		{"dup trigger", []string{"a"}, []string{"go", "go"}, 0, nil, nil, `trigger "go" is defined twice`},
		{"empty names", []string{""}, []string{""}, 0, nil, nil, `state #0 has no name`},
		{"actions", []string{"a", "b"}, []string{"go"}, 0, []Edge{{0, 0, 1}}, []int{0}, `1 actions for 2 states`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMachine(Definition{Name: "test", States: tt.states, Triggers: tt.triggers, Initial: tt.initial, Edges: tt.edges, Actions: tt.actions})
			require.Error(t, err)
			assert.Nil(t, m)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestUnitPathAndActions fires a unit's whole pipeline, with two further
// rounds, through stateless and through the table, and checks the states
// visited and the stage model each of them runs on entry.
func TestUnitPathAndActions(t *testing.T) {
	w, err := Build(fiveStages())
	require.NoError(t, err)
	m := w.Unit
	r := m.newRunner()
	el := 4
	seq := []Trigger{w.UnitStart(), w.UnitComplete(0), w.UnitComplete(1), w.UnitComplete(2), w.UnitComplete(3),
		w.UnitFurtherRound(el), w.UnitFurtherRound(el), w.UnitComplete(el)}
	wantStates := []State{w.unitStage[0], w.unitStage[1], w.unitStage[2], w.unitStage[3], w.unitStage[4],
		w.unitFurther[el], w.unitFurther[el], w.unitDone}
	wantActions := []int{0, 1, 2, 3, 4, el, el, -1} // a further round runs the election again
	s := m.Initial
	assert.Equal(t, -1, m.Action(s))
	for i, tr := range seq {
		require.NoError(t, r.fire(tr))
		s, err = m.Next(s, tr)
		require.NoError(t, err)
		assert.Equal(t, wantStates[i], s, "step %d", i)
		assert.Equal(t, s, r.state(), "step %d", i)
		assert.Equal(t, wantActions[i], m.Action(s), "action of %s", m.stateName(s))
	}
	assert.True(t, m.Terminal(s))
	err = r.fire(w.UnitFail())
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrNotPermitted))
	assert.Equal(t, -1, m.Action(NoState))
	assert.Equal(t, -1, w.Candidate.Action(w.Candidate.Initial), "the candidate machine runs no model")
}

// stateByName and triggerByName look a name up, for tests that name states
// and triggers.
func (m *Machine) stateByName(name string) (State, bool) {
	s, ok := m.stateIdx[name]
	if !ok {
		return NoState, false
	}
	return s, true
}

func (m *Machine) triggerByName(name string) (Trigger, bool) {
	t, ok := m.trigIdx[name]
	if !ok {
		return NoTrigger, false
	}
	return t, true
}

package sim_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
	"simulate/sim"
	"simulate/workflow"
)

// edit describes a change to one machine of a compiled workflow: edges is
// given the machine's edges and returns the edges of the variant.
type edit struct {
	machine string // "unit" or "candidate"
	edges   func(m *workflow.Machine, edges []workflow.Edge) []workflow.Edge
}

// variant returns a copy of m whose workflow has the edited machine, defined
// through the workflow API from the original's definition.
func variant(t *testing.T, m *sim.Model, e edit) *sim.Model {
	t.Helper()
	wf := *m.Workflow
	target := &wf.Unit
	if e.machine == "candidate" {
		target = &wf.Candidate
	}
	old := *target
	actions := make([]int, len(old.States))
	for s := range actions {
		actions[s] = old.Action(workflow.State(s))
	}
	nm, err := workflow.NewMachine(workflow.Definition{
		Name: old.Name, States: old.States, Triggers: old.Triggers, Initial: old.Initial,
		Edges: e.edges(old, old.Edges()), Actions: actions,
	})
	require.NoError(t, err)
	*target = nm
	v := *m
	v.Workflow = &wf
	return &v
}

func state(t *testing.T, m *workflow.Machine, name string) workflow.State {
	t.Helper()
	i := slices.Index(m.States, name)
	require.GreaterOrEqual(t, i, 0, "no state %q", name)
	return workflow.State(i)
}

func trigger(t *testing.T, m *workflow.Machine, name string) workflow.Trigger {
	t.Helper()
	i := slices.Index(m.Triggers, name)
	require.GreaterOrEqual(t, i, 0, "no trigger %q", name)
	return workflow.Trigger(i)
}

// without drops the edge leaving from by trigger.
func without(t *testing.T, from, trig string) func(*workflow.Machine, []workflow.Edge) []workflow.Edge {
	return func(m *workflow.Machine, edges []workflow.Edge) []workflow.Edge {
		f, tr := state(t, m, from), trigger(t, m, trig)
		out := slices.DeleteFunc(edges, func(e workflow.Edge) bool { return e.From == f && e.Trigger == tr })
		require.Len(t, out, len(edges)-1, "no edge %s --%s-->", from, trig)
		return out
	}
}

// redirect makes the edge leaving from by trigger lead to to.
func redirect(t *testing.T, from, trig, to string) func(*workflow.Machine, []workflow.Edge) []workflow.Edge {
	return func(m *workflow.Machine, edges []workflow.Edge) []workflow.Edge {
		f, tr, d := state(t, m, from), trigger(t, m, trig), state(t, m, to)
		found := false
		for i := range edges {
			if edges[i].From == f && edges[i].Trigger == tr {
				edges[i].To, found = d, true
			}
		}
		require.True(t, found, "no edge %s --%s-->", from, trig)
		return edges
	}
}

// TestImpermissibleMoveIsAnError runs trials of the teaching scenario on
// machines that forbid a move the pipeline makes, or that send a unit where
// the pipeline cannot go on: the run fails with the machine's refusal
// instead of carrying on.
func TestImpermissibleMoveIsAnError(t *testing.T) {
	base, err := sim.Compile(embedded(t, "teaching"))
	require.NoError(t, err)
	tests := []struct {
		name  string
		edits []edit
		want  []string
		// stuck: the unit reaches a state with no way on, rather than
		// firing a trigger the machine refuses.
		stuck bool
	}{
		{
			name:  "unit cannot complete a stage",
			edits: []edit{{"unit", without(t, "inspection", "complete_inspection")}},
			want:  []string{`unit machine: trigger "complete_inspection" is not permitted in state "inspection"`},
		},
		{
			name:  "unit cannot start",
			edits: []edit{{"unit", without(t, "allocated", "start")}},
			want:  []string{`unit machine: trigger "start" is not permitted in state "allocated"`},
		},
		{
			// The machine, not a loop over the stage list, decides which stage
			// runs next: skipping the inspection sends nominees to the
			// preliminary list, which the candidate machine refuses.
			name:  "unit skips a stage",
			edits: []edit{{"unit", redirect(t, "nomination", "complete_nomination", "preliminary")}},
			want:  []string{`candidate machine: trigger "pass_preliminary" is not permitted in state "nominated"`},
		},
		{
			name:  "unit stops in a state that runs nothing",
			edits: []edit{{"unit", redirect(t, "publicity", "complete_publicity", "allocated")}},
			want:  []string{`state "allocated" is not terminal and runs no further stage`},
			stuck: true,
		},
		{
			name:  "candidate cannot be nominated",
			edits: []edit{{"candidate", without(t, "member", "pass_nomination")}},
			want:  []string{`candidate machine: trigger "pass_nomination" is not permitted in state "member"`},
		},
		{
			name:  "candidate cannot be elected",
			edits: []edit{{"candidate", without(t, "reserve", "pass_election")}},
			want:  []string{`candidate machine: trigger "pass_election" is not permitted in state "reserve"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base
			for _, e := range tt.edits {
				m = variant(t, m, e)
			}
			for _, workers := range []int{1, 2} {
				_, err := sim.Run(context.Background(), m, sim.Options{Trials: 20, Seed: 1, Workers: workers})
				require.Error(t, err)
				if !tt.stuck {
					require.ErrorIs(t, err, workflow.ErrNotPermitted, "%v", err)
				}
				for _, w := range tt.want {
					assert.Contains(t, err.Error(), w)
				}
				assert.Regexp(t, `^trial \d+: unit \S`, err.Error())
			}
			// The unedited machines run the same trials.
			_, err := sim.Run(context.Background(), base, sim.Options{Trials: 20, Seed: 1, Workers: 1})
			require.NoError(t, err)
		})
	}
}

// TestStageListOutOfOrderIsRefusedByTheMachine bypasses validation (which
// requires the first stage to nominate) with a stage list whose nominate
// stage comes second: its nominees start as members, and the candidate
// machine only lets members into the first stage.
func TestStageListOutOfOrderIsRefusedByTheMachine(t *testing.T) {
	sc := embedded(t, "teaching")
	require.Equal(t, scenario.KindNominate, sc.Stages[0].Kind())
	sc.Stages[0], sc.Stages[1] = sc.Stages[1], sc.Stages[0]
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	_, err = sim.Run(context.Background(), m, sim.Options{Trials: 1, Seed: 1, Workers: 1})
	require.ErrorIs(t, err, workflow.ErrNotPermitted)
	assert.Contains(t, err.Error(), `candidate machine: trigger "pass_nomination" is not permitted in state "member"`)
}

// TestTraceFollowsTheDrawnMachine traces trials of every embedded scenario
// and requires each unit transition fired to be an edge of the unit
// machine's DOT diagram (what simulate graph prints), and every stage the
// pipeline ran to be the action of the state its unit was in.
func TestTraceFollowsTheDrawnMachine(t *testing.T) {
	for _, name := range configs.Names() {
		t.Run(name, func(t *testing.T) {
			sc := embedded(t, name)
			m, err := sim.Compile(sc)
			require.NoError(t, err)
			um := m.Workflow.Unit
			dot := strings.Split(um.DOT(), "\n")
			drawn := func(from, trig, to string) bool {
				for _, l := range dot {
					if strings.HasPrefix(l, "\t"+from+" -> "+to+" [") && strings.Contains(l, ">"+trig+"<") {
						return true
					}
				}
				return false
			}
			fired := map[string]bool{}
			for trial := range uint64(3) {
				unitState := map[string]string{}
				require.NoError(t, sim.Trace(m, sc.Run.Seed, trial, func(e sim.Event) {
					switch e.Kind {
					case sim.EventUnitTransition:
						assert.True(t, drawn(e.From, e.Trigger, e.To), "%s --%s--> %s is not drawn", e.From, e.Trigger, e.To)
						unitState[e.Unit] = e.To
						fired[e.Trigger] = true
					case sim.EventStageDone:
						s := slices.IndexFunc(m.Scenario.Stages, func(st scenario.Stage) bool { return st.Name == e.Stage })
						st := state(t, um, unitState[e.Unit])
						if a := um.Action(st); a >= 0 {
							assert.Equal(t, s, a, "stage %s ran in state %s", e.Stage, unitState[e.Unit])
						} else {
							// Only an elect stage's further rounds leave its state.
							assert.Equal(t, "further_round_"+e.Stage, unitState[e.Unit])
						}
					}
				}))
			}
			for _, st := range m.Scenario.Stages {
				assert.True(t, fired["complete_"+st.Name], "complete_%s never fired", st.Name)
			}
		})
	}
}

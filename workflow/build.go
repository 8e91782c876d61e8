package workflow

import (
	"errors"
	"fmt"

	"simulate/scenario"
)

// Built-in state and trigger names, and the prefixes of per-stage names.
const (
	StateAllocated = "allocated"
	StateDone      = "done"
	StateFailed    = "failed"
	StateMember    = "member"

	TriggerStart   = "start"
	TriggerFail    = "fail"
	TriggerCentral = "nominate_centrally"

	PrefixComplete     = "complete_"
	PrefixFurtherRound = "further_round_"
	PrefixPass         = "pass_"
	PrefixDrop         = "drop_"
)

// Workflow holds the two machines of a scenario and maps its stages (by index
// into the scenario's Stages) to their states and triggers.
type Workflow struct {
	// Unit is the electoral unit's pipeline; Candidate is a candidate's lifecycle.
	Unit, Candidate *Machine
	// Stages are the stage names, in pipeline order.
	Stages []string

	unitStart, unitFail                Trigger
	unitDone, unitFailed               State
	unitStage, unitFurther             []State
	unitComplete, unitFurtherT         []Trigger
	candPass, candDrop, candFurtherT   []Trigger
	candPassS, candDropS, candFurtherS []State
	candCentral                        Trigger
}

// Build builds both machines from the scenario's stage list. The scenario
// should have had ApplyDefaults applied and be valid; Build still checks what
// the machines depend on (stage names, state names, uniqueness) and returns
// every problem as an error instead of panicking.
func Build(sc *scenario.Scenario) (*Workflow, error) {
	if sc == nil {
		return nil, errors.New("workflow: no scenario")
	}
	n := len(sc.Stages)
	if n == 0 {
		return nil, errors.New("workflow: the scenario has no stages")
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf("workflow: "+format, args...)) }
	seen := map[string]int{}
	for i := range sc.Stages {
		st := &sc.Stages[i]
		p := fmt.Sprintf("stages[%d]", i)
		if st.Name == "" {
			fail("%s.name is empty", p)
		} else if j, dup := seen[st.Name]; dup {
			fail("%s.name %q is already the name of stages[%d]", p, st.Name, j)
		} else {
			seen[st.Name] = i
		}
		if st.Kind() == "" {
			fail("%s (%s) needs exactly one of nominate, filter, select or elect", p, st.Name)
		}
		for _, f := range []struct{ field, v string }{
			{"unit_state", st.UnitState}, {"candidate_state", st.CandidateState}, {"dropped_state", st.DroppedState},
		} {
			if f.v == "" {
				fail("%s.%s is empty (were the scenario's defaults applied?)", p, f.field)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	w := &Workflow{
		Stages:       make([]string, n),
		unitStage:    make([]State, n),
		unitFurther:  make([]State, n),
		unitComplete: make([]Trigger, n),
		unitFurtherT: make([]Trigger, n),
		candPass:     make([]Trigger, n),
		candDrop:     make([]Trigger, n),
		candFurtherT: make([]Trigger, n),
		candPassS:    make([]State, n),
		candDropS:    make([]State, n),
		candFurtherS: make([]State, n),
	}
	for i := range sc.Stages {
		w.Stages[i] = sc.Stages[i].Name
	}

	// Unit pipeline.
	u := newDef("unit", StateAllocated, StateDone, StateFailed)
	allocated := u.builtin(StateAllocated)
	w.unitStart = u.trigger(TriggerStart)
	for i := range sc.Stages {
		st := &sc.Stages[i]
		w.unitStage[i] = u.state(st.UnitState, fmt.Sprintf("stages[%d].unit_state", i))
		u.action(w.unitStage[i], i)
		w.unitFurther[i], w.unitFurtherT[i] = NoState, NoTrigger
		if st.Elect != nil {
			w.unitFurther[i] = u.state(PrefixFurtherRound+st.Name, fmt.Sprintf("stages[%d] (further round)", i))
			u.action(w.unitFurther[i], i) // a further round of the same election
		}
		w.unitComplete[i] = u.trigger(PrefixComplete + st.Name)
		if st.Elect != nil {
			w.unitFurtherT[i] = u.trigger(PrefixFurtherRound + st.Name)
		}
	}
	w.unitDone = u.builtin(StateDone)
	w.unitFailed = u.builtin(StateFailed)
	w.unitFail = u.trigger(TriggerFail)
	u.edge(allocated, w.unitStart, w.unitStage[0])
	for i := range sc.Stages {
		next := w.unitDone
		if i+1 < n {
			next = w.unitStage[i+1]
		}
		u.edge(w.unitStage[i], w.unitComplete[i], next)
		if fr := w.unitFurther[i]; fr != NoState {
			u.edge(w.unitStage[i], w.unitFurtherT[i], fr)
		}
		u.edge(w.unitStage[i], w.unitFail, w.unitFailed)
		if fr := w.unitFurther[i]; fr != NoState {
			u.edge(fr, w.unitFurtherT[i], fr)
			u.edge(fr, w.unitComplete[i], next)
			u.edge(fr, w.unitFail, w.unitFailed)
		}
	}

	// Candidate lifecycle.
	c := newDef("candidate", StateMember)
	member := c.builtin(StateMember)
	for i := range sc.Stages {
		st := &sc.Stages[i]
		w.candPassS[i] = c.state(st.CandidateState, fmt.Sprintf("stages[%d].candidate_state", i))
		w.candDropS[i] = c.state(st.DroppedState, fmt.Sprintf("stages[%d].dropped_state", i))
		w.candFurtherS[i], w.candFurtherT[i] = NoState, NoTrigger
		if st.Elect != nil {
			w.candFurtherS[i] = c.state(PrefixFurtherRound+st.Name, fmt.Sprintf("stages[%d] (further round)", i))
		}
		w.candPass[i] = c.trigger(PrefixPass + st.Name)
		w.candDrop[i] = c.trigger(PrefixDrop + st.Name)
		if st.Elect != nil {
			w.candFurtherT[i] = c.trigger(PrefixFurtherRound + st.Name)
		}
	}
	from := member
	for i := range sc.Stages {
		c.edge(from, w.candPass[i], w.candPassS[i])
		c.edge(from, w.candDrop[i], w.candDropS[i])
		if fr := w.candFurtherS[i]; fr != NoState {
			c.edge(from, w.candFurtherT[i], fr)
			c.edge(fr, w.candFurtherT[i], fr)
			c.edge(fr, w.candPass[i], w.candPassS[i])
			c.edge(fr, w.candDrop[i], w.candDropS[i])
		}
		from = w.candPassS[i]
	}
	// Centrally nominated candidates join the ballot of an elect stage
	// straight from membership, in the state the stage before it passes on.
	w.candCentral = NoTrigger
	if hasCentral(sc) {
		for i := 1; i < n; i++ {
			if sc.Stages[i].Elect != nil {
				w.candCentral = c.trigger(TriggerCentral)
				c.edge(member, w.candCentral, w.candPassS[i-1])
			}
		}
	}

	errs = append(u.errs, c.errs...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var err error
	if w.Unit, err = NewMachine(u.definition(allocated)); err != nil {
		return nil, err
	}
	if w.Candidate, err = NewMachine(c.definition(member)); err != nil {
		return nil, err
	}
	return w, nil
}

// CandidateCentral is the trigger by which a centrally nominated candidate
// joins the ballot (member → the state before the election); [NoTrigger]
// when no unit has central candidates.
func (w *Workflow) CandidateCentral() Trigger { return w.candCentral }

func hasCentral(sc *scenario.Scenario) bool {
	for _, u := range sc.Units {
		if u.Central > 0 {
			return true
		}
	}
	return false
}

// UnitStart is the trigger that starts the pipeline (allocated → first stage).
func (w *Workflow) UnitStart() Trigger { return w.unitStart }

// UnitComplete is the trigger that completes stage i (to the next stage's
// state, or done after the last stage).
func (w *Workflow) UnitComplete(i int) Trigger { return w.unitComplete[i] }

// UnitFurtherRound is the trigger that sends an elect stage i into (or again
// into) its further round; it is [NoTrigger] for other stages.
func (w *Workflow) UnitFurtherRound(i int) Trigger { return w.unitFurtherT[i] }

// UnitFurtherRoundState is the unit's state during the further rounds of
// elect stage i; [NoState] for other stages.
func (w *Workflow) UnitFurtherRoundState(i int) State { return w.unitFurther[i] }

// UnitFail is the trigger that fails the pipeline from any stage.
func (w *Workflow) UnitFail() Trigger { return w.unitFail }

// CandidateMember is a candidate's initial state.
func (w *Workflow) CandidateMember() State { return w.Candidate.Initial }

// CandidatePass is the trigger by which a candidate passes stage i.
func (w *Workflow) CandidatePass(i int) Trigger { return w.candPass[i] }

// CandidateDrop is the trigger by which a candidate is dropped at stage i.
func (w *Workflow) CandidateDrop(i int) Trigger { return w.candDrop[i] }

// CandidateFurtherRound is the trigger that puts a candidate into (or again
// into) the further round of an elect stage i; it is [NoTrigger] for other
// stages.
func (w *Workflow) CandidateFurtherRound(i int) Trigger { return w.candFurtherT[i] }

// CandidatePassState is a candidate's state after passing stage i.
func (w *Workflow) CandidatePassState(i int) State { return w.candPassS[i] }

// CandidateDropState is a candidate's (terminal) state after being dropped at
// stage i.
func (w *Workflow) CandidateDropState(i int) State { return w.candDropS[i] }

// CandidateFurtherRoundState is a candidate's state while in the further round
// of an elect stage i; it is [NoState] for other stages.
func (w *Workflow) CandidateFurtherRoundState(i int) State { return w.candFurtherS[i] }

// def accumulates a machine definition, recording clashes of names.
type def struct {
	name     string
	states   []string
	owner    map[string]string
	triggers []string
	trigIdx  map[string]Trigger
	edges    []Edge
	actions  []int
	errs     []error
}

// newDef starts a definition whose built-in state names are reserved: a
// stage claiming one of them is reported as a clash.
func newDef(name string, builtins ...string) *def {
	d := &def{name: name, owner: map[string]string{}, trigIdx: map[string]Trigger{}}
	for _, b := range builtins {
		d.owner[b] = "a built-in state"
	}
	return d
}

// builtin adds a reserved built-in state.
func (d *def) builtin(name string) State {
	d.states = append(d.states, name)
	d.actions = append(d.actions, -1)
	return State(len(d.states) - 1)
}

// state adds a state named by owner (a field path, for messages).
func (d *def) state(name, owner string) State {
	if prev, dup := d.owner[name]; dup {
		d.errs = append(d.errs, fmt.Errorf("workflow: %s machine: state %q of %s is already used by %s", d.name, name, owner, prev))
	} else {
		d.owner[name] = owner
	}
	d.states = append(d.states, name)
	d.actions = append(d.actions, -1)
	return State(len(d.states) - 1)
}

// action makes entering s run the model of stage i.
func (d *def) action(s State, i int) { d.actions[s] = i }

// definition returns the accumulated definition.
func (d *def) definition(initial State) Definition {
	return Definition{Name: d.name, States: d.states, Triggers: d.triggers, Initial: initial, Edges: d.edges, Actions: d.actions}
}

func (d *def) trigger(name string) Trigger {
	if _, dup := d.trigIdx[name]; dup {
		d.errs = append(d.errs, fmt.Errorf("workflow: %s machine: trigger %q is defined twice", d.name, name))
	}
	d.triggers = append(d.triggers, name)
	d.trigIdx[name] = Trigger(len(d.triggers) - 1)
	return Trigger(len(d.triggers) - 1)
}

func (d *def) edge(from State, t Trigger, to State) {
	d.edges = append(d.edges, Edge{From: from, Trigger: t, To: to})
}

package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/qmuntal/stateless"
)

// State is a machine state: an index into [Machine.States].
type State int

// Trigger is a machine trigger: an index into [Machine.Triggers].
type Trigger int

// NoState and NoTrigger stand for "none"; every machine rejects them.
const (
	NoState   State   = -1
	NoTrigger Trigger = -1
)

// Edge is one permitted transition: firing Trigger in state From leads to To.
// From == To is a re-entry.
type Edge struct {
	From    State
	Trigger Trigger
	To      State
}

// ErrNotPermitted is matched (errors.Is) by every [TransitionError].
var ErrNotPermitted = errors.New("transition not permitted")

// TransitionError reports a trigger fired in a state that does not permit it,
// or a state or trigger that does not belong to the machine.
type TransitionError struct {
	// Machine is the machine's name ("unit" or "candidate").
	Machine string
	// State and Trigger are the names involved; an index outside the machine
	// is written as "#n".
	State, Trigger string
}

// Error names the machine, the trigger and the state.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("workflow: %s machine: trigger %q is not permitted in state %q", e.Machine, e.Trigger, e.State)
}

// Unwrap returns [ErrNotPermitted].
func (e *TransitionError) Unwrap() error { return ErrNotPermitted }

// Definition defines a machine: named states and triggers, the initial
// state, the permitted transitions and the stage model each state runs.
// [Build] writes the two definitions of a scenario; [NewMachine] turns one
// into a [Machine].
type Definition struct {
	// Name names the machine in messages and diagrams ("unit", "candidate").
	Name string
	// States and Triggers are the names; a [State] or [Trigger] indexes them.
	States, Triggers []string
	// Initial is the state every entity starts in.
	Initial State
	// Edges are the permitted transitions, in the order diagrams list them.
	Edges []Edge
	// Actions[s] is the index of the stage whose model runs when the machine
	// enters state s, or -1; nil means no state runs a model.
	Actions []int
}

// Machine is one state machine of a scenario, configured as a
// qmuntal/stateless machine and compiled from it into a transition table. It
// is immutable after [NewMachine] and safe for concurrent use.
type Machine struct {
	// Name is "unit" or "candidate".
	Name string
	// States lists the state names; a [State] indexes it.
	States []string
	// Triggers lists the trigger names; a [Trigger] indexes it.
	Triggers []string
	// Initial is the state every entity starts in.
	Initial State

	edges []Edge
	// table[s*len(Triggers)+t] is the destination of t in s, or NoState:
	// read back from the stateless definition (see compile).
	table    []State
	terminal []bool
	actions  []int
	stateIdx map[string]State
	trigIdx  map[string]Trigger
	// stateVals and trigVals are the names boxed once, so that firing the
	// stateless machine does not box a string per call.
	stateVals []any
	trigVals  []any
	dot       string
	mermaid   string
}

// Next returns the state reached by firing t in s. It is a table lookup and
// does not allocate when the transition is permitted. When it is not (or s or
// t is not in the machine), Next returns s unchanged and a *[TransitionError].
func (m *Machine) Next(s State, t Trigger) (State, error) {
	if uint(s) < uint(len(m.States)) && uint(t) < uint(len(m.Triggers)) {
		if to := m.table[int(s)*len(m.Triggers)+int(t)]; to != NoState {
			return to, nil
		}
	}
	return s, m.notPermitted(s, t)
}

// permitted lists the triggers the compiled table permits in s, in trigger
// order; it is empty for terminal states and for states not in the machine.
func (m *Machine) permitted(s State) []Trigger {
	if uint(s) >= uint(len(m.States)) {
		return nil
	}
	var ts []Trigger
	row := m.table[int(s)*len(m.Triggers) : (int(s)+1)*len(m.Triggers)]
	for t, to := range row {
		if to != NoState {
			ts = append(ts, Trigger(t))
		}
	}
	return ts
}

// Terminal reports whether s permits no trigger (true for states not in the
// machine): an entity that reaches it has finished.
func (m *Machine) Terminal(s State) bool {
	return uint(s) >= uint(len(m.States)) || m.terminal[s]
}

// Action returns the index of the stage whose model runs when the machine
// enters s, or -1 when s runs none (or is not in the machine). A driver runs
// it and then fires the trigger that leaves the stage.
func (m *Machine) Action(s State) int {
	if uint(s) < uint(len(m.actions)) {
		return m.actions[s]
	}
	return -1
}

// stateName returns the name of s, or "#n" when s is not in the machine.
func (m *Machine) stateName(s State) string {
	if uint(s) < uint(len(m.States)) {
		return m.States[s]
	}
	return fmt.Sprintf("#%d", int(s))
}

// triggerName returns the name of t, or "#n" when t is not in the machine.
func (m *Machine) triggerName(t Trigger) string {
	if uint(t) < uint(len(m.Triggers)) {
		return m.Triggers[t]
	}
	return fmt.Sprintf("#%d", int(t))
}

// Edges returns a copy of the machine's transitions, in definition order.
func (m *Machine) Edges() []Edge {
	return append([]Edge(nil), m.edges...)
}

// DOT returns the machine as a Graphviz digraph, as drawn by stateless from
// the machine's definition: node and edge labels are the state and trigger
// names, and a point marks the initial state.
func (m *Machine) DOT() string { return m.dot }

// Mermaid returns the machine as a Mermaid stateDiagram-v2, edges in definition
// order, with [*] marking the initial and the terminal states.
func (m *Machine) Mermaid() string { return m.mermaid }

func (m *Machine) notPermitted(s State, t Trigger) error {
	return &TransitionError{Machine: m.Name, State: m.stateName(s), Trigger: m.triggerName(t)}
}

// configure declares the machine's states and edges on sm, with triggers and
// states as their name strings. It panics only on a definition stateless
// rejects, which newMachine has excluded (and recovers from).
func (m *Machine) configure(sm *stateless.StateMachine) {
	for _, v := range m.stateVals {
		sm.Configure(v)
	}
	for _, e := range m.edges {
		c := sm.Configure(m.stateVals[e.From])
		if e.From == e.To {
			c.PermitReentry(m.trigVals[e.Trigger])
		} else {
			c.Permit(m.trigVals[e.Trigger], m.stateVals[e.To])
		}
	}
	sm.OnUnhandledTrigger(func(_ context.Context, st stateless.State, tr stateless.Trigger, _ []string) error {
		return &TransitionError{Machine: m.Name, State: fmt.Sprint(st), Trigger: fmt.Sprint(tr)}
	})
}

// NewMachine checks a definition, configures it as a stateless machine,
// compiles the transition table from that machine (see compile) and renders
// the diagrams from it. Every problem is returned as one error; nothing
// panics.
func NewMachine(d Definition) (m *Machine, err error) {
	name := d.Name
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("workflow: %s machine: invalid definition: %v", name, r)
		}
	}()
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("workflow: %s machine: "+format, append([]any{name}, args...)...))
	}
	m = &Machine{
		Name:      name,
		States:    append([]string(nil), d.States...),
		Triggers:  append([]string(nil), d.Triggers...),
		Initial:   d.Initial,
		edges:     append([]Edge(nil), d.Edges...),
		actions:   make([]int, len(d.States)),
		terminal:  make([]bool, len(d.States)),
		stateIdx:  make(map[string]State, len(d.States)),
		trigIdx:   make(map[string]Trigger, len(d.Triggers)),
		stateVals: make([]any, len(d.States)),
		trigVals:  make([]any, len(d.Triggers)),
	}
	for i, s := range m.States {
		if s == "" {
			fail("state #%d has no name", i)
		} else if _, dup := m.stateIdx[s]; dup {
			fail("state %q is defined twice", s)
		} else {
			m.stateIdx[s] = State(i)
		}
		m.stateVals[i] = s
	}
	for i, t := range m.Triggers {
		if t == "" {
			fail("trigger #%d has no name", i)
		} else if _, dup := m.trigIdx[t]; dup {
			fail("trigger %q is defined twice", t)
		} else {
			m.trigIdx[t] = Trigger(i)
		}
		m.trigVals[i] = t
	}
	if uint(d.Initial) >= uint(len(m.States)) {
		fail("initial state %s is not a state", m.stateName(d.Initial))
	}
	switch {
	case d.Actions == nil:
		for i := range m.actions {
			m.actions[i] = -1
		}
	case len(d.Actions) != len(m.States):
		fail("%d actions for %d states", len(d.Actions), len(m.States))
	default:
		copy(m.actions, d.Actions)
	}
	nt := len(m.Triggers)
	seen := make(map[[2]int]State, len(m.edges))
	for _, e := range m.edges {
		if uint(e.From) >= uint(len(m.States)) || uint(e.To) >= uint(len(m.States)) || uint(e.Trigger) >= uint(nt) {
			fail("edge %s --%s--> %s is outside the machine", m.stateName(e.From), m.triggerName(e.Trigger), m.stateName(e.To))
			continue
		}
		key := [2]int{int(e.From), int(e.Trigger)}
		if to, dup := seen[key]; dup {
			fail("trigger %q leads from state %q to both %q and %q", m.Triggers[e.Trigger], m.States[e.From], m.States[to], m.States[e.To])
			continue
		}
		seen[key] = e.To
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	def := stateless.NewStateMachineWithExternalStorage(
		func(context.Context) (stateless.State, error) { return m.stateVals[m.Initial], nil },
		func(context.Context, stateless.State) error {
			return fmt.Errorf("workflow: %s machine: the definition machine cannot fire", name)
		},
		stateless.FiringImmediate)
	m.configure(def)
	if err := m.compile(); err != nil {
		return nil, err
	}
	m.dot = m.renderDOT(def.ToGraph())
	m.mermaid = m.renderMermaid()
	return m, nil
}

// compile fills the transition table by asking a stateless machine
// configured from the definition, state by state, which triggers it permits
// and where firing each one leads. The table is what the simulation runs;
// compile then requires it to hold exactly the definition's edges, so the
// table, the stateless machine and the diagrams drawn from the edges are one
// machine.
func (m *Machine) compile() error {
	nt := len(m.Triggers)
	m.table = make([]State, len(m.States)*nt)
	for i := range m.table {
		m.table[i] = NoState
	}
	r := m.newRunner()
	cells := 0
	for s := range State(len(m.States)) {
		r.reset(s)
		perm, err := r.sm.PermittedTriggers()
		if err != nil {
			return fmt.Errorf("workflow: %s machine: state %q: %w", m.Name, m.States[s], err)
		}
		m.terminal[s] = len(perm) == 0
		for _, p := range perm {
			name, _ := p.(string)
			t, ok := m.trigIdx[name]
			if !ok {
				return fmt.Errorf("workflow: %s machine: stateless permits unknown trigger %v in state %q", m.Name, p, m.States[s])
			}
			r.reset(s)
			if err := r.fire(t); err != nil {
				return fmt.Errorf("workflow: %s machine: compiling %q in state %q: %w", m.Name, name, m.States[s], err)
			}
			m.table[int(s)*nt+int(t)] = r.state()
			cells++
		}
	}
	for _, e := range m.edges {
		if got := m.table[int(e.From)*nt+int(e.Trigger)]; got != e.To {
			return fmt.Errorf("workflow: %s machine: stateless takes %s --%s--> to %s, the definition to %s",
				m.Name, m.States[e.From], m.Triggers[e.Trigger], m.stateName(got), m.States[e.To])
		}
	}
	if cells != len(m.edges) {
		return fmt.Errorf("workflow: %s machine: stateless permits %d transitions, the definition %d", m.Name, cells, len(m.edges))
	}
	return nil
}

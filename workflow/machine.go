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

// Machine is one state machine of a scenario. It is immutable after [Build]
// and safe for concurrent use.
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
	// table[s*len(Triggers)+t] is the destination of t in s, or NoState.
	table    []State
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

// Permitted lists the triggers permitted in s, in trigger order; it is empty
// for terminal states and for states not in the machine.
func (m *Machine) Permitted(s State) []Trigger {
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
// machine).
func (m *Machine) Terminal(s State) bool {
	if uint(s) >= uint(len(m.States)) {
		return true
	}
	for _, to := range m.table[int(s)*len(m.Triggers) : (int(s)+1)*len(m.Triggers)] {
		if to != NoState {
			return false
		}
	}
	return true
}

// StateByName returns the state with the given name.
func (m *Machine) StateByName(name string) (State, bool) {
	s, ok := m.stateIdx[name]
	if !ok {
		return NoState, false
	}
	return s, true
}

// TriggerByName returns the trigger with the given name.
func (m *Machine) TriggerByName(name string) (Trigger, bool) {
	t, ok := m.trigIdx[name]
	if !ok {
		return NoTrigger, false
	}
	return t, true
}

// StateName returns the name of s, or "#n" when s is not in the machine.
func (m *Machine) StateName(s State) string {
	if uint(s) < uint(len(m.States)) {
		return m.States[s]
	}
	return fmt.Sprintf("#%d", int(s))
}

// TriggerName returns the name of t, or "#n" when t is not in the machine.
func (m *Machine) TriggerName(t Trigger) string {
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
	return &TransitionError{Machine: m.Name, State: m.StateName(s), Trigger: m.TriggerName(t)}
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

// newMachine checks a definition, compiles its table and renders its diagrams.
func newMachine(name string, states, triggers []string, initial State, edges []Edge) (m *Machine, err error) {
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
		States:    append([]string(nil), states...),
		Triggers:  append([]string(nil), triggers...),
		Initial:   initial,
		edges:     append([]Edge(nil), edges...),
		stateIdx:  make(map[string]State, len(states)),
		trigIdx:   make(map[string]Trigger, len(triggers)),
		stateVals: make([]any, len(states)),
		trigVals:  make([]any, len(triggers)),
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
	if uint(initial) >= uint(len(m.States)) {
		fail("initial state %s is not a state", m.StateName(initial))
	}
	nt := len(m.Triggers)
	m.table = make([]State, len(m.States)*nt)
	for i := range m.table {
		m.table[i] = NoState
	}
	for _, e := range m.edges {
		if uint(e.From) >= uint(len(m.States)) || uint(e.To) >= uint(len(m.States)) || uint(e.Trigger) >= uint(nt) {
			fail("edge %s --%s--> %s is outside the machine", m.StateName(e.From), m.TriggerName(e.Trigger), m.StateName(e.To))
			continue
		}
		cell := &m.table[int(e.From)*nt+int(e.Trigger)]
		if *cell != NoState {
			fail("trigger %q leads from state %q to both %q and %q", m.Triggers[e.Trigger], m.States[e.From], m.States[*cell], m.States[e.To])
			continue
		}
		*cell = e.To
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
	m.dot = m.renderDOT(def.ToGraph())
	m.mermaid = m.renderMermaid()
	return m, nil
}

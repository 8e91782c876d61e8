package workflow

import (
	"context"
	"fmt"

	"github.com/qmuntal/stateless"
)

// runner fires triggers through a stateless machine configured from a
// [Machine]'s definition. Its state is held in the runner itself (external
// storage) and it fires in immediate mode, so one runner serves state after
// state with reset. [NewMachine] compiles the transition table with one; the
// agreement tests fire every (state, trigger) pair through one and through
// [Machine.Next]. A runner is not safe for concurrent use.
type runner struct {
	m   *Machine
	sm  *stateless.StateMachine
	cur State
}

// newRunner returns a runner in the machine's initial state, backed by a new
// stateless machine built with NewStateMachineWithExternalStorage and
// stateless.FiringImmediate.
func (m *Machine) newRunner() *runner {
	r := &runner{m: m, cur: m.Initial}
	r.sm = stateless.NewStateMachineWithExternalStorage(r.load, r.store, stateless.FiringImmediate)
	m.configure(r.sm)
	return r
}

// reset puts the runner in state s without firing anything. A state outside
// the machine makes the next fire fail.
func (r *runner) reset(s State) { r.cur = s }

// state returns the current state.
func (r *runner) state() State { return r.cur }

// fire fires t through stateless. A trigger the current state does not permit
// (or one outside the machine) returns a *[TransitionError] and leaves the
// state unchanged.
func (r *runner) fire(t Trigger) error {
	if uint(t) >= uint(len(r.m.Triggers)) {
		return r.m.notPermitted(r.cur, t)
	}
	return r.sm.Fire(r.m.trigVals[t])
}

func (r *runner) load(context.Context) (stateless.State, error) {
	if uint(r.cur) >= uint(len(r.m.States)) {
		return nil, fmt.Errorf("workflow: %s machine: runner is in state #%d, which is not a state", r.m.Name, int(r.cur))
	}
	return r.m.stateVals[r.cur], nil
}

func (r *runner) store(_ context.Context, s stateless.State) error {
	name, _ := s.(string)
	i, ok := r.m.stateIdx[name]
	if !ok {
		return fmt.Errorf("workflow: %s machine: stateless moved to unknown state %v", r.m.Name, s)
	}
	r.cur = i
	return nil
}

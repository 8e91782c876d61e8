package workflow

import (
	"context"
	"fmt"

	"github.com/qmuntal/stateless"
)

// Runner fires triggers through a stateless machine configured from a
// [Machine]'s definition, for traced runs (entry/transition hooks, narration).
// Its state is held in the Runner itself (external storage) and it fires in
// immediate mode, so it can be reused for entity after entity with [Runner.Reset].
// A Runner is not safe for concurrent use: create one per goroutine. For bulk
// simulation prefer [Machine.Next], which agrees with Fire on every state and
// trigger and costs a table lookup.
type Runner struct {
	m   *Machine
	sm  *stateless.StateMachine
	cur State
}

// NewRunner returns a Runner in the machine's initial state, backed by a new
// stateless machine built with NewStateMachineWithExternalStorage and
// stateless.FiringImmediate.
func (m *Machine) NewRunner() *Runner {
	r := &Runner{m: m, cur: m.Initial}
	r.sm = stateless.NewStateMachineWithExternalStorage(r.load, r.store, stateless.FiringImmediate)
	m.configure(r.sm)
	return r
}

// Machine returns the machine the Runner was created from.
func (r *Runner) Machine() *Machine { return r.m }

// Reset puts the Runner in state s without firing anything. A state outside
// the machine makes the next Fire fail.
func (r *Runner) Reset(s State) { r.cur = s }

// State returns the current state.
func (r *Runner) State() State { return r.cur }

// Fire fires t through stateless. A trigger the current state does not permit
// (or one outside the machine) returns a *[TransitionError] and leaves the
// state unchanged.
func (r *Runner) Fire(t Trigger) error {
	return r.FireCtx(context.Background(), t)
}

// FireCtx is [Runner.Fire] with a context and arguments, which stateless
// passes on to the hooks (the way to hand them the entity being moved).
func (r *Runner) FireCtx(ctx context.Context, t Trigger, args ...any) error {
	if uint(t) >= uint(len(r.m.Triggers)) {
		return r.m.notPermitted(r.cur, t)
	}
	return r.sm.FireCtx(ctx, r.m.trigVals[t], args...)
}

// OnTransitioned registers fn to be called after every successful Fire,
// including re-entries, with the source state, the trigger and the
// destination.
func (r *Runner) OnTransitioned(fn func(from State, t Trigger, to State)) {
	r.sm.OnTransitioned(func(_ context.Context, tr stateless.Transition) {
		from, _ := r.m.StateByName(fmt.Sprint(tr.Source))
		to, _ := r.m.StateByName(fmt.Sprint(tr.Destination))
		t, _ := r.m.TriggerByName(fmt.Sprint(tr.Trigger))
		fn(from, t, to)
	})
}

// StateMachine returns the underlying stateless machine, e.g. to register
// further hooks. Configuring it further makes it disagree with [Machine.Next].
func (r *Runner) StateMachine() *stateless.StateMachine { return r.sm }

func (r *Runner) load(context.Context) (stateless.State, error) {
	if uint(r.cur) >= uint(len(r.m.States)) {
		return nil, fmt.Errorf("workflow: %s machine: runner is in state #%d, which is not a state", r.m.Name, int(r.cur))
	}
	return r.m.stateVals[r.cur], nil
}

func (r *Runner) store(_ context.Context, s stateless.State) error {
	name, _ := s.(string)
	i, ok := r.m.stateIdx[name]
	if !ok {
		return fmt.Errorf("workflow: %s machine: stateless moved to unknown state %v", r.m.Name, s)
	}
	r.cur = i
	return nil
}

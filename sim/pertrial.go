package sim

import (
	"context"
	"math"
	"sync"
)

// TrialRecord is the outcome of one trial, for per-trial output
// (Options.PerTrial).
type TrialRecord struct {
	// Trial is the trial's number and Seed the run's seed: the trial drew
	// only from the random stream derived from (Seed, Trial).
	Trial uint64
	Seed  uint64
	// Met holds, per target in scenario order, whether the final lists met it.
	Met []bool
	// Shares holds, per tracked share in scenario order, its value in the
	// final lists; NaN when its denominator was empty.
	Shares []float64
	// Elected is the number of seats filled; FurtherRounds the further
	// rounds of voting held; FailedUnits the units whose congress lacked a
	// quorum.
	Elected       int
	FurtherRounds int
	FailedUnits   int
}

// TrialNames returns the names of the targets and shares of a
// TrialRecord's Met and Shares, in order.
func (m *Model) TrialNames() (targets, shares []string) {
	for _, t := range m.targets {
		targets = append(targets, t.t.Name)
	}
	for _, s := range m.shares {
		shares = append(shares, s.s.Name)
	}
	return targets, shares
}

// minReorderWindow is the least number of trials a run with a per-trial hook
// holds while waiting for an earlier trial to finish; the window grows with
// the workers so that no worker waits in the steady state.
const minReorderWindow = 256

// trialOrder hands the trials of a run to Options.PerTrial in trial order,
// one call at a time, although workers finish them out of order. Finished
// trials wait in a ring of window slots allocated once; a worker whose trial
// is a whole window ahead of the next one to hand over waits for it, so the
// memory stays bounded whatever the run's length. The worker holding the
// next trial never waits (its trial is inside the window), so the run
// cannot deadlock.
type trialOrder struct {
	hook  func(*TrialRecord) error
	first int
	seed  uint64
	tally Tally // the model only, for shareAt

	mu    sync.Mutex
	cond  sync.Cond
	next  int // the next trial (0-based in the run) to hand over
	slots []TrialRecord
	ready []bool
	err   error
	watch sync.Once
}

// newTrialOrder returns nil when opts has no per-trial hook.
func newTrialOrder(m *Model, opts Options, workers int) *trialOrder {
	if opts.PerTrial == nil {
		return nil
	}
	n := min(opts.Trials, max(minReorderWindow, 8*workers*chunk))
	o := &trialOrder{hook: opts.PerTrial, first: opts.FirstTrial, seed: opts.Seed, tally: Tally{m: m},
		slots: make([]TrialRecord, n), ready: make([]bool, n)}
	o.cond.L = &o.mu
	T, P := len(m.targets), len(m.shares)
	met, shares := make([]bool, n*T), make([]float64, n*P)
	for i := range o.slots {
		o.slots[i].Met = met[i*T : (i+1)*T : (i+1)*T]
		o.slots[i].Shares = shares[i*P : (i+1)*P : (i+1)*P]
	}
	return o
}

// deliver records trial i (0-based in the run), just simulated by w, and
// hands every trial now complete in order to the hook. It returns the
// hook's error, or the context's when the run stops while it waits.
func (o *trialOrder) deliver(ctx context.Context, w *worker, i int) error {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	o.watch.Do(func() {
		// Wake waiting workers when the run is cancelled (another
		// worker's error or an interrupt).
		context.AfterFunc(ctx, func() {
			o.mu.Lock()
			o.cond.Broadcast()
			o.mu.Unlock()
		})
	})
	for o.err == nil && i >= o.next+len(o.slots) {
		if err := ctx.Err(); err != nil {
			o.mu.Unlock()
			return err
		}
		o.cond.Wait()
	}
	if err := o.err; err != nil {
		o.mu.Unlock()
		return err
	}
	o.mu.Unlock()
	// The slot is this trial's alone until it is marked ready.
	n := len(o.slots)
	o.record(&o.slots[i%n], w, uint64(o.first+i))
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ready[i%n] = true
	for o.err == nil && o.ready[o.next%n] {
		k := o.next % n
		if err := o.hook(&o.slots[k]); err != nil {
			o.err = err
			break
		}
		o.ready[k] = false
		o.next++
	}
	o.cond.Broadcast()
	return o.err
}

// record fills r from the worker's last trial.
func (o *trialOrder) record(r *TrialRecord, w *worker, trial uint64) {
	m := w.m
	last := view{m, &w.o, len(m.stages) - 1}
	r.Trial, r.Seed = trial, o.seed
	for i := range m.targets {
		r.Met[i] = m.targets[i].meets(last, nil)
	}
	for i := range m.shares {
		num, den := o.tally.shareAt(last, i)
		r.Shares[i] = math.NaN()
		if den > 0 {
			r.Shares[i] = float64(num) / float64(den)
		}
	}
	r.Elected = 0
	for u := range m.units {
		r.Elected += last.size(u)
	}
	r.FurtherRounds = int(w.o.votes.FurtherRounds)
	r.FailedUnits = int(w.o.votes.Failed)
}

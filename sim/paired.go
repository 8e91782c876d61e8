package sim

import (
	"context"
	"errors"
	"fmt"
	"math"

	"simulate/internal/pool"
)

// PairedOptions control a paired run of two models (RunPaired).
type PairedOptions struct {
	// Trials is how many trials to run, starting at trial number FirstTrial;
	// trial i of model A runs with SeedA, trial i of model B with SeedB.
	Trials       int
	FirstTrial   int
	SeedA, SeedB uint64
	Workers      int // 0: one per CPU
	// Progress, when set, is called from the calling goroutine about ten
	// times a second with the number of trial pairs finished.
	Progress func(done int)
}

// ShareScale is the fixed-point scale of the per-trial shares a PairedTally
// sums: a share x counts as round(x·ShareScale)/ShareScale, so sums are exact
// integers (merge in any order) and squares stay within int64 for up to
// scenario.MaxTrials trials.
const ShareScale = 100_000

// PairedTally is the exact joint tally of two models run on the same trial
// numbers: for every target both have (matched by name), how many trials met
// it in both, only in A, only in B or in neither; for every tracked share
// both have, the sums of its per-trial values in A and in B and of their
// squares and of the squared per-trial difference. With the same seed, trial
// i of A and trial i of B share every random draw the two scenarios do not
// change (common random numbers), and the per-trial differences give the
// paired estimate of the difference and its variance.
type PairedTally struct {
	SeedA, SeedB uint64
	FirstTrial   int64
	Trials       int64
	Targets      []TargetPair
	Shares       []SharePair
}

// TargetPair is the 2×2 table of one target over the paired trials.
type TargetPair struct {
	Name                        string
	Both, OnlyA, OnlyB, Neither int64
	ia, ib                      int
}

// SharePair sums one share's per-trial values (fixed point, ShareScale) over
// the paired trials: NA, SumA, SumA2 over the trials where it is defined in
// A (its denominator not empty), likewise for B, and N, SumD, SumD2 of the
// difference A − B over the trials where it is defined in both.
type SharePair struct {
	Name            string
	NA, SumA, SumA2 int64
	NB, SumB, SumB2 int64
	N, SumD, SumD2  int64
	ia, ib          int
}

// RunPaired simulates trials FirstTrial … FirstTrial+Trials−1 of a and b,
// each trial number on both models by the same worker, and tallies their
// joint outcomes. Targets and shares are matched by name; those only one
// model has are left out. The tally is exact integer sums, so it is the
// same for any number of workers.
func RunPaired(ctx context.Context, a, b *Model, opts PairedOptions) (*PairedTally, error) {
	if opts.Trials < 1 {
		return nil, errors.New("trials must be at least 1")
	}
	if opts.FirstTrial < 0 {
		return nil, errors.New("the first trial must be at least 0")
	}
	proto := newPairedTally(a, b)
	workers := pool.Workers(opts.Trials, opts.Workers, chunk)
	tallies := make([]*PairedTally, workers)
	wa, wb := make([]*worker, workers), make([]*worker, workers)
	for k := range workers {
		tallies[k] = proto.empty()
		wa[k], wb[k] = newWorker(a), newWorker(b)
	}
	err := pool.Run(ctx, opts.Trials, workers, chunk, opts.Progress, func(_ context.Context, k, lo, hi int) error {
		for i := lo; i < hi; i++ {
			trial := uint64(opts.FirstTrial + i)
			if err := wa[k].runTrial(opts.SeedA, trial); err != nil {
				return fmt.Errorf("scenario A, trial %d: %w", trial, err)
			}
			if err := wb[k].runTrial(opts.SeedB, trial); err != nil {
				return fmt.Errorf("scenario B, trial %d: %w", trial, err)
			}
			tallies[k].add(a, b, &wa[k].o, &wb[k].o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := tallies[0]
	for _, t := range tallies[1:] {
		total.Merge(t)
	}
	total.SeedA, total.SeedB = opts.SeedA, opts.SeedB
	total.FirstTrial = int64(opts.FirstTrial)
	return total, nil
}

func newPairedTally(a, b *Model) *PairedTally {
	p := &PairedTally{}
	for i := range a.targets {
		for j := range b.targets {
			if a.targets[i].t.Name == b.targets[j].t.Name {
				p.Targets = append(p.Targets, TargetPair{Name: a.targets[i].t.Name, ia: i, ib: j})
			}
		}
	}
	for i := range a.shares {
		for j := range b.shares {
			if a.shares[i].s.Name == b.shares[j].s.Name {
				p.Shares = append(p.Shares, SharePair{Name: a.shares[i].s.Name, ia: i, ib: j})
			}
		}
	}
	return p
}

// empty returns a zero tally with p's pairs.
func (p *PairedTally) empty() *PairedTally {
	q := &PairedTally{Targets: make([]TargetPair, len(p.Targets)), Shares: make([]SharePair, len(p.Shares))}
	for i, t := range p.Targets {
		q.Targets[i] = TargetPair{Name: t.Name, ia: t.ia, ib: t.ib}
	}
	for i, s := range p.Shares {
		q.Shares[i] = SharePair{Name: s.Name, ia: s.ia, ib: s.ib}
	}
	return q
}

// finalShare returns share i of the last stage's lists of a trial, quantised
// to ShareScale; ok is false when its denominator is empty.
func finalShare(m *Model, o *obs, i int) (q int64, ok bool) {
	v := view{m, o, len(m.stages) - 1}
	sm := &m.shares[i]
	num, den := 0, 0
	for u := range m.units {
		num += v.count(u, sm.pred)
		if sm.of < 0 {
			den += v.size(u)
		} else {
			den += v.count(u, sm.of)
		}
	}
	if den == 0 {
		return 0, false
	}
	return int64(math.Round(float64(num) / float64(den) * ShareScale)), true
}

func (p *PairedTally) add(a, b *Model, oa, ob *obs) {
	p.Trials++
	la, lb := view{a, oa, len(a.stages) - 1}, view{b, ob, len(b.stages) - 1}
	for k := range p.Targets {
		t := &p.Targets[k]
		ma := a.targets[t.ia].meets(la, nil)
		mb := b.targets[t.ib].meets(lb, nil)
		switch {
		case ma && mb:
			t.Both++
		case ma:
			t.OnlyA++
		case mb:
			t.OnlyB++
		default:
			t.Neither++
		}
	}
	for k := range p.Shares {
		s := &p.Shares[k]
		xa, okA := finalShare(a, oa, s.ia)
		xb, okB := finalShare(b, ob, s.ib)
		if okA {
			s.NA++
			s.SumA += xa
			s.SumA2 += xa * xa
		}
		if okB {
			s.NB++
			s.SumB += xb
			s.SumB2 += xb * xb
		}
		if okA && okB {
			d := xa - xb
			s.N++
			s.SumD += d
			s.SumD2 += d * d
		}
	}
}

// Merge adds q's counts to p's; both must pair the same models.
func (p *PairedTally) Merge(q *PairedTally) {
	p.Trials += q.Trials
	for k := range p.Targets {
		t, u := &p.Targets[k], &q.Targets[k]
		t.Both += u.Both
		t.OnlyA += u.OnlyA
		t.OnlyB += u.OnlyB
		t.Neither += u.Neither
	}
	for k := range p.Shares {
		s, u := &p.Shares[k], &q.Shares[k]
		s.NA += u.NA
		s.SumA += u.SumA
		s.SumA2 += u.SumA2
		s.NB += u.NB
		s.SumB += u.SumB
		s.SumB2 += u.SumB2
		s.N += u.N
		s.SumD += u.SumD
		s.SumD2 += u.SumD2
	}
}

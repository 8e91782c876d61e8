package sim

import (
	"context"
	"runtime"
	"sync"

	"simulate/scenario"
)

// What a search for a trial looks for (TrialQuery.Kind).
const (
	FindMissed       = "missed"        // a target was missed
	FindMet          = "met"           // a target was met
	FindFailedQuorum = "failed_quorum" // a congress failed its quorum
	FindFurther      = "further_round" // a ballot went to a further round
)

// TrialQuery describes a trial worth narrating: one in which Target (of
// Scope) was missed or met, a congress failed its quorum, or a ballot went
// to a further round; in Unit only, when set.
type TrialQuery struct {
	Kind   string
	Target string
	Scope  scenario.Scope
	Unit   string
}

// Matches traces one trial and reports whether it is one sought, with the
// unit where it happened ("" for a target of the whole scenario).
func (q TrialQuery) Matches(m *Model, seed, trial uint64) (bool, string, error) {
	found, where := false, ""
	hit := func(unit string) {
		if !found {
			found, where = true, unit
		}
	}
	err := Trace(m, seed, trial, func(e Event) {
		switch {
		case q.Kind == FindFailedQuorum && e.Kind == EventCongress && e.Met != nil && !*e.Met,
			q.Kind == FindFurther && e.Kind == EventRound && e.Round == RoundFurther:
			if q.Unit == "" || e.Unit == q.Unit {
				hit(e.Unit)
			}
		case (q.Kind == FindMissed || q.Kind == FindMet) && e.Kind == EventTarget && e.Target.Name == q.Target:
			want := q.Kind == FindMet
			if q.Scope != scenario.ScopeEach {
				if e.Target.Met == want {
					hit("")
				}
				return
			}
			// A target for each unit is missed when one unit misses it
			// and met when all meet it; with a unit, that unit decides.
			for _, u := range e.Target.Units {
				if q.Unit != "" && u.Unit != q.Unit {
					continue
				}
				if q.Unit != "" || (!want && !u.Met) {
					if u.Met == want {
						hit(u.Unit)
					}
					return
				}
			}
			if q.Unit == "" && want && e.Target.Met {
				hit("")
			}
		}
	})
	return found, where, err
}

// FindTrial scans trials from, from+1 … below end with the seed and returns
// the first that matches the query, and where. Trials are traced in
// parallel batches, and the first match is the lowest number, so the answer
// does not depend on the number of workers (0: one per CPU).
func FindTrial(ctx context.Context, m *Model, q TrialQuery, seed, from, end uint64, workers int, progress func(done int)) (trial uint64, unit string, ok bool, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		found bool
		unit  string
		err   error
	}
	batch := uint64(4 * workers)
	for lo := from; lo < end; lo += batch {
		if err := ctx.Err(); err != nil {
			return 0, "", false, err
		}
		hi := min(end, lo+batch)
		results := make([]result, hi-lo)
		var wg sync.WaitGroup
		next := make(chan uint64)
		for range min(uint64(workers), hi-lo) {
			wg.Go(func() {
				for k := range next {
					r := &results[k-lo]
					r.found, r.unit, r.err = q.Matches(m, seed, k)
				}
			})
		}
		for k := lo; k < hi; k++ {
			next <- k
		}
		close(next)
		wg.Wait()
		for i, r := range results {
			if r.err != nil {
				return 0, "", false, r.err
			}
			if r.found {
				return lo + uint64(i), r.unit, true, nil
			}
		}
		if progress != nil {
			progress(int(hi - from))
		}
	}
	return 0, "", false, nil
}

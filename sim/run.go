package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"simulate/sim/stats"
)

// Options control a Monte Carlo run. The results depend only on the model,
// Seed and the trial range, never on Workers.
type Options struct {
	Trials  int
	Seed    uint64
	Workers int // 0: one per CPU
	// Progress, when set, is called from the calling goroutine about ten
	// times a second with the number of trials finished.
	Progress func(done int)
}

// chunk is how many consecutive trials a worker claims at a time.
const chunk = 8

// Run simulates opts.Trials independent trials and summarises them. Trial i
// draws only from its own stream derived from (Seed, i), and every statistic
// is an exact integer sum or a fixed-bin histogram, so the result is
// identical for any number of workers.
func Run(ctx context.Context, m *Model, opts Options) (*Result, error) {
	if opts.Trials < 1 {
		return nil, errors.New("trials must be at least 1")
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, (opts.Trials+chunk-1)/chunk)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var next, done atomic.Int64
	accs := make([]*accum, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		accs[k] = newAccum(m)
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			w := newWorker(m)
			for ctx.Err() == nil {
				start := int(next.Add(chunk)) - chunk
				if start >= opts.Trials {
					return
				}
				for i := start; i < min(start+chunk, opts.Trials); i++ {
					if err := w.runTrial(opts.Seed, uint64(i)); err != nil {
						errs[k] = fmt.Errorf("trial %d: %w", i, err)
						cancel()
						return
					}
					accs[k].add(&w.o)
				}
				done.Add(int64(min(start+chunk, opts.Trials) - start))
			}
		}(k)
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	if opts.Progress != nil {
		tick := time.NewTicker(100 * time.Millisecond)
	loop:
		for {
			select {
			case <-finished:
				break loop
			case <-tick.C:
				opts.Progress(int(done.Load()))
			}
		}
		tick.Stop()
		opts.Progress(int(done.Load()))
	}
	<-finished
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := accs[0]
	for _, a := range accs[1:] {
		total.merge(a)
	}
	return total.result(opts), nil
}

// accum accumulates trial observations. Every field is an integer sum or an
// exact histogram, so merging is associative and order-free.
type accum struct {
	m      *Model
	trials int64

	met        []int64   // per target
	blame      [][]int64 // target × stage
	unitMisses [][]int64 // target × unit
	hists      []*stats.ShareHist
	// per stage × unit
	in, out, shortfall []int64
	// per stage × reason
	drops []int64
	// per stage × share: matching people and the share's denominator
	compNum, compDen []int64

	electedSum, electedMin, electedMax int64
	ballots, invalid, present          int64
	abstentions, against, names        int64
	furtherRounds, vacancies, failed   int64
	ballotShort                        int64
}

func newAccum(m *Model) *accum {
	S, U := len(m.stages), len(m.units)
	a := &accum{m: m, electedMin: -1}
	a.met = make([]int64, len(m.targets))
	a.blame = make([][]int64, len(m.targets))
	a.unitMisses = make([][]int64, len(m.targets))
	for i := range m.targets {
		a.blame[i] = make([]int64, S)
		a.unitMisses[i] = make([]int64, U)
	}
	a.hists = make([]*stats.ShareHist, len(m.shares))
	for i := range a.hists {
		a.hists[i] = stats.NewShareHist()
	}
	a.in = make([]int64, S*U)
	a.out = make([]int64, S*U)
	a.shortfall = make([]int64, S*U)
	a.drops = make([]int64, S*max(1, len(m.reasons)))
	a.compNum = make([]int64, S*len(m.shares))
	a.compDen = make([]int64, S*len(m.shares))
	return a
}

// view gives the counts of one trial at one stage.
type view struct {
	m *Model
	o *obs
	s int
}

func (v view) size(u int) int { return int(v.o.size[v.s*len(v.m.units)+u]) }
func (v view) count(u, k int) int {
	return int(v.o.count[(v.s*len(v.m.units)+u)*len(v.m.preds)+k])
}

// meets reports whether target t holds on the lists after the view's stage;
// when it fails for scope each, bad receives the failing units.
func (t *targetModel) meets(v view, bad func(u int)) bool {
	if t.t.Scope != "each" {
		c, n := 0, 0
		for _, u := range t.units {
			c += v.count(u, t.pred)
			n += v.size(u)
		}
		return t.check(c, n, 0)
	}
	ok := true
	for _, u := range t.units {
		if !t.check(v.count(u, t.pred), v.size(u), v.m.units[u].memberShare[t.pred]) {
			ok = false
			if bad == nil {
				return false
			}
			bad(u)
		}
	}
	return ok
}

// check applies the target's bounds to c matching people out of n.
func (t *targetModel) check(c, n int, memberShare float64) bool {
	tt := t.t
	if n == 0 && (tt.AboveMemberShare || (tt.MinShare != nil && *tt.MinShare > 0)) {
		return false // a share of nobody meets no positive minimum
	}
	if tt.AboveMemberShare && c < minCountFor(memberShare, tt.Strict, n) {
		return false
	}
	if t.minCount >= 0 && (c < t.minCount || (tt.Strict && c == t.minCount)) {
		return false
	}
	if t.maxCount >= 0 && (c > t.maxCount || (tt.Strict && c == t.maxCount)) {
		return false
	}
	if tt.MinShare != nil && c < minCountFor(*tt.MinShare, tt.Strict, n) {
		return false
	}
	if tt.MaxShare != nil && c > maxCountFor(*tt.MaxShare, tt.Strict, n) {
		return false
	}
	return true
}

func (a *accum) add(o *obs) {
	m := a.m
	S, U := len(m.stages), len(m.units)
	last := view{m, o, S - 1}
	a.trials++
	for i := range m.targets {
		t := &m.targets[i]
		if t.meets(last, func(u int) { a.unitMisses[i][u]++ }) {
			a.met[i]++
			continue
		}
		// Blame the stage after which the target stayed missed to the end:
		// a list that a later stage repaired and a still later one broke
		// again is lost where it broke.
		lost := S - 1
		for lost > 0 && !t.meets(view{m, o, lost - 1}, nil) {
			lost--
		}
		a.blame[i][lost]++
	}
	for s := 0; s < S; s++ {
		v := view{m, o, s}
		for i := range m.shares {
			num, den := a.shareAt(v, i)
			a.compNum[s*len(m.shares)+i] += int64(num)
			a.compDen[s*len(m.shares)+i] += int64(den)
			if s == S-1 && den > 0 {
				a.hists[i].Add(float64(num) / float64(den))
			}
		}
	}
	for j := range o.size {
		a.in[j] += int64(o.in[j])
		a.out[j] += int64(o.size[j])
		a.shortfall[j] += int64(o.shortfall[j])
	}
	for j := range o.drops {
		a.drops[j] += int64(o.drops[j])
	}
	elected := int64(0)
	for u := 0; u < U; u++ {
		elected += int64(last.size(u))
	}
	a.electedSum += elected
	if a.electedMin < 0 || elected < a.electedMin {
		a.electedMin = elected
	}
	a.electedMax = max(a.electedMax, elected)
	a.ballots += o.ballots
	a.invalid += o.invalid
	a.present += o.present
	a.abstentions += o.abstentions
	a.against += o.against
	a.names += o.names
	a.furtherRounds += int64(o.furtherRounds)
	a.vacancies += int64(o.vacancies)
	a.failed += int64(o.failedUnits)
	a.ballotShort += int64(o.ballotShort)
}

func (a *accum) shareAt(v view, i int) (num, den int) {
	sm := &a.m.shares[i]
	for u := range a.m.units {
		num += v.count(u, sm.pred)
		if sm.of < 0 {
			den += v.size(u)
		} else {
			den += v.count(u, sm.of)
		}
	}
	return num, den
}

func (a *accum) merge(b *accum) {
	a.trials += b.trials
	addAll(a.met, b.met)
	for i := range a.blame {
		addAll(a.blame[i], b.blame[i])
		addAll(a.unitMisses[i], b.unitMisses[i])
	}
	for i := range a.hists {
		a.hists[i].Merge(b.hists[i])
	}
	addAll(a.in, b.in)
	addAll(a.out, b.out)
	addAll(a.shortfall, b.shortfall)
	addAll(a.drops, b.drops)
	addAll(a.compNum, b.compNum)
	addAll(a.compDen, b.compDen)
	a.electedSum += b.electedSum
	if b.electedMin >= 0 && (a.electedMin < 0 || b.electedMin < a.electedMin) {
		a.electedMin = b.electedMin
	}
	a.electedMax = max(a.electedMax, b.electedMax)
	a.ballots += b.ballots
	a.invalid += b.invalid
	a.present += b.present
	a.abstentions += b.abstentions
	a.against += b.against
	a.names += b.names
	a.furtherRounds += b.furtherRounds
	a.vacancies += b.vacancies
	a.failed += b.failed
	a.ballotShort += b.ballotShort
}

func addAll(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

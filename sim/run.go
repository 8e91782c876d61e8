package sim

import (
	"context"
	"errors"
	"fmt"
	"math"

	"simulate/internal/pool"
	"simulate/scenario"
	"simulate/sim/stats"
)

// Options control a Monte Carlo run. The results depend only on the model,
// Seed and the trial range, never on Workers.
type Options struct {
	// Trials is how many trials to run, starting at trial number FirstTrial.
	Trials     int
	FirstTrial int
	Seed       uint64
	Workers    int // 0: one per CPU
	// Progress, when set, is called from the calling goroutine about ten
	// times a second with the number of trials finished.
	Progress func(done int)
	// PerTrial, when set, receives every trial's outcome in trial order,
	// one call at a time (pertrial.go); the record is reused after the
	// call returns. An error stops the run.
	PerTrial func(*TrialRecord) error
}

// chunk is how many consecutive trials a worker claims at a time.
const chunk = 8

// Run simulates opts.Trials independent trials and summarises them. Trial i
// draws only from its own stream derived from (Seed, i), and every statistic
// is an exact integer sum or a fixed-bin histogram, so the result is
// identical for any number of workers.
func Run(ctx context.Context, m *Model, opts Options) (*Result, error) {
	t, err := RunTally(ctx, m, opts)
	if err != nil {
		return nil, err
	}
	return t.Result(), nil
}

// RunTally simulates trials FirstTrial … FirstTrial+Trials−1 and returns
// their exact tally, which can be merged with the tallies of other ranges.
func RunTally(ctx context.Context, m *Model, opts Options) (*Tally, error) {
	if opts.Trials < 1 {
		return nil, errors.New("trials must be at least 1")
	}
	if opts.FirstTrial < 0 {
		return nil, errors.New("the first trial must be at least 0")
	}
	workers := pool.Workers(opts.Trials, opts.Workers, chunk)
	tallies := make([]*Tally, workers)
	ws := make([]*worker, workers)
	for k := range workers {
		tallies[k] = newTally(m)
		ws[k] = newWorker(m)
	}
	order := newTrialOrder(m, opts, workers)
	err := pool.Run(ctx, opts.Trials, workers, chunk, opts.Progress, func(ctx context.Context, k, lo, hi int) error {
		for i := lo; i < hi; i++ {
			// A cancelled run stops within one trial, not one chunk: a
			// national trial of a large scenario takes milliseconds.
			if err := ctx.Err(); err != nil {
				return err
			}
			trial := uint64(opts.FirstTrial + i)
			if err := ws[k].runTrial(opts.Seed, trial); err != nil {
				return fmt.Errorf("trial %d: %w", trial, err)
			}
			tallies[k].add(&ws[k].o)
			if err := order.deliver(ctx, ws[k], i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := tallies[0]
	for _, t := range tallies[1:] {
		total.merge(t)
	}
	total.Seed = opts.Seed
	total.FirstTrial = int64(opts.FirstTrial)
	total.Trials = int64(opts.Trials)
	return total, nil
}

// Tally is the exact state of a run over a range of trials: integer sums and
// fixed-bin histograms only, so tallies of disjoint trial ranges merge, in any
// grouping, into exactly the tally of the whole range. It serialises to JSON
// for runs split across processes or machines.
type Tally struct {
	m *Model

	// Hash identifies the modelled scenario, Seed the random streams, and
	// [FirstTrial, FirstTrial+Trials) the trials tallied.
	Hash       string `json:"scenario_sha256"`
	Seed       uint64 `json:"seed"`
	FirstTrial int64  `json:"first_trial"`
	Trials     int64  `json:"trials"`

	Met        []int64            `json:"met"`         // per target
	LostAt     [][]int64          `json:"lost_at"`     // target × stage
	UnitMisses [][]int64          `json:"unit_misses"` // target × unit
	Hists      []*stats.ShareHist `json:"shares"`
	// per stage × unit
	In        []int64 `json:"entered"`
	Out       []int64 `json:"left"`
	Shortfall []int64 `json:"shortfall"`
	// per stage × veto reason
	Drops []int64 `json:"drops"`
	// per stage × share: matching people and the share's denominator
	CompNum []int64 `json:"composition_num"`
	CompDen []int64 `json:"composition_den"`
	// per share × unit, in the final list: Σ matching people, Σ their
	// square, and Σ the share's denominator (per-unit shares for calibrate)
	UnitNum  []int64 `json:"unit_num"`
	UnitNum2 []int64 `json:"unit_num2"`
	UnitDen  []int64 `json:"unit_den"`

	ElectedSum int64 `json:"elected_sum"`
	ElectedMin int64 `json:"elected_min"`
	ElectedMax int64 `json:"elected_max"`
	ElectionCounts
}

func newTally(m *Model) *Tally {
	S, U := len(m.stages), len(m.units)
	a := &Tally{m: m, Hash: m.hash, ElectedMin: -1}
	a.Met = make([]int64, len(m.targets))
	a.LostAt = make([][]int64, len(m.targets))
	a.UnitMisses = make([][]int64, len(m.targets))
	for i := range m.targets {
		a.LostAt[i] = make([]int64, S)
		a.UnitMisses[i] = make([]int64, U)
	}
	a.Hists = make([]*stats.ShareHist, len(m.shares))
	for i := range a.Hists {
		a.Hists[i] = stats.NewShareHist()
	}
	a.In = make([]int64, S*U)
	a.Out = make([]int64, S*U)
	a.Shortfall = make([]int64, S*U)
	a.Drops = make([]int64, S*max(1, len(m.reasons)))
	a.CompNum = make([]int64, S*len(m.shares))
	a.CompDen = make([]int64, S*len(m.shares))
	a.UnitNum = make([]int64, len(m.shares)*U)
	a.UnitNum2 = make([]int64, len(m.shares)*U)
	a.UnitDen = make([]int64, len(m.shares)*U)
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
	if t.t.Scope != scenario.ScopeEach {
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
	return t.t.Holds(c, n, memberShare)
}

func (a *Tally) add(o *obs) {
	m := a.m
	S, U := len(m.stages), len(m.units)
	last := view{m, o, S - 1}
	a.Trials++
	for i := range m.targets {
		t := &m.targets[i]
		if t.meets(last, func(u int) { a.UnitMisses[i][u]++ }) {
			a.Met[i]++
			continue
		}
		// Blame the stage after which the target stayed missed to the end:
		// a list that a later stage repaired and a still later one broke
		// again is lost where it broke.
		lost := S - 1
		for lost > 0 && !t.meets(view{m, o, lost - 1}, nil) {
			lost--
		}
		a.LostAt[i][lost]++
	}
	for s := 0; s < S; s++ {
		v := view{m, o, s}
		for i := range m.shares {
			num, den := a.shareAt(v, i)
			a.CompNum[s*len(m.shares)+i] += int64(num)
			a.CompDen[s*len(m.shares)+i] += int64(den)
			if s == S-1 && den > 0 {
				a.Hists[i].Add(float64(num) / float64(den))
			}
		}
	}
	for i := range m.shares {
		sm := &m.shares[i]
		for u := 0; u < U; u++ {
			num, den := int64(last.count(u, sm.pred)), int64(last.size(u))
			if sm.of >= 0 {
				den = int64(last.count(u, sm.of))
			}
			a.UnitNum[i*U+u] += num
			a.UnitNum2[i*U+u] += num * num
			a.UnitDen[i*U+u] += den
		}
	}
	for j := range o.size {
		a.In[j] += int64(o.in[j])
		a.Out[j] += int64(o.size[j])
		a.Shortfall[j] += int64(o.shortfall[j])
	}
	for j := range o.drops {
		a.Drops[j] += int64(o.drops[j])
	}
	elected := int64(0)
	for u := 0; u < U; u++ {
		elected += int64(last.size(u))
	}
	a.ElectedSum += elected
	if a.ElectedMin < 0 || elected < a.ElectedMin {
		a.ElectedMin = elected
	}
	a.ElectedMax = max(a.ElectedMax, elected)
	a.ElectionCounts.add(&o.votes)
}

// UnitShare returns the pooled share (Σ matching / Σ denominator over the
// trials) of share i in unit u's final list, and its standard deviation
// across trials (approximated by that of the count over the mean
// denominator); ok is false when the denominator was always empty.
func (a *Tally) UnitShare(i, u int) (mean, sd float64, ok bool) {
	U := len(a.m.units)
	j := i*U + u
	if a.UnitDen[j] == 0 || a.Trials == 0 {
		return 0, 0, false
	}
	n := float64(a.Trials)
	den := float64(a.UnitDen[j]) / n
	m1 := float64(a.UnitNum[j]) / n
	v := math.Max(0, float64(a.UnitNum2[j])/n-m1*m1)
	return float64(a.UnitNum[j]) / float64(a.UnitDen[j]), math.Sqrt(v) / den, true
}

// ShareSD returns the standard deviation across trials of tracked share i
// (at the histogram's 1e-4 resolution).
func (a *Tally) ShareSD(i int) float64 { return a.Hists[i].SD() }

func (a *Tally) shareAt(v view, i int) (num, den int) {
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

// merge adds b's counts to a's (trial ranges are the caller's business).
func (a *Tally) merge(b *Tally) {
	a.Trials += b.Trials
	addAll(a.Met, b.Met)
	for i := range a.LostAt {
		addAll(a.LostAt[i], b.LostAt[i])
		addAll(a.UnitMisses[i], b.UnitMisses[i])
	}
	for i := range a.Hists {
		a.Hists[i].Merge(b.Hists[i])
	}
	addAll(a.In, b.In)
	addAll(a.Out, b.Out)
	addAll(a.Shortfall, b.Shortfall)
	addAll(a.Drops, b.Drops)
	addAll(a.CompNum, b.CompNum)
	addAll(a.CompDen, b.CompDen)
	addAll(a.UnitNum, b.UnitNum)
	addAll(a.UnitNum2, b.UnitNum2)
	addAll(a.UnitDen, b.UnitDen)
	a.ElectedSum += b.ElectedSum
	if b.ElectedMin >= 0 && (a.ElectedMin < 0 || b.ElectedMin < a.ElectedMin) {
		a.ElectedMin = b.ElectedMin
	}
	a.ElectedMax = max(a.ElectedMax, b.ElectedMax)
	a.ElectionCounts.add(&b.ElectionCounts)
}

// ElectionCounts are the congress statistics of one trial or a sum over
// trials. A trial's observation and the run's tally share the type, so a
// counter is declared, reset and summed in one place.
type ElectionCounts struct {
	Ballots int64 `json:"ballots"`
	Invalid int64 `json:"invalid"`
	Present int64 `json:"present"`
	// Abstentions1e6 and Against1e6 are expected counts given the for-marks,
	// in units of 1e-6 (exact integer sums; see ballot).
	Abstentions1e6 int64 `json:"abstentions_1e6"`
	Against1e6     int64 `json:"against_1e6"`
	Names          int64 `json:"names"`          // names on all ballots
	FurtherRounds  int64 `json:"further_rounds"` // further rounds held
	Vacancies      int64 `json:"vacancies"`
	Failed         int64 `json:"failed_units"` // units without quorum
	// BallotShort counts names missing from ballots to meet the surplus.
	BallotShort int64 `json:"ballot_short"`
}

func (c *ElectionCounts) add(o *ElectionCounts) {
	c.Ballots += o.Ballots
	c.Invalid += o.Invalid
	c.Present += o.Present
	c.Abstentions1e6 += o.Abstentions1e6
	c.Against1e6 += o.Against1e6
	c.Names += o.Names
	c.FurtherRounds += o.FurtherRounds
	c.Vacancies += o.Vacancies
	c.Failed += o.Failed
	c.BallotShort += o.BallotShort
}

func addAll(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

// Sequential is a stopping rule: run trials in batches until Width, the
// widest half-width of the intervals the run must narrow, is below
// Precision, or MaxTrials trials have run.
type Sequential struct {
	Precision float64
	MaxTrials int
	// Width returns the widest half-width of the tally's intervals.
	Width func(t *Tally) float64
}

// NextTrials is the deterministic batch schedule of a sequential run: after
// n trials (the first batch was b) whose widest half-width is h, with
// precision eps and at most limit trials, the run continues to
//
//	min(limit, clamp(⌈n·(h/eps)²⌉ rounded up to a multiple of b, n + b, 2n))
//
// trials: a half-width shrinks as 1/√n, so n·(h/eps)² is the number of
// trials the current estimates predict will do; at least one more batch, at
// most a doubling (early estimates are rough). It returns n when h < eps or
// n ≥ limit: the run stops.
func NextTrials(n, b int, h, eps float64, limit int) int {
	if h < eps || n >= limit {
		return n
	}
	need := float64(n) * (h / eps) * (h / eps)
	next := n + b
	if need > float64(next) {
		next = int(math.Min(math.Ceil(need/float64(b))*float64(b), float64(2*n)))
	}
	return min(max(next, n+b), limit)
}

// RunSequential runs opts.Trials trials (the first batch), then further
// batches of trials FirstTrial+n … by the schedule of NextTrials, until the
// rule is met. Every decision depends only on the exact tally of the trials
// so far, so the result is the tally of a plain run of the final number of
// trials: identical for any number of workers, and reproduced by RunTally
// with that many trials.
func RunSequential(ctx context.Context, m *Model, opts Options, rule Sequential) (*Tally, error) {
	if !(rule.Precision > 0) {
		return nil, errors.New("the precision must be positive")
	}
	if rule.MaxTrials < opts.Trials {
		return nil, fmt.Errorf("the trial cap %d is below the first batch %d", rule.MaxTrials, opts.Trials)
	}
	total, err := RunTally(ctx, m, opts)
	if err != nil {
		return nil, err
	}
	b := opts.Trials
	for {
		n := int(total.Trials)
		next := NextTrials(n, b, rule.Width(total), rule.Precision, rule.MaxTrials)
		if next == n {
			return total, nil
		}
		batch := opts
		batch.FirstTrial, batch.Trials = opts.FirstTrial+n, next-n
		if opts.Progress != nil {
			batch.Progress = func(done int) { opts.Progress(n + done) }
		}
		t, err := RunTally(ctx, m, batch)
		if err != nil {
			return nil, err
		}
		total.merge(t)
	}
}

// TargetWidth returns the widest half-width, max(p̂ − lo, hi − p̂), of the
// targets' Wilson intervals at the reported Confidence: the precision of a
// run's probabilities.
func (a *Tally) TargetWidth() float64 {
	z := stats.ZForConfidence(Confidence)
	w := 0.0
	for _, met := range a.Met {
		w = math.Max(w, HalfWidth(met, a.Trials, z))
	}
	return w
}

// HalfWidth is the larger half of the Wilson interval of met of n at
// normal quantile z, max(p̂ − lo, hi − p̂).
func HalfWidth(met, n int64, z float64) float64 {
	lo, hi := stats.Wilson(met, n, z)
	p := float64(met) / float64(n)
	return math.Max(p-lo, hi-p)
}

package sweep

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"simulate/scenario"
	"simulate/sim"
	"simulate/sim/stats"
)

// Loader loads the sweep's scenario with extra "key=value" overrides
// applied after the base ones (the file, environment, flags and --set).
type Loader func(extra []string) (*scenario.Scenario, error)

// Sweep is a design bound to a scenario: its points with their seeds, and
// how to compute a point's row.
type Sweep struct {
	Design *Design
	Load   Loader
	// Base is the scenario without the swept overrides; its run settings
	// give the base seed and the trials per point.
	Base *scenario.Scenario
	// Criteria are the scenario's targets followed by the extra share
	// criteria: the probabilities every row reports.
	Criteria []Criterion
	// Extra are the extra share criteria (--share-target), written
	// canonically ("women>=0.27").
	Extra   []string
	Workers int
	Version string
	// Precision, when positive, runs every point sequentially: Trials
	// trials, then batches (sim.NextTrials) until every criterion's 95%
	// half-width is below Precision or MaxTrials trials have run.
	Precision float64
	MaxTrials int
	points    []Point
}

// New loads the base scenario and enumerates the design's points. extra are
// share criteria (SHARE>=X or SHARE<=X) reported beside the targets.
func New(d *Design, load Loader, extra []string, version string) (*Sweep, error) {
	base, err := load(nil)
	if err != nil {
		return nil, err
	}
	s := &Sweep{Design: d, Load: load, Base: base, Workers: base.Run.Workers, Version: version}
	for i := range base.Targets {
		s.Criteria = append(s.Criteria, Criterion{Spec: base.Targets[i].Name, Target: i})
	}
	for _, spec := range extra {
		if !strings.Contains(spec, ">=") && !strings.Contains(spec, "<=") {
			return nil, fmt.Errorf("share target %q: expected SHARE>=X or SHARE<=X, e.g. %s>=0.3 (shares: %s; targets are reported anyway)",
				spec, firstShare(base), shareNames(base))
		}
		c, err := ParseCriterion(base, spec)
		if err != nil {
			return nil, fmt.Errorf("share target %w", err)
		}
		s.Criteria = append(s.Criteria, c)
		s.Extra = append(s.Extra, c.Spec)
	}
	for i, c := range s.Criteria {
		for _, o := range s.Criteria[:i] {
			if o.Spec == c.Spec {
				return nil, fmt.Errorf("share target %s is given twice", c.Spec)
			}
		}
	}
	s.points = d.Enumerate(base.Run.Seed)
	return s, nil
}

// Seed is the base seed, from which every point's seed is derived.
func (s *Sweep) Seed() uint64 { return s.Base.Run.Seed }

// Trials is the number of trials run at every point.
func (s *Sweep) Trials() int { return s.Base.Run.Trials }

// Points returns all points of the sweep in order.
func (s *Sweep) Points() []Point { return s.points }

// Definition returns the sweep's definition.
func (s *Sweep) Definition() Definition {
	def := s.Design.Definition(s.Seed(), s.Trials(), s.Extra)
	if s.Precision > 0 {
		def.Precision, def.MaxTrials = s.Precision, s.MaxTrials
	}
	return def
}

// Columns returns the CSV header of the sweep's rows.
func (s *Sweep) Columns() []string { return Columns(s.Design.Keys(), s.targetNames(), s.shareNames()) }

func (s *Sweep) targetNames() []string {
	out := make([]string, len(s.Criteria))
	for i, c := range s.Criteria {
		out[i] = c.Spec
	}
	return out
}

func (s *Sweep) shareNames() []string {
	out := make([]string, len(s.Base.Shares))
	for i, sh := range s.Base.Shares {
		out[i] = sh.Name
	}
	return out
}

// Expect returns what a file continued by this sweep (writing points) must hold.
func (s *Sweep) Expect(encoding string, points []Point) Expect {
	return Expect{Encoding: encoding, Keys: s.Design.Keys(), Targets: s.targetNames(), Shares: s.shareNames(),
		ScenarioHash: s.Base.Hash(), Definition: s.Definition(), Version: s.Version, Points: points}
}

// PointError is a point whose scenario cannot be loaded or simulated.
type PointError struct {
	Point Point
	Sets  []string
	Err   error
}

func (e *PointError) Error() string {
	return fmt.Sprintf("point %d (%s): %v", e.Point.Index, joinSets(e.Sets), e.Err)
}

func (e *PointError) Unwrap() error { return e.Err }

func joinSets(sets []string) string {
	return "--set '" + strings.Join(sets, "' --set '") + "'"
}

// scenarioAt loads a point's scenario and checks that it has the base
// scenario's targets and shares.
func (s *Sweep) scenarioAt(p Point) (*scenario.Scenario, error) {
	sets := s.Design.Sets(p)
	sc, err := s.Load(sets)
	if err != nil {
		return nil, &PointError{p, sets, err}
	}
	if !slices.EqualFunc(sc.Targets, s.Base.Targets, func(a, b scenario.Target) bool { return a.Name == b.Name }) ||
		!slices.EqualFunc(sc.Shares, s.Base.Shares, func(a, b scenario.Share) bool { return a.Name == b.Name }) {
		return nil, &PointError{p, sets, errors.New("the point changes the scenario's targets or shares; every point must report the same ones")}
	}
	return sc, nil
}

// Check loads every point's scenario before anything runs, so that a bad
// value is reported at once rather than hours into the sweep. It loads on
// all CPUs and returns the error of the first failing point.
func (s *Sweep) Check(points []Point) error {
	return firstError(len(points), func(i int) error {
		_, err := s.scenarioAt(points[i])
		return err
	})
}

// firstError calls f(0) … f(n−1) on all CPUs and returns the error of the
// lowest i that failed.
func firstError(n int, f func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				errs[i] = f(i)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// RunPoint simulates one point: Trials trials from the point's seed, with
// all workers. progress, when set, receives the trials done at the point.
func (s *Sweep) RunPoint(ctx context.Context, p Point, progress func(done int)) (*Row, error) {
	sc, err := s.scenarioAt(p)
	if err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, &PointError{p, s.Design.Sets(p), err}
	}
	opts := sim.Options{Trials: s.Trials(), Seed: p.Seed, Workers: s.Workers, Progress: progress}
	var t *sim.Tally
	if s.Precision > 0 {
		t, err = sim.RunSequential(ctx, m, opts, sim.Sequential{Precision: s.Precision, MaxTrials: s.MaxTrials, Width: s.width})
	} else {
		t, err = sim.RunTally(ctx, m, opts)
	}
	if err != nil {
		return nil, err
	}
	res := t.Result()
	def := s.Definition()
	row := &Row{Point: p.Index, Points: s.Design.Points, Seed: p.Seed, Trials: int(t.Trials),
		Keys: s.Design.Keys(), Values: p.Values,
		ScenarioHash: s.Base.Hash(), SweepHash: def.Hash(), Version: s.Version, Definition: &def}
	z := stats.ZForConfidence(sim.Confidence)
	for _, c := range s.Criteria {
		if !c.IsShare() {
			tr := res.Targets[c.Target]
			row.Targets = append(row.Targets, TargetStat{Name: c.Spec, Met: tr.Met, Probability: tr.Probability, CILow: tr.CILow, CIHigh: tr.CIHigh})
			continue
		}
		met := c.Met(t)
		lo, hi := stats.Wilson(met, t.Trials, z)
		row.Targets = append(row.Targets, TargetStat{Name: c.Spec, Met: met, Probability: float64(met) / float64(t.Trials), CILow: lo, CIHigh: hi})
	}
	for _, sh := range res.Shares {
		row.Shares = append(row.Shares, ShareStat{Name: sh.Name, Mean: sh.Mean, P05: sh.P05, P50: sh.P50, P95: sh.P95})
	}
	return row, nil
}

// width is the widest 95% Wilson half-width of the criteria a row reports.
func (s *Sweep) width(t *sim.Tally) float64 {
	z := stats.ZForConfidence(sim.Confidence)
	w := 0.0
	for _, c := range s.Criteria {
		w = max(w, sim.HalfWidth(c.Met(t), t.Trials, z))
	}
	return w
}

// Progress reports a sweep's advance: the point running (its position among
// the points of this run, from 0), and the trials finished at it.
type Progress func(p Point, position, done int)

// InterruptedError reports a sweep stopped by its context after Done of
// Total points.
type InterruptedError struct {
	Done, Total int
	Err         error
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted after %d of %d points: %v", e.Done, e.Total, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// RowWriter takes the rows of a sweep as they finish; *Writer is one.
type RowWriter interface {
	Write(r *Row) error
}

var _ RowWriter = (*Writer)(nil)

// Run simulates the points in order and writes each row as soon as its point
// finishes. When ctx is cancelled, the running point is discarded and Run
// returns an *InterruptedError: w then holds exactly the finished points.
// It returns the rows it wrote.
func (s *Sweep) Run(ctx context.Context, points []Point, w RowWriter, progress Progress) ([]*Row, error) {
	var rows []*Row
	for i, p := range points {
		if err := ctx.Err(); err != nil {
			return rows, &InterruptedError{i, len(points), err}
		}
		var cb func(int)
		if progress != nil {
			cb = func(done int) { progress(p, i, done) }
		}
		row, err := s.RunPoint(ctx, p, cb)
		if err != nil {
			if ctx.Err() != nil {
				return rows, &InterruptedError{i, len(points), ctx.Err()}
			}
			return rows, err
		}
		if err := w.Write(row); err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

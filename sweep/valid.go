package sweep

import (
	"fmt"
	"math"

	"simulate/scenario"
	"simulate/sim"
	"simulate/sim/stats"
)

// MaxFileBytes bounds a sweep file read by merge or --resume. A row of the
// 20th-Congress scenario is about 1 KB, so this holds a quarter of a million
// points; a larger file is refused before it is read.
const MaxFileBytes = 256 << 20

// ciTolerance absorbs the last-bit differences of the Wilson interval
// computed on another machine (fused multiply-add); the file prints it
// exactly, to the shortest repeating decimal.
const ciTolerance = 1e-12

// Validate checks that a row could have been written by a sweep: its point
// within the sweep, 1 ≤ trials ≤ scenario.MaxTrials,
// every criterion with 0 ≤ met ≤ trials, probability met/trials and the 95%
// Wilson interval of met/trials, and every share's mean and quantiles in
// [0, 1] with p05 ≤ p50 ≤ p95. A row that fails was edited or damaged, and
// merging or resuming it would give a file that no sweep writes.
func (r *Row) Validate() error {
	switch {
	case r.Points < 1 || r.Points > MaxPoints:
		return fmt.Errorf("points is %d; a sweep has between 1 and %d", r.Points, MaxPoints)
	case r.Point < 0 || r.Point >= r.Points:
		return fmt.Errorf("point %d is outside the sweep's %d points", r.Point, r.Points)
	case r.Trials < 1 || r.Trials > scenario.MaxTrials:
		return fmt.Errorf("trials is %d; between 1 and %d", r.Trials, scenario.MaxTrials)
	case len(r.Values) != len(r.Keys):
		return fmt.Errorf("%d values for %d swept keys", len(r.Values), len(r.Keys))
	}
	z := stats.ZForConfidence(sim.Confidence)
	n := int64(r.Trials)
	for _, t := range r.Targets {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("target %s: "+format, append([]any{t.Name}, args...)...)
		}
		if !finite(t.Probability) || !finite(t.CILow) || !finite(t.CIHigh) {
			return bad("probability and interval must be numbers, got %v [%v, %v]", t.Probability, t.CILow, t.CIHigh)
		}
		if t.Met < 0 || t.Met > n {
			return bad("met is %d, outside 0 … %d trials", t.Met, n)
		}
		if p := float64(t.Met) / float64(n); t.Probability != p {
			return bad("probability %s is not met/trials = %d/%d = %s", num(t.Probability), t.Met, n, num(p))
		}
		lo, hi := stats.Wilson(t.Met, n, z)
		if math.Abs(t.CILow-lo) > ciTolerance || math.Abs(t.CIHigh-hi) > ciTolerance {
			return bad("interval [%s, %s] is not the 95%% Wilson interval of %d/%d, [%s, %s]",
				num(t.CILow), num(t.CIHigh), t.Met, n, num(lo), num(hi))
		}
	}
	for _, s := range r.Shares {
		for _, v := range []float64{s.Mean, s.P05, s.P50, s.P95} {
			if !finite(v) || v < 0 || v > 1 {
				return fmt.Errorf("share %s: mean and quantiles must be between 0 and 1, got %v", s.Name, v)
			}
		}
		if s.P05 > s.P50 || s.P50 > s.P95 {
			return fmt.Errorf("share %s: quantiles out of order: p05 %s, p50 %s, p95 %s", s.Name, quantile(s.P05), quantile(s.P50), quantile(s.P95))
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

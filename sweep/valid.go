package sweep

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

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
	if err := r.validateDefinition(); err != nil {
		return err
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

// validateDefinition checks the row against its sweep definition: the
// definition hashes to the row's sweep_sha256, and gives its points, trials,
// keys, criteria and its seed: the base seed (common random numbers) or
// the one derived from the base seed and the point's values (independent).
func (r *Row) validateDefinition() error {
	d := r.Definition
	if d == nil {
		return errors.New(OldFormat)
	}
	keys, err := d.Keys()
	if err != nil {
		return err
	}
	switch {
	case d.Hash() != r.SweepHash:
		return fmt.Errorf("its sweep_definition does not hash to its sweep_sha256 %.12s…: one of them was edited", r.SweepHash)
	case d.Format != FormatTag:
		return fmt.Errorf("its sweep definition has format %q; this program writes %q", d.Format, FormatTag)
	case d.Points != r.Points:
		return fmt.Errorf("points %d differ from its sweep definition's %d", r.Points, d.Points)
	case d.Precision == 0 && d.Trials != r.Trials:
		return fmt.Errorf("trials %d differ from its sweep definition's %d", r.Trials, d.Trials)
	case d.Precision > 0 && (r.Trials < d.Trials || r.Trials > d.MaxTrials):
		return fmt.Errorf("trials %d differ from its sweep definition's %d … %d (--precision)", r.Trials, d.Trials, d.MaxTrials)
	case !slices.Equal(keys, r.Keys):
		return fmt.Errorf("its keys %s are not its sweep definition's %s", strings.Join(r.Keys, ", "), strings.Join(keys, ", "))
	case len(r.Targets) < len(d.Criteria) || !slices.Equal(r.targetNames()[len(r.Targets)-len(d.Criteria):], d.Criteria):
		return fmt.Errorf("its targets %s do not end with its sweep definition's share targets %s", strings.Join(r.targetNames(), ", "), strings.Join(d.Criteria, ", "))
	}
	switch d.RandomNumbers {
	case RandomCommon:
		if r.Seed != d.Seed {
			return fmt.Errorf("seed %d is not the point's seed %d (common random numbers: the base seed)", r.Seed, d.Seed)
		}
	case RandomIndependent:
		if want := PointSeed(d.Seed, r.Keys, r.Values); r.Seed != want {
			return fmt.Errorf("seed %d is not the point's seed %d (derived from the base seed %d and the point's values)", r.Seed, want, d.Seed)
		}
	default:
		return fmt.Errorf("its sweep definition's random numbers are %q; this program writes %q or %q", d.RandomNumbers, RandomCommon, RandomIndependent)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Package compare sets two runs side by side: for every target the
// probability it is met and for every tracked share its mean, in A and in B,
// and the difference A − B with its interval.
//
// Two scenarios simulated on the same trial numbers with the same seed
// share every random draw their differences do not change (common random
// numbers, see sim.RunPaired). Their difference is then estimated from the
// per-trial paired differences, whose variance is far smaller than the sum of
// the two variances: a target's difference gets Newcombe's interval for
// paired proportions (stats.NewcombePaired), a share's the normal interval of
// the mean paired difference. Runs with different seeds, or run results read
// from files (which hold no per-trial outcomes), are compared as independent
// samples: Newcombe's hybrid score interval (stats.NewcombeDiff) for targets
// and Welch's normal interval for share means.
package compare

import (
	"fmt"
	"math"
	"strings"

	"simulate/sim"
	"simulate/sim/stats"
)

// Methods of a difference's interval.
const (
	Paired      = "paired"
	Independent = "independent"
)

// Kinds of rows.
const (
	KindTarget = "target"
	KindShare  = "share"
)

// Estimate is a value with its interval.
type Estimate struct {
	Value  float64 `json:"value"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
}

// Row compares one target's probability or one share's mean.
type Row struct {
	Kind string   `json:"kind"`
	Name string   `json:"name"`
	A    Estimate `json:"a"`
	B    Estimate `json:"b"`
	// Diff is A − B.
	Diff Estimate `json:"difference"`
	// Method is Paired or Independent.
	Method string `json:"method"`
}

// Side describes one of the two runs.
type Side struct {
	// Source is the scenario (file or embedded name) or run file given.
	Source   string   `json:"source"`
	Scenario string   `json:"scenario"`
	Hash     string   `json:"scenario_sha256"`
	Seed     uint64   `json:"seed"`
	Trials   int64    `json:"trials"`
	Sets     []string `json:"sets,omitempty"`
}

// Comparison is the outcome of a comparison.
type Comparison struct {
	A, B       Side
	Paired     bool    `json:"paired"`
	Confidence float64 `json:"confidence"`
	Rows       []Row   `json:"rows"`
	// Notes explain the method and what could not be compared.
	Notes   []string `json:"notes,omitempty"`
	Version string   `json:"version"`
}

// FromPaired compares two scenarios from their paired tally. The intervals
// are paired when both ran with the same seed, independent otherwise.
func FromPaired(t *sim.PairedTally, a, b Side, confidence float64) *Comparison {
	z := stats.ZForConfidence(confidence)
	paired := t.SeedA == t.SeedB
	c := &Comparison{A: a, B: b, Paired: paired, Confidence: confidence}
	c.A.Trials, c.B.Trials = t.Trials, t.Trials
	c.A.Seed, c.B.Seed = t.SeedA, t.SeedB
	n := t.Trials
	for _, tp := range t.Targets {
		ka, kb := tp.Both+tp.OnlyA, tp.Both+tp.OnlyB
		r := Row{Kind: KindTarget, Name: tp.Name, A: proportion(ka, n, z), B: proportion(kb, n, z), Method: Independent}
		r.Diff.Value = float64(tp.OnlyA-tp.OnlyB) / float64(n)
		if paired {
			r.Method = Paired
			r.Diff.CILow, r.Diff.CIHigh = stats.NewcombePaired(tp.Both, tp.OnlyA, tp.OnlyB, tp.Neither, z)
		} else {
			r.Diff.CILow, r.Diff.CIHigh = stats.NewcombeDiff(ka, n, kb, n, z)
		}
		c.Rows = append(c.Rows, r)
	}
	for _, sp := range t.Shares {
		ma, va := moments(sp.NA, sp.SumA, sp.SumA2)
		mb, vb := moments(sp.NB, sp.SumB, sp.SumB2)
		r := Row{Kind: KindShare, Name: sp.Name, A: mean(ma, va, sp.NA, z), B: mean(mb, vb, sp.NB, z), Method: Independent}
		if paired {
			r.Method = Paired
			md, vd := moments(sp.N, sp.SumD, sp.SumD2)
			r.Diff = mean(md, vd, sp.N, z)
		} else {
			r.Diff = welch(ma, va, sp.NA, mb, vb, sp.NB, z)
		}
		c.Rows = append(c.Rows, r)
	}
	if paired {
		c.Notes = append(c.Notes, "paired: both ran the same trial numbers with the same seed (common random numbers); the differences come from the per-trial paired outcomes")
	} else {
		c.Notes = append(c.Notes, "independent: the two ran with different seeds; the intervals are those of two independent samples")
	}
	return c
}

// FromResults compares two run results (e.g. read from 'simulate run
// --format json' files) as independent samples: they hold no per-trial
// outcomes to pair. Targets and shares are matched by name.
func FromResults(ra, rb *sim.Result, a, b Side, confidence float64) *Comparison {
	z := stats.ZForConfidence(confidence)
	c := &Comparison{A: a, B: b, Confidence: confidence}
	c.A.Scenario, c.A.Hash, c.A.Seed, c.A.Trials = ra.Scenario, ra.Hash, ra.Seed, int64(ra.Trials)
	c.B.Scenario, c.B.Hash, c.B.Seed, c.B.Trials = rb.Scenario, rb.Hash, rb.Seed, int64(rb.Trials)
	na, nb := int64(ra.Trials), int64(rb.Trials)
	var onlyA, onlyB []string
	for _, ta := range ra.Targets {
		i := indexOf(rb.Targets, func(t sim.TargetResult) bool { return t.Name == ta.Name })
		if i < 0 {
			onlyA = append(onlyA, "target "+ta.Name)
			continue
		}
		tb := rb.Targets[i]
		r := Row{Kind: KindTarget, Name: ta.Name, A: proportion(ta.Met, na, z), B: proportion(tb.Met, nb, z), Method: Independent}
		r.Diff.Value = r.A.Value - r.B.Value
		r.Diff.CILow, r.Diff.CIHigh = stats.NewcombeDiff(ta.Met, na, tb.Met, nb, z)
		c.Rows = append(c.Rows, r)
	}
	for _, tb := range rb.Targets {
		if indexOf(ra.Targets, func(t sim.TargetResult) bool { return t.Name == tb.Name }) < 0 {
			onlyB = append(onlyB, "target "+tb.Name)
		}
	}
	for _, sa := range ra.Shares {
		i := indexOf(rb.Shares, func(s sim.ShareResult) bool { return s.Name == sa.Name })
		if i < 0 {
			onlyA = append(onlyA, "share "+sa.Name)
			continue
		}
		sb := rb.Shares[i]
		va, vb := sa.SD*sa.SD, sb.SD*sb.SD
		r := Row{Kind: KindShare, Name: sa.Name, A: mean(sa.Mean, va, sa.Samples, z), B: mean(sb.Mean, vb, sb.Samples, z), Method: Independent}
		r.Diff = welch(sa.Mean, va, sa.Samples, sb.Mean, vb, sb.Samples, z)
		c.Rows = append(c.Rows, r)
	}
	for _, sb := range rb.Shares {
		if indexOf(ra.Shares, func(s sim.ShareResult) bool { return s.Name == sb.Name }) < 0 {
			onlyB = append(onlyB, "share "+sb.Name)
		}
	}
	note := "independent: run files hold no per-trial outcomes, so the intervals are those of two independent samples"
	if ra.Seed == rb.Seed {
		note += fmt.Sprintf("; both ran with seed %d, so with common random numbers their estimates are positively correlated and these intervals are wider than the paired ones 'simulate compare' gives for the two scenarios", ra.Seed)
	}
	c.Notes = append(c.Notes, note)
	if len(onlyA) > 0 {
		c.Notes = append(c.Notes, "only in A, not compared: "+strings.Join(onlyA, ", "))
	}
	if len(onlyB) > 0 {
		c.Notes = append(c.Notes, "only in B, not compared: "+strings.Join(onlyB, ", "))
	}
	return c
}

func indexOf[T any](s []T, f func(T) bool) int {
	for i, v := range s {
		if f(v) {
			return i
		}
	}
	return -1
}

// proportion is k of n with its Wilson interval.
func proportion(k, n int64, z float64) Estimate {
	if n <= 0 {
		return Estimate{math.NaN(), math.NaN(), math.NaN()}
	}
	lo, hi := stats.Wilson(k, n, z)
	return Estimate{float64(k) / float64(n), lo, hi}
}

// moments returns the mean and the sample variance (n − 1 in the
// denominator) of n fixed-point values with sum s and sum of squares s2.
func moments(n, s, s2 int64) (m, v float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	const k = sim.ShareScale
	m = float64(s) / float64(n) / k
	if n > 1 {
		// Σ(x − x̄)² = Σx² − (Σx)²/n, in scaled integers as far as exact.
		ss := float64(s2) - float64(s)*float64(s)/float64(n)
		v = math.Max(0, ss/float64(n-1)) / (k * k)
	}
	return m, v
}

// mean is a mean with its normal interval m ± z·√(v/n).
func mean(m, v float64, n int64, z float64) Estimate {
	if n <= 0 || math.IsNaN(m) {
		return Estimate{math.NaN(), math.NaN(), math.NaN()}
	}
	h := z * math.Sqrt(v/float64(n))
	return Estimate{m, m - h, m + h}
}

// welch is the difference of two independent means with the normal interval
// (ma − mb) ± z·√(va/na + vb/nb).
func welch(ma, va float64, na int64, mb, vb float64, nb int64, z float64) Estimate {
	if na <= 0 || nb <= 0 {
		return Estimate{math.NaN(), math.NaN(), math.NaN()}
	}
	d := ma - mb
	h := z * math.Sqrt(va/float64(na)+vb/float64(nb))
	return Estimate{d, d - h, d + h}
}

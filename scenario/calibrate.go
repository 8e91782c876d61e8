package scenario

import (
	"fmt"
	"math"
	"reflect"
	"strings"
)

// Calibration declares what `simulate calibrate` may move and what it must
// match: free parameters (paths into the scenario, with bounds) and
// published facts (national or per-unit shares, targets published as met or
// missed, the number elected).
type Calibration struct {
	// Trials and Seed fix the Monte Carlo run of every evaluation: the same
	// trials and seed at every point (common random numbers).
	Trials int    `yaml:"trials" mapstructure:"trials"`
	Seed   uint64 `yaml:"seed" mapstructure:"seed"`
	// MaxEvaluations bounds the number of evaluations of the objective.
	MaxEvaluations int `yaml:"max_evaluations" mapstructure:"max_evaluations"`
	// Tolerance is the default scale of a share's error (0.005: half a
	// point counts as one unit of the objective).
	Tolerance float64 `yaml:"tolerance" mapstructure:"tolerance"`
	// MetProbability is the probability a target published as met should
	// reach (or, published as missed, stay below one minus it).
	MetProbability float64 `yaml:"met_probability" mapstructure:"met_probability"`
	// Parameters are the free parameters.
	Parameters []CalibrationParam `yaml:"parameters" mapstructure:"parameters"`
	// Facts are what the fit must reproduce; empty means every share with a
	// published value and every target with a published outcome.
	Facts []Fact `yaml:"facts" mapstructure:"facts"`
}

// CalibrationParam is one free parameter: a scenario path written as for
// --set, and its bounds.
type CalibrationParam struct {
	Path string `yaml:"path" mapstructure:"path"`
	// Also lists further paths that always take the same value (one
	// behaviour written in several places, e.g. two lists' score bias).
	Also []string `yaml:"also" mapstructure:"also"`
	Min  float64  `yaml:"min" mapstructure:"min"`
	Max  float64  `yaml:"max" mapstructure:"max"`
	// Scale is linear (default) or log (Min must then be positive).
	Scale string `yaml:"scale" mapstructure:"scale"`
}

// Fact is one published fact. Exactly one of Share, Target or Elected is
// set.
type Fact struct {
	// Share names a tracked share; Unit, when set, takes it in that unit
	// only. Published defaults to the share's published value (national
	// facts only).
	Share string `yaml:"share" mapstructure:"share"`
	Unit  string `yaml:"unit" mapstructure:"unit"`
	// Target names a target with a published outcome (met or missed).
	Target string `yaml:"target" mapstructure:"target"`
	// Elected is the published number of people elected (and seated).
	Elected *int `yaml:"elected" mapstructure:"elected"`
	// Published is the published value of a share fact.
	Published *float64 `yaml:"published" mapstructure:"published"`
	// Tolerance overrides the default scale of this fact's error: a share
	// for share facts, a number of people for Elected.
	Tolerance float64 `yaml:"tolerance" mapstructure:"tolerance"`
	// Source says where the fact comes from (free text).
	Source string `yaml:"source" mapstructure:"source"`
}

// Calibration defaults.
const (
	DefaultCalibrationTrials      = 200
	DefaultCalibrationEvaluations = 300
	DefaultCalibrationTolerance   = 0.005
	DefaultElectedTolerance       = 2
	DefaultMetProbability         = 0.9
	ScaleLinear                   = "linear"
	ScaleLog                      = "log"
	// MaxCalibrationParams bounds the number of free parameters.
	MaxCalibrationParams = 50
)

func (sc *Scenario) validateCalibration(ps *problems) {
	c := sc.Calibrate
	if c == nil {
		return
	}
	const p = "calibrate"
	if c.Trials < 1 || c.Trials > MaxTrials {
		ps.add(p+".trials", "must be between 1 and %d, got %d", MaxTrials, c.Trials)
	}
	if c.MaxEvaluations < 1 || c.MaxEvaluations > 1_000_000 {
		ps.add(p+".max_evaluations", "must be between 1 and 1000000, got %d", c.MaxEvaluations)
	}
	if !finite(c.Tolerance) || c.Tolerance <= 0 || c.Tolerance > 1 {
		ps.add(p+".tolerance", "must be above 0 and at most 1, got %v", c.Tolerance)
	}
	if !finite(c.MetProbability) || c.MetProbability <= 0.5 || c.MetProbability >= 1 {
		ps.add(p+".met_probability", "must be above 0.5 and below 1, got %v", c.MetProbability)
	}
	if len(c.Parameters) == 0 {
		ps.add(p+".parameters", "at least one parameter is required (a path, min and max)")
	}
	if len(c.Parameters) > MaxCalibrationParams {
		ps.add(p+".parameters", "at most %d parameters, got %d", MaxCalibrationParams, len(c.Parameters))
	}
	seen := map[string]bool{}
	for i, q := range c.Parameters {
		qp := fmt.Sprintf("%s.parameters[%d]", p, i)
		if strings.TrimSpace(q.Path) == "" {
			ps.add(qp+".path", "is required, e.g. stages[name=election].elect.voters.approval")
		}
		for j, path := range append([]string{q.Path}, q.Also...) {
			pp := qp + ".path"
			if j > 0 {
				pp = fmt.Sprintf("%s.also[%d]", qp, j-1)
			}
			if strings.TrimSpace(path) == "" {
				if j > 0 {
					ps.add(pp, "is empty")
				}
				continue
			}
			checkParamPath(ps, pp, path, seen)
		}
		if !finite(q.Min) || !finite(q.Max) || q.Min >= q.Max {
			ps.add(qp, "needs finite bounds with min < max, got min %v, max %v", q.Min, q.Max)
		}
		switch q.Scale {
		case "", ScaleLinear:
		case ScaleLog:
			if q.Min <= 0 {
				ps.add(qp+".min", "a log-scale parameter needs min > 0, got %v", q.Min)
			}
		default:
			ps.add(qp+".scale", "must be linear or log, got %q", q.Scale)
		}
	}
	shares := map[string]*Share{}
	for i := range sc.Shares {
		shares[sc.Shares[i].Name] = &sc.Shares[i]
	}
	targets := map[string]*Target{}
	for i := range sc.Targets {
		targets[sc.Targets[i].Name] = &sc.Targets[i]
	}
	units := map[string]bool{}
	for _, u := range sc.Units {
		units[u.Name] = true
	}
	for i, f := range c.Facts {
		fp := fmt.Sprintf("%s.facts[%d]", p, i)
		kinds := 0
		for _, set := range []bool{f.Share != "", f.Target != "", f.Elected != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			ps.add(fp, "needs exactly one of share, target or elected")
			continue
		}
		if f.Tolerance < 0 || !finite(f.Tolerance) {
			ps.add(fp+".tolerance", "must be at least 0 (0: the default), got %v", f.Tolerance)
		}
		switch {
		case f.Share != "":
			s, ok := shares[f.Share]
			if !ok {
				ps.add(fp+".share", "no tracked share is named %q%s", f.Share, didYouMean(f.Share, SortedKeys(shares)))
				continue
			}
			if f.Unit != "" && !units[f.Unit] {
				ps.add(fp+".unit", "unknown unit %q%s", f.Unit, didYouMean(f.Unit, SortedKeys(units)))
			}
			if f.Published == nil && (f.Unit != "" || s.Published == nil) {
				ps.add(fp+".published", "is required: share %q has no published value%s", f.Share, map[bool]string{true: " for a unit", false: ""}[f.Unit != ""])
			}
			if f.Published != nil {
				checkUnit(ps, fp+".published", *f.Published)
			}
		case f.Target != "":
			t, ok := targets[f.Target]
			if !ok {
				ps.add(fp+".target", "no target is named %q%s", f.Target, didYouMean(f.Target, SortedKeys(targets)))
				continue
			}
			if t.Published == "" {
				ps.add(fp+".target", "target %q has no published outcome: set its published: met or missed", f.Target)
			}
			if f.Unit != "" || f.Published != nil {
				ps.add(fp, "a target fact takes its outcome from the target's published field; drop unit and published")
			}
		default:
			if *f.Elected < 0 || *f.Elected > sc.Quota {
				ps.add(fp+".elected", "must be between 0 and the quota %d, got %d", sc.Quota, *f.Elected)
			}
			if f.Unit != "" || f.Published != nil {
				ps.add(fp, "an elected fact is the national number; drop unit and published")
			}
		}
	}
	if len(c.Facts) == 0 && len(sc.CalibrationFacts()) == 0 {
		ps.add(p+".facts", "nothing to fit: no share has a published value and no target a published outcome; list facts here")
	}
}

// checkParamPath checks that a calibration parameter's path names a number
// of the model, once.
func checkParamPath(ps *problems, p, path string, seen map[string]bool) {
	if segs, err := splitPath(path); err != nil {
		ps.add(p, "%v", err)
	} else if k := strings.ToLower(segs[0].key); k == "calibrate" || k == "run" {
		ps.add(p, "%q is a setting of the run, not of the model", path)
	} else if t, err := knownPathType(path); err != nil {
		ps.add(p, "%q: %s", path, err.String())
	} else if k := t.Kind(); k != reflect.Float64 && k != reflect.Int {
		ps.add(p, "%q names %s, not a number", path, goTypeWords(t.String()))
	} else if seen[path] {
		ps.add(p, "%q is listed twice", path)
	}
	seen[path] = true
}

// CalibrationFacts returns the facts a calibration fits: the declared ones,
// or by default every share with a published value and every target with a
// published outcome.
func (sc *Scenario) CalibrationFacts() []Fact {
	if sc.Calibrate != nil && len(sc.Calibrate.Facts) > 0 {
		return sc.Calibrate.Facts
	}
	var out []Fact
	for _, s := range sc.Shares {
		if s.Published != nil {
			out = append(out, Fact{Share: s.Name})
		}
	}
	for _, t := range sc.Targets {
		if t.Published != "" {
			out = append(out, Fact{Target: t.Name})
		}
	}
	return out
}

// Log-scale helpers for calibration parameters.

// ToUnit maps a parameter value into [0, 1] of its range (log-scaled if so
// declared).
func (q CalibrationParam) ToUnit(v float64) float64 {
	if q.Scale == ScaleLog {
		return (math.Log(v) - math.Log(q.Min)) / (math.Log(q.Max) - math.Log(q.Min))
	}
	return (v - q.Min) / (q.Max - q.Min)
}

// FromUnit maps u in [0, 1] back to a parameter value.
func (q CalibrationParam) FromUnit(u float64) float64 {
	if q.Scale == ScaleLog {
		return math.Exp(math.Log(q.Min) + u*(math.Log(q.Max)-math.Log(q.Min)))
	}
	return q.Min + u*(q.Max-q.Min)
}

// didYouMean suggests the nearest of names to name (at most a third of its
// letters edited), or lists the names when there are few.
func didYouMean(name string, names []string) string {
	best := nearest(name, names)
	switch {
	case best != "":
		return fmt.Sprintf("; did you mean %q?", best)
	case len(names) == 0:
		return " (there are none)"
	case len(names) <= 12:
		return " (known: " + strings.Join(names, ", ") + ")"
	}
	return ""
}

package sim

import (
	"encoding/json"
	"fmt"
	"strconv"

	"simulate/scenario"
)

// A predictive check of the published facts: does the model, run as
// calibrated, reproduce what was actually reported? A published share is
// reproduced when it lies inside the model's 90% predictive interval
// [p05, p95] across trials; a target published as met is reproduced when the
// model meets it in at least half of the trials, one published as missed
// when it meets it in at most half. Reality is then a typical draw of the
// model.

// Kinds of published fact.
const (
	FactShare  = "share"
	FactTarget = "target"
)

// factTolerance absorbs float noise when a published value equals an
// interval bound: the quantiles have a resolution of 1e-4, so this changes
// no decision that the data could make.
const factTolerance = 1e-9

// FactCheck is the predictive check of a scenario's published facts.
type FactCheck struct {
	Reproduced int    `json:"reproduced"`
	Total      int    `json:"total"`
	Items      []Fact `json:"items"`
}

// Fact is one published fact set against the model.
type Fact struct {
	Kind  string `json:"kind"` // FactShare or FactTarget
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	// Source says where the fact was published (the scenario's source field).
	Source string `json:"source,omitempty"`
	// Published is the published share (a JSON number) or the published
	// outcome of a target ("met" or "missed").
	Published FactValue `json:"published"`
	// Model is the model's value: the mean share across trials, or the
	// probability that the target is met.
	Model float64 `json:"model"`
	// Low and High bound it: for a share its 90% predictive interval
	// [p05, p95], for a target the 95% Wilson interval of P(met).
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Criterion says in words when the fact counts as reproduced.
	Criterion  string `json:"criterion"`
	Reproduced bool   `json:"reproduced"`
}

// FactValue is a published value: a share, or a target's outcome.
type FactValue struct {
	// Share is the published share when Outcome is empty.
	Share float64
	// Outcome is scenario.PublishedMet or scenario.PublishedMissed for a target.
	Outcome string
}

// MarshalJSON writes a share as a number and an outcome as a string.
func (v FactValue) MarshalJSON() ([]byte, error) {
	if v.Outcome != "" {
		return json.Marshal(v.Outcome)
	}
	return json.Marshal(v.Share)
}

// UnmarshalJSON reads a number (a share) or a string (an outcome).
func (v *FactValue) UnmarshalJSON(b []byte) error {
	*v = FactValue{}
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &v.Outcome)
	}
	return json.Unmarshal(b, &v.Share)
}

// String gives a share as a percentage and an outcome as it is.
func (v FactValue) String() string {
	if v.Outcome != "" {
		return v.Outcome
	}
	return percent(v.Share)
}

// CheckFacts sets every published fact of the scenario against the
// model's results: targets with a published outcome first, then shares
// with a published value, each in the order of the results (the
// scenario's). It returns nil when the
// scenario publishes nothing.
func CheckFacts(sc *scenario.Scenario, targets []TargetResult, shares []ShareResult) *FactCheck {
	published := map[string]*scenario.Target{}
	for i := range sc.Targets {
		published[sc.Targets[i].Name] = &sc.Targets[i]
	}
	sources := map[string]string{}
	for _, s := range sc.Shares {
		sources[s.Name] = s.Source
	}
	fc := &FactCheck{}
	for _, t := range targets {
		st := published[t.Name]
		if st == nil {
			continue
		}
		if f, ok := TargetFact(t, st.Published); ok {
			f.Source = st.Source
			fc.add(f)
		}
	}
	for _, s := range shares {
		if f, ok := ShareFact(s); ok {
			f.Source = sources[s.Name]
			fc.add(f)
		}
	}
	if fc.Total == 0 {
		return nil
	}
	return fc
}

func (fc *FactCheck) add(f Fact) {
	fc.Items = append(fc.Items, f)
	fc.Total++
	if f.Reproduced {
		fc.Reproduced++
	}
}

// TargetFact checks a target's published outcome (scenario.PublishedMet or
// PublishedMissed) against the probability that the model meets it; ok is
// false when nothing was published.
func TargetFact(t TargetResult, outcome string) (f Fact, ok bool) {
	f = Fact{Kind: FactTarget, Name: t.Name, Label: t.Label, Published: FactValue{Outcome: outcome},
		Model: t.Probability, Low: t.CILow, High: t.CIHigh}
	switch outcome {
	case scenario.PublishedMet:
		f.Criterion = "P(met) ≥ 0.5: the model meets it in at least half of the trials"
		f.Reproduced = t.Probability >= 0.5
	case scenario.PublishedMissed:
		f.Criterion = "P(met) ≤ 0.5: the model misses it in at least half of the trials"
		f.Reproduced = t.Probability <= 0.5
	default:
		return Fact{}, false
	}
	return f, true
}

// ShareFact checks a share's published value against the model's 90%
// predictive interval [p05, p95], bounds included; ok is false when the
// share has no published value. A share that no trial defined (samples 0)
// reproduces nothing.
func ShareFact(s ShareResult) (f Fact, ok bool) {
	if s.Published == nil {
		return Fact{}, false
	}
	p := *s.Published
	f = Fact{Kind: FactShare, Name: s.Name, Label: s.Label, Published: FactValue{Share: p},
		Model: s.Mean, Low: s.P05, High: s.P95,
		Criterion: "published value within the model's 90% predictive interval [p05, p95] across trials"}
	f.Reproduced = s.Samples > 0 && p >= s.P05-factTolerance && p <= s.P95+factTolerance
	if s.Samples == 0 {
		f.Criterion += "; no trial defined the share"
	}
	return f, true
}

// Verdict sets the published value against the model in a few words, e.g.
// "P 0.000 < 0.5" or "48.2% > p95 45.0%".
func (f Fact) Verdict() string {
	if f.Kind == FactTarget {
		p := "P " + strconv.FormatFloat(f.Model, 'f', 3, 64)
		switch {
		case f.Published.Outcome == scenario.PublishedMet && f.Reproduced:
			return p + " ≥ 0.5"
		case f.Published.Outcome == scenario.PublishedMet:
			return p + " < 0.5"
		case f.Reproduced:
			return p + " ≤ 0.5"
		default:
			return p + " > 0.5"
		}
	}
	v := f.Published.Share
	switch {
	case v < f.Low-factTolerance:
		a, b := percents(v, f.Low)
		return fmt.Sprintf("%s < p05 %s", a, b)
	case v > f.High+factTolerance:
		a, b := percents(v, f.High)
		return fmt.Sprintf("%s > p95 %s", a, b)
	}
	if !f.Reproduced {
		// Inside the bounds yet not reproduced: no trial defined the share.
		return "never defined"
	}
	return fmt.Sprintf("%s in [%s, %s]", percent(v), percent(f.Low), percent(f.High))
}

func percent(v float64) string {
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

// percents formats two different shares as percentages with one decimal, or
// two (the quantiles' resolution) when one would print them alike.
func percents(a, b float64) (string, string) {
	x, y := percent(a), percent(b)
	if x == y {
		x = strconv.FormatFloat(100*a, 'f', 2, 64) + "%"
		y = strconv.FormatFloat(100*b, 'f', 2, 64) + "%"
	}
	return x, y
}

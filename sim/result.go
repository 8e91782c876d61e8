package sim

import (
	"slices"

	"simulate/scenario"
	"simulate/sim/stats"
)

// Confidence is the level of the intervals reported for target probabilities.
const Confidence = 0.95

// Result summarises a run. Means are per trial.
type Result struct {
	Scenario string `json:"scenario"`
	Hash     string `json:"scenario_sha256"`
	Seed     uint64 `json:"seed"`
	Trials   int    `json:"trials"`
	// Version is the program version, filled in by the caller.
	Version string `json:"version"`
	// Seats is the quota; Elected summarises how many were seated per trial.
	Seats    int              `json:"seats"`
	Elected  Summary          `json:"elected"`
	Targets  []TargetResult   `json:"targets"`
	Shares   []ShareResult    `json:"shares"`
	Funnel   []StageResult    `json:"funnel"`
	Election *ElectionSummary `json:"election,omitempty"`
	// Facts is the predictive check of the published facts (facts.go);
	// nil when the scenario publishes none.
	Facts *FactCheck `json:"facts,omitempty"`
}

// Summary is the mean and range of a count across trials.
type Summary struct {
	Mean float64 `json:"mean"`
	Min  int64   `json:"min"`
	Max  int64   `json:"max"`
}

// TargetResult is the estimated probability that a target is met, with its
// Wilson score interval, and where misses arose.
type TargetResult struct {
	Name        string  `json:"name"`
	Label       string  `json:"label,omitempty"`
	Met         int64   `json:"met"`
	Probability float64 `json:"probability"`
	CILow       float64 `json:"ci_low"`
	CIHigh      float64 `json:"ci_high"`
	// MissedAt counts, per stage, the missed trials in which that stage's
	// list was the first of an unbroken run of lists missing the target up to
	// the end: the stage where the target was lost for good.
	MissedAt []StageCount `json:"missed_at,omitempty"`
	// UnitMisses counts, for per-unit targets, the trials each unit missed it.
	UnitMisses []UnitCount `json:"unit_misses,omitempty"`
}

// StageCount is a count attributed to a stage.
type StageCount struct {
	Stage string `json:"stage"`
	Count int64  `json:"count"`
}

// UnitCount is a count attributed to a unit.
type UnitCount struct {
	Unit  string `json:"unit"`
	Count int64  `json:"count"`
}

// ShareResult is the distribution across trials of an elected share.
// Quantiles have a resolution of 1e-4.
type ShareResult struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	// Samples is the number of trials in which the share was defined (its
	// denominator was not empty); the statistics are 0 when there were none.
	Samples int64   `json:"samples"`
	Mean    float64 `json:"mean"`
	// SD is the standard deviation across trials (at the 1e-4 resolution).
	SD        float64  `json:"sd"`
	P05       float64  `json:"p05"`
	P50       float64  `json:"p50"`
	P95       float64  `json:"p95"`
	Min       float64  `json:"min"`
	Max       float64  `json:"max"`
	Published *float64 `json:"published,omitempty"`
}

// StageResult is one row of the funnel: mean list sizes entering and leaving
// a stage per trial, why people were dropped, and the tracked shares of the
// list the stage produced.
type StageResult struct {
	Stage   string  `json:"stage"`
	Label   string  `json:"label,omitempty"`
	LabelZh string  `json:"label_zh,omitempty"`
	Kind    string  `json:"kind"`
	Entered float64 `json:"entered"`
	// Left is the mean number who left the stage onward (passed it).
	Left    float64 `json:"left"`
	Dropped float64 `json:"dropped"`
	// Shortfall is the mean number of list places or seats the stage could not fill.
	Shortfall   float64         `json:"shortfall"`
	Reasons     []ReasonMean    `json:"reasons,omitempty"`
	Composition []ShareMean     `json:"composition,omitempty"`
	Units       []UnitStageMean `json:"units,omitempty"`
}

// ReasonMean is the mean number dropped per trial for one reason.
type ReasonMean struct {
	Reason string  `json:"reason"`
	Mean   float64 `json:"mean"`
}

// ShareMean is a tracked share of a list, pooled over trials.
type ShareMean struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
}

// UnitStageMean is one unit's part of a funnel row.
type UnitStageMean struct {
	Unit      string  `json:"unit"`
	Entered   float64 `json:"entered"`
	Left      float64 `json:"left"`
	Shortfall float64 `json:"shortfall"`
}

// ElectionSummary describes the congress votes, per trial.
type ElectionSummary struct {
	Ballots      float64 `json:"ballots"`
	InvalidShare float64 `json:"invalid_share"`
	Turnout      float64 `json:"turnout"`
	// AbstainShare and AgainstShare are shares of all names on valid and
	// invalid ballots alike.
	AbstainShare  float64 `json:"abstain_share"`
	AgainstShare  float64 `json:"against_share"`
	FurtherRounds float64 `json:"further_rounds"`
	Vacancies     float64 `json:"vacancies"`
	FailedUnits   float64 `json:"failed_units"`
	// BallotShort is the mean number of local names missing from ballots to
	// meet the required surplus, whatever the cause (a filter between the
	// reserve list and the vote, or a list that could not be filled earlier).
	BallotShort float64 `json:"ballot_short"`
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Result summarises the tally.
func (a *Tally) Result() *Result {
	m := a.m
	sc := m.Scenario
	S, U := len(m.stages), len(m.units)
	z := stats.ZForConfidence(Confidence)
	r := &Result{
		Scenario: sc.Name, Hash: a.Hash, Seed: a.Seed, Trials: int(a.Trials), Seats: sc.Quota,
		Elected: Summary{Mean: ratio(a.ElectedSum, a.Trials), Min: a.ElectedMin, Max: a.ElectedMax},
	}
	for i, t := range m.targets {
		lo, hi := stats.Wilson(a.Met[i], a.Trials, z)
		tr := TargetResult{Name: t.t.Name, Label: t.t.Label, Met: a.Met[i], Probability: ratio(a.Met[i], a.Trials), CILow: lo, CIHigh: hi}
		for s := 0; s < S; s++ {
			if a.LostAt[i][s] > 0 {
				tr.MissedAt = append(tr.MissedAt, StageCount{Stage: sc.Stages[s].Name, Count: a.LostAt[i][s]})
			}
		}
		if t.t.Scope == scenario.ScopeEach {
			for u := 0; u < U; u++ {
				if a.UnitMisses[i][u] > 0 {
					tr.UnitMisses = append(tr.UnitMisses, UnitCount{Unit: m.units[u].name, Count: a.UnitMisses[i][u]})
				}
			}
			slices.SortStableFunc(tr.UnitMisses, func(x, y UnitCount) int { return int(y.Count - x.Count) })
		}
		r.Targets = append(r.Targets, tr)
	}
	for i, s := range m.shares {
		h := a.Hists[i]
		sr := ShareResult{Name: s.s.Name, Label: s.s.Label, Samples: h.Count(), Published: s.s.Published}
		if h.Count() > 0 {
			sr.Mean, sr.SD, sr.Min, sr.Max = h.Mean(), h.SD(), h.Min(), h.Max()
			sr.P05, sr.P50, sr.P95 = h.Quantile(0.05), h.Quantile(0.5), h.Quantile(0.95)
		}
		r.Shares = append(r.Shares, sr)
	}
	r.Facts = CheckFacts(sc, r.Targets, r.Shares)
	R := max(1, len(m.reasons))
	for s := 0; s < S; s++ {
		st := &sc.Stages[s]
		row := StageResult{Stage: st.Name, Label: st.Label, LabelZh: st.LabelZh, Kind: st.Kind()}
		var in, out, short int64
		for u := 0; u < U; u++ {
			j := s*U + u
			in += a.In[j]
			out += a.Out[j]
			short += a.Shortfall[j]
			row.Units = append(row.Units, UnitStageMean{Unit: m.units[u].name,
				Entered: ratio(a.In[j], a.Trials), Left: ratio(a.Out[j], a.Trials), Shortfall: ratio(a.Shortfall[j], a.Trials)})
		}
		row.Entered, row.Left, row.Shortfall = ratio(in, a.Trials), ratio(out, a.Trials), ratio(short, a.Trials)
		row.Dropped = ratio(in-out, a.Trials)
		for k, reason := range m.reasons {
			if v := a.Drops[s*R+k]; v > 0 {
				row.Reasons = append(row.Reasons, ReasonMean{Reason: reason, Mean: ratio(v, a.Trials)})
			}
		}
		for i, sh := range m.shares {
			row.Composition = append(row.Composition, ShareMean{Name: sh.s.Name,
				Share: ratio(a.CompNum[s*len(m.shares)+i], a.CompDen[s*len(m.shares)+i])})
		}
		r.Funnel = append(r.Funnel, row)
	}
	if m.electIdx >= 0 {
		entitled := int64(0)
		for _, u := range m.units {
			entitled += int64(u.voters)
		}
		r.Election = &ElectionSummary{
			Ballots:       ratio(a.Ballots, a.Trials),
			InvalidShare:  ratio(a.Invalid, a.Ballots),
			Turnout:       ratio(a.Present, entitled*a.Trials),
			AbstainShare:  ratio(a.Abstentions1e6, a.Names) / 1e6,
			AgainstShare:  ratio(a.Against1e6, a.Names) / 1e6,
			FurtherRounds: ratio(a.FurtherRounds, a.Trials),
			Vacancies:     ratio(a.Vacancies, a.Trials),
			FailedUnits:   ratio(a.Failed, a.Trials),
			BallotShort:   ratio(a.BallotShort, a.Trials),
		}
	}
	return r
}

package scenario

import "reflect"

// Default run settings.
const (
	DefaultTrials = 1000
	DefaultSeed   = 1
)

// newWithDefaults returns a pointer to a new value of type t holding the
// numeric defaults of its fields. The decoder starts every struct it fills
// from it and leaves a field alone when its key is absent or empty (YAML
// null), so only an absent key takes its default: a written 0 (seed 0,
// quorum 0, score_sd 0, --trials 0) stays 0 and is either used or refused by
// validation, never silently replaced.
func newWithDefaults(t reflect.Type) reflect.Value {
	v := reflect.New(t)
	switch p := v.Interface().(type) {
	case *Scenario:
		p.Run = RunSettings{Trials: DefaultTrials, Seed: DefaultSeed}
	case *SelectStage:
		p.ScoreSD = 1
	case *ElectStage:
		p.Quorum = 0.5
		p.Turnout = 1
	case *Calibration:
		p.Trials = DefaultCalibrationTrials
		p.Seed = DefaultSeed
		p.MaxEvaluations = DefaultCalibrationEvaluations
		p.Tolerance = DefaultCalibrationTolerance
		p.MetProbability = DefaultMetProbability
	}
	return v
}

// ApplyDefaults fills the names a scenario may leave out (stage states, the
// majority base, target scopes): values that cannot meaningfully be empty.
// It is idempotent and runs before validation, so validation sees the
// effective values. Numeric defaults are applied by the loader, where an
// absent key can be told from a written zero.
func (sc *Scenario) ApplyDefaults() {
	for i := range sc.Stages {
		st := &sc.Stages[i]
		if st.UnitState == "" {
			st.UnitState = st.Name
		}
		pass, drop := defaultCandidateStates(st)
		if st.CandidateState == "" {
			st.CandidateState = pass
		}
		if st.DroppedState == "" {
			st.DroppedState = drop
		}
		if e := st.Elect; e != nil && e.MajorityOf == "" {
			e.MajorityOf = MajorityEntitled
		}
	}
	for i := range sc.Targets {
		if sc.Targets[i].Scope == "" {
			sc.Targets[i].Scope = ScopeTotal
		}
	}
}

func defaultCandidateStates(st *Stage) (pass, drop string) {
	switch st.Kind() {
	case KindNominate:
		return "nominated", "not_nominated"
	case KindFilter:
		return "cleared_" + st.Name, "vetoed_" + st.Name
	case KindSelect:
		return st.Name, "not_selected_" + st.Name
	case KindElect:
		return "elected", "defeated"
	}
	return st.Name, "dropped_" + st.Name
}

// Majority bases.
const (
	MajorityEntitled = "entitled"
	MajorityPresent  = "present"
)

// Scope says how a target counts its units: all together, or each alone.
type Scope string

// Target scopes.
const (
	ScopeTotal Scope = "total"
	ScopeEach  Scope = "each"
)

// Nomination modes.
const (
	ModeExpanded = "expanded"
	ModeFull     = "full"
	ModeCombined = "combined"
)

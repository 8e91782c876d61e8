package scenario

// Default run settings.
const (
	DefaultTrials = 1000
	DefaultSeed   = 1
)

// ApplyDefaults fills the fields a scenario may leave out. It is idempotent and
// runs before validation, so validation sees the effective values.
func (sc *Scenario) ApplyDefaults() {
	if sc.Run.Trials == 0 {
		sc.Run.Trials = DefaultTrials
	}
	if sc.Run.Seed == 0 {
		sc.Run.Seed = DefaultSeed
	}
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
		if st.Select != nil && st.Select.ScoreSD == 0 {
			st.Select.ScoreSD = 1
		}
		if e := st.Elect; e != nil {
			if e.MajorityOf == "" {
				e.MajorityOf = MajorityEntitled
			}
			if e.Quorum == 0 {
				e.Quorum = 0.5
			}
			if e.Turnout == 0 {
				e.Turnout = 1
			}
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

// Majority bases and target scopes.
const (
	MajorityEntitled = "entitled"
	MajorityPresent  = "present"
	ScopeTotal       = "total"
	ScopeEach        = "each"
)

// Nomination modes.
const (
	ModeExpanded = "expanded"
	ModeFull     = "full"
	ModeCombined = "combined"
)

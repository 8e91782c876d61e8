package scenario

// Default run settings.
const (
	DefaultTrials = 1000
	DefaultSeed   = 1
)

// treeDefaults fills numeric settings the file leaves out, in the settings
// tree before strict decoding, so that only an absent key takes its default:
// a written 0 (seed 0, quorum 0, score_sd 0, --trials 0) stays 0 and is
// either used or refused by validation, never silently replaced.
func treeDefaults(tree map[string]any) {
	run, ok := tree["run"].(map[string]any)
	if !ok && tree["run"] == nil {
		run = map[string]any{}
		tree["run"] = run
	}
	if run != nil {
		setAbsent(run, "trials", DefaultTrials)
		setAbsent(run, "seed", DefaultSeed)
	}
	calibrationDefaults(tree)
	stages, _ := tree["stages"].([]any)
	for _, st := range stages {
		m, _ := st.(map[string]any)
		if sel, ok := m["select"].(map[string]any); ok {
			setAbsent(sel, "score_sd", 1.0)
		}
		if el, ok := m["elect"].(map[string]any); ok {
			setAbsent(el, "quorum", 0.5)
			setAbsent(el, "turnout", 1.0)
		}
	}
}

// setAbsent sets a default for a key that is absent or empty (YAML null):
// an empty value means "the default" wherever it is written, in the file
// or in an override.
func setAbsent(m map[string]any, key string, v any) {
	if cur, ok := m[key]; !ok || cur == nil {
		m[key] = v
	}
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

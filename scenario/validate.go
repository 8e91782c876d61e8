package scenario

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// Size limits that keep every run bounded in memory and time.
const (
	MaxTrials          = 100_000_000
	MaxWorkers         = 1024
	MaxQuota           = 1_000_000
	MaxTraits          = 32
	MaxValues          = 64
	MaxTypes           = 1 << 16
	MaxUnits           = 10_000
	MaxVoters          = 100_000
	MaxListSize        = 100_000
	MaxMembers         = 10_000_000_000
	MaxFinitePool      = 10_000_000
	MaxBallotDecisions = 200_000_000 // voters × names summed over units, per trial
	shareTolerance     = 1e-6
)

var (
	namePattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	identPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// Validate checks a scenario that did not come through Load (for example one
// decoded from a partial-result file) by the same rules, after ApplyDefaults.
func (sc *Scenario) Validate() error {
	sc.ApplyDefaults()
	return sc.validate().err(sc.Name, func(string) int { return 0 })
}

func (sc *Scenario) validate() *problems {
	ps := &problems{}
	if sc.Name == "" {
		ps.add("name", "is required")
	} else if !namePattern.MatchString(sc.Name) {
		ps.add("name", "%q must be lower case letters, digits, '-' or '_'", sc.Name)
	}
	if sc.Run.Trials < 1 || sc.Run.Trials > MaxTrials {
		ps.add("run.trials", "must be between 1 and %d, got %d", MaxTrials, sc.Run.Trials)
	}
	if sc.Run.Workers < 0 || sc.Run.Workers > MaxWorkers {
		ps.add("run.workers", "must be between 0 (one per CPU) and %d, got %d", MaxWorkers, sc.Run.Workers)
	}
	if sc.Quota < 1 || sc.Quota > MaxQuota {
		ps.add("quota", "must be between 1 and %d, got %d", MaxQuota, sc.Quota)
	}
	if !sc.checkCounts(ps) {
		return ps
	}
	traits := sc.validateTraits(ps)
	sc.validatePool(ps, "pool", sc.Pool, nil, traits, true)
	if len(sc.CentralPool) > 0 {
		sc.validatePool(ps, "central_pool", sc.CentralPool, sc.Pool, traits, false)
	}
	sc.validateStages(ps, traits)
	sc.validateUnits(ps, traits)
	sc.validateTargets(ps, traits)
	for i, s := range sc.Shares {
		p := fmt.Sprintf("shares[%d]", i)
		checkName(ps, p+".name", s.Name)
		checkPredicate(ps, p+".when", s.When, traits)
		checkPredicate(ps, p+".of", s.Of, traits)
		if s.Published != nil {
			checkUnit(ps, p+".published", *s.Published)
		}
	}
	checkUnique(ps, "shares", len(sc.Shares), func(i int) string { return sc.Shares[i].Name })
	sc.validateCalibration(ps)
	sc.validateGlossary(ps)
	sc.validateVocabulary(ps)
	sc.validateExplore(ps)
	sc.checkText(ps)
	if len(ps.list) == 0 {
		sc.checkResources(ps)
	}
	return ps
}

// traitIndex maps trait names to their declared values.
type traitIndex map[string]map[string]bool

func (sc *Scenario) validateTraits(ps *problems) traitIndex {
	ti := traitIndex{}
	if len(sc.Traits) == 0 {
		ps.add("traits", "at least one trait is required")
	}
	if len(sc.Traits) > MaxTraits {
		ps.add("traits", "at most %d traits, got %d", MaxTraits, len(sc.Traits))
		return ti
	}
	types := 1.0
	for i, t := range sc.Traits {
		p := fmt.Sprintf("traits[%d]", i)
		if !checkIdent(ps, p+".name", t.Name) {
			continue
		}
		if _, dup := ti[t.Name]; dup {
			ps.add(p+".name", "trait %q is declared twice", t.Name)
			continue
		}
		vals := map[string]bool{}
		if len(t.Values) == 0 || len(t.Values) > MaxValues {
			ps.add(p+".values", "needs between 1 and %d values, got %d", MaxValues, len(t.Values))
		}
		for j, v := range t.Values {
			vp := fmt.Sprintf("%s.values[%d]", p, j)
			if checkIdent(ps, vp, v) {
				if vals[v] {
					ps.add(vp, "value %q is listed twice", v)
				}
				vals[v] = true
			}
		}
		ti[t.Name] = vals
		types *= float64(max(1, len(t.Values)))
	}
	if types > MaxTypes {
		ps.add("traits", "the traits combine into %.0f types of person; at most %d are supported", types, MaxTypes)
	}
	return ti
}

// validatePool checks a list of trait distributions. A complete pool names
// every trait once; an override (complete=false) may name any subset, and is
// checked against base for the order of conditional traits.
func (sc *Scenario) validatePool(ps *problems, path string, pool, base []TraitShares, ti traitIndex, complete bool) {
	seen := map[string]int{}
	for i, ts := range pool {
		p := fmt.Sprintf("%s[%d]", path, i)
		vals, ok := ti[ts.Trait]
		if !ok {
			ps.add(p+".trait", "unknown trait %q", ts.Trait)
			continue
		}
		if _, dup := seen[ts.Trait]; dup {
			ps.add(p+".trait", "trait %q has two distributions", ts.Trait)
			continue
		}
		seen[ts.Trait] = i
		switch {
		case ts.Given == "" && ts.Conditional != nil:
			ps.add(p+".conditional", "needs given: the trait it is conditional on")
		case ts.Given == "":
			checkShares(ps, p+".shares", ts.Shares, vals)
		case ts.Shares != nil:
			ps.add(p+".shares", "use either shares or given+conditional, not both")
		default:
			gvals, ok := ti[ts.Given]
			if !ok {
				ps.add(p+".given", "unknown trait %q", ts.Given)
				continue
			}
			if ts.Given == ts.Trait {
				ps.add(p+".given", "a trait cannot be conditional on itself")
				continue
			}
			for _, gv := range SortedKeys(gvals) {
				shares, ok := ts.Conditional[gv]
				if !ok {
					ps.add(p+".conditional", "no distribution for %s = %s", ts.Given, gv)
					continue
				}
				checkShares(ps, p+".conditional."+gv, shares, vals)
			}
			for _, k := range SortedKeys(ts.Conditional) {
				if !gvals[k] {
					ps.add(p+".conditional."+k, "%q is not a value of %s", k, ts.Given)
				}
			}
		}
	}
	if complete {
		for _, t := range sc.Traits {
			if _, ok := seen[t.Name]; !ok && ti[t.Name] != nil {
				ps.add(path, "no distribution for trait %q", t.Name)
			}
		}
	}
	// Conditional traits must follow the trait they depend on, in the merged order.
	merged := MergePool(base, pool)
	pos := map[string]int{}
	for i, ts := range merged {
		pos[ts.Trait] = i
	}
	for i, ts := range pool {
		if ts.Given == "" {
			continue
		}
		if gp, ok := pos[ts.Given]; ok && gp > pos[ts.Trait] {
			ps.add(fmt.Sprintf("%s[%d].given", path, i), "%q must come before %q in the pool", ts.Given, ts.Trait)
		}
	}
}

// MergePool returns base with the entries of override replacing the entries
// for the same trait (kept in base's order); override entries for traits not
// in base are appended.
func MergePool(base, override []TraitShares) []TraitShares {
	out := make([]TraitShares, 0, len(base)+len(override))
	used := map[string]bool{}
	for _, b := range base {
		entry := b
		for _, o := range override {
			if o.Trait == b.Trait {
				entry = o
				used[o.Trait] = true
				break
			}
		}
		out = append(out, entry)
	}
	for _, o := range override {
		if !used[o.Trait] {
			out = append(out, o)
		}
	}
	return out
}

func checkShares(ps *problems, path string, shares map[string]float64, vals map[string]bool) {
	if len(shares) == 0 {
		ps.add(path, "is empty; give a share for at least one value")
		return
	}
	sum := 0.0
	for _, k := range SortedKeys(shares) {
		v := shares[k]
		if !vals[k] {
			ps.add(path+"."+k, "%q is not a value of this trait (values: %s)", k, strings.Join(SortedKeys(vals), ", "))
		}
		if !checkUnit(ps, path+"."+k, v) {
			return
		}
		sum += v
	}
	if math.Abs(sum-1) > shareTolerance {
		ps.add(path, "shares must sum to 1, got %.6g", sum)
	}
}

func (sc *Scenario) validateStages(ps *problems, ti traitIndex) {
	if len(sc.Stages) == 0 {
		ps.add("stages", "at least one stage is required (the first must nominate)")
		return
	}
	elect := -1
	unitStates := map[string]string{"allocated": "", "done": "", "failed": ""}
	candStates := map[string]string{"member": ""}
	for i := range sc.Stages {
		st := &sc.Stages[i]
		p := fmt.Sprintf("stages[%d]", i)
		checkIdent(ps, p+".name", st.Name)
		kind := st.Kind()
		if kind == "" {
			if kinds := st.kinds(); len(kinds) > 1 {
				ps.add(p, "has %s: a stage does exactly one of nominate, filter, select or elect", strings.Join(kinds, " and "))
			} else {
				ps.add(p, "needs exactly one of nominate, filter, select or elect")
			}
			continue
		}
		if (i == 0) != (kind == KindNominate) {
			if i == 0 {
				ps.add(p, "the first stage must be a nominate stage, got %s", kind)
			} else {
				ps.add(p, "only the first stage may nominate")
			}
		}
		claim := func(states map[string]string, field, name string) {
			if !checkIdent(ps, p+"."+field, name) {
				return
			}
			if owner, dup := states[name]; dup {
				if owner == "" {
					owner = "a built-in state"
				}
				ps.add(p+"."+field, "state %q is already used by %s", name, owner)
				return
			}
			states[name] = p + "." + field
		}
		claim(unitStates, "unit_state", st.UnitState)
		claim(candStates, "candidate_state", st.CandidateState)
		claim(candStates, "dropped_state", st.DroppedState)
		switch kind {
		case KindNominate:
			checkNomination(ps, p+".nominate", &st.Nominate.NominationMode)
			checkWeights(ps, p+".nominate.weights", st.Nominate.Weights, ti, true)
			sc.checkGroupWeights(ps, p+".nominate.group_weights", st.Nominate.GroupWeights, ti, true)
			if c := st.Nominate.Confidence; !finite(c) || c < 0 || c >= 1 {
				ps.add(p+".nominate.confidence", "must be at least 0 (off) and below 1, got %v", c)
			} else if c != 0 && !st.Nominate.FromTargets {
				ps.add(p+".nominate.confidence", "only used with from_targets: true")
			}
		case KindFilter:
			if len(st.Filter.Vetoes) == 0 {
				ps.add(p+".filter.vetoes", "at least one veto is required")
			}
			for j, v := range st.Filter.Vetoes {
				vp := fmt.Sprintf("%s.filter.vetoes[%d]", p, j)
				checkIdent(ps, vp+".reason", v.Reason)
				checkUnit(ps, vp+".rate", v.Rate)
				checkPredicate(ps, vp+".when", v.When, ti)
			}
		case KindSelect:
			if elect >= 0 {
				ps.add(p, "a select stage cannot follow the election")
			}
			sc.checkSelect(ps, p+".select", st.Select, i, ti)
		case KindElect:
			if elect >= 0 {
				ps.add(p, "only one elect stage is supported (further rounds are part of it)")
			}
			elect = i
			checkElect(ps, p+".elect", st.Elect, ti)
			claim(unitStates, "name", "further_round_"+st.Name)
			claim(candStates, "name", "further_round_"+st.Name)
		}
	}
	checkUnique(ps, "stages", len(sc.Stages), func(i int) string { return sc.Stages[i].Name })
}

// kinds lists the kinds a stage sets.
func (s *Stage) kinds() []string {
	var out []string
	for _, k := range []struct {
		set  bool
		name string
	}{{s.Nominate != nil, KindNominate}, {s.Filter != nil, KindFilter}, {s.Select != nil, KindSelect}, {s.Elect != nil, KindElect}} {
		if k.set {
			out = append(out, k.name)
		}
	}
	return out
}

// checkGroupWeights checks per-group weights (multiplicative nomination
// weights or additive score biases): known groups, each at most once, valid
// weights.
func (sc *Scenario) checkGroupWeights(ps *problems, p string, gws []GroupWeights, ti traitIndex, multiplicative bool) {
	groups := map[string]bool{}
	for _, u := range sc.Units {
		groups[u.Group] = true
	}
	seen := map[string]bool{}
	for j, g := range gws {
		gp := fmt.Sprintf("%s[%d]", p, j)
		switch {
		case g.Group == "":
			ps.add(gp+".group", "is required")
		case !groups[g.Group]:
			ps.add(gp+".group", "no unit is in group %q", g.Group)
		case seen[g.Group]:
			ps.add(gp+".group", "group %q already has weights", g.Group)
		}
		seen[g.Group] = true
		checkWeights(ps, gp+".weights", g.Weights, ti, multiplicative)
	}
}

func checkNomination(ps *problems, p string, m *NominationMode) {
	switch m.Mode {
	case ModeExpanded, ModeFull, ModeCombined:
	default:
		ps.add(p+".mode", "must be expanded, full or combined, got %q", m.Mode)
	}
	if !finite(m.Ratio) || m.Ratio < 0 || m.Ratio > 100 {
		ps.add(p+".ratio", "must be between 0 and 100, got %v", m.Ratio)
	}
	if m.Mode == ModeFull && m.Ratio != 0 {
		ps.add(p+".ratio", "full nomination has no expansion ratio; use mode expanded or combined")
	}
	if m.Mode == ModeCombined {
		if !finite(m.ExpandedShare) || m.ExpandedShare <= 0 || m.ExpandedShare >= 1 {
			ps.add(p+".expanded_share", "combined nomination needs a share strictly between 0 and 1, got %v", m.ExpandedShare)
		}
	} else if m.ExpandedShare != 0 {
		ps.add(p+".expanded_share", "only used with mode combined")
	}
}

func (sc *Scenario) checkSelect(ps *problems, p string, s *SelectStage, stage int, ti traitIndex) {
	n := 0
	if s.Size.Surplus != nil {
		n++
		if v := *s.Size.Surplus; !finite(v) || v < 0 || v > 100 {
			ps.add(p+".size.surplus", "must be between 0 and 100, got %v", v)
		}
	}
	if s.Size.Count != nil {
		n++
		if c := *s.Size.Count; c < 1 || c > MaxListSize {
			ps.add(p+".size.count", "must be between 1 and %d, got %d", MaxListSize, c)
		}
	}
	if s.Size.Ballot {
		n++
		hasElect := false
		for _, st := range sc.Stages[stage+1:] {
			hasElect = hasElect || st.Elect != nil
		}
		if !hasElect {
			ps.add(p+".size.ballot", "no elect stage follows to size the ballot for")
		}
	}
	if n != 1 {
		ps.add(p+".size", "needs exactly one of surplus, count or ballot")
	}
	if s.Size.Strict && s.Size.Surplus == nil {
		ps.add(p+".size.strict", "only applies to surplus")
	}
	for j, q := range s.Quotas {
		qp := fmt.Sprintf("%s.quotas[%d]", p, j)
		checkPredicate(ps, qp+".when", q.When, ti)
		checkBounds(ps, qp, q.Min, q.Max, q.MinShare, q.MaxShare, "min", "max")
	}
	if !finite(s.TargetMargin) || s.TargetMargin < 0 || s.TargetMargin > 1 {
		ps.add(p+".target_margin", "must be between 0 and 1, got %v", s.TargetMargin)
	}
	if s.TargetMargin != 0 && !s.FromTargets {
		ps.add(p+".target_margin", "only used with from_targets: true")
	}
	if !finite(s.Confidence) || s.Confidence < 0 || s.Confidence >= 1 {
		ps.add(p+".confidence", "must be at least 0 (off) and below 1, got %v", s.Confidence)
	} else if s.Confidence != 0 && !s.FromTargets {
		ps.add(p+".confidence", "only used with from_targets: true")
	} else if s.Confidence != 0 && s.TargetMargin != 0 {
		ps.add(p+".confidence", "plans the margin itself: drop target_margin or confidence")
	}
	if !finite(s.ScoreSD) || s.ScoreSD < 0 || s.ScoreSD > 100 {
		ps.add(p+".score_sd", "must be between 0 and 100, got %v", s.ScoreSD)
	}
	checkWeights(ps, p+".score_bias", s.ScoreBias, ti, false)
	sc.checkGroupWeights(ps, p+".group_score_bias", s.GroupScoreBias, ti, false)
}

func checkElect(ps *problems, p string, e *ElectStage, ti traitIndex) {
	if !finite(e.Surplus) || e.Surplus < 0 || e.Surplus > 10 {
		ps.add(p+".surplus", "must be between 0 and 10, got %v", e.Surplus)
	}
	if e.MajorityOf != MajorityEntitled && e.MajorityOf != MajorityPresent {
		ps.add(p+".majority_of", "must be entitled or present, got %q", e.MajorityOf)
	}
	if !finite(e.Quorum) || e.Quorum < 0 || e.Quorum >= 1 {
		ps.add(p+".quorum", "must be at least 0 and below 1, got %v", e.Quorum)
	}
	if !finite(e.Turnout) || e.Turnout <= 0 || e.Turnout > 1 {
		ps.add(p+".turnout", "must be above 0 and at most 1, got %v", e.Turnout)
	}
	vm := e.Voters
	if !finite(vm.Approval) || vm.Approval <= 0 || vm.Approval >= 1 {
		ps.add(p+".voters.approval", "must be strictly between 0 and 1, got %v", vm.Approval)
	}
	if !finite(vm.AppealSD) || vm.AppealSD < 0 || vm.AppealSD > 10 {
		ps.add(p+".voters.appeal_sd", "must be between 0 and 10, got %v", vm.AppealSD)
	}
	checkUnit(ps, p+".voters.abstain", vm.Abstain)
	checkUnit(ps, p+".voters.discipline", vm.Discipline)
	checkWeights(ps, p+".voters.bias", vm.Bias, ti, false)
	if e.FurtherRounds < 0 || e.FurtherRounds > 10 {
		ps.add(p+".further_rounds", "must be between 0 and 10, got %d", e.FurtherRounds)
	}
	if e.Revotes < 0 || e.Revotes > 10 {
		ps.add(p+".revotes", "must be between 0 and 10, got %d", e.Revotes)
	}
	if !finite(e.CentralAppeal) || math.Abs(e.CentralAppeal) > 50 {
		ps.add(p+".central_appeal", "must be between -50 and 50, got %v", e.CentralAppeal)
	}
}

func (sc *Scenario) validateUnits(ps *problems, ti traitIndex) {
	if len(sc.Units) == 0 || len(sc.Units) > MaxUnits {
		ps.add("units", "needs between 1 and %d units, got %d", MaxUnits, len(sc.Units))
		return
	}
	elect := sc.ElectStage()
	seats, decisions, seatsOK := 0, 0.0, true
	sizesOK := sc.sizesKnown()
	for i := range sc.Units {
		u := &sc.Units[i]
		p := fmt.Sprintf("units[%d]", i)
		if strings.TrimSpace(u.Name) == "" {
			ps.add(p+".name", "is required")
		}
		if u.Group != "" {
			checkIdent(ps, p+".group", u.Group)
		}
		if u.Seats < 1 || u.Seats > MaxQuota {
			ps.add(p+".seats", "must be between 1 and %d, got %d", MaxQuota, u.Seats)
			seatsOK = false
			continue
		}
		seats += u.Seats
		if u.Central < 0 || u.Central >= u.Seats {
			ps.add(p+".central", "must be at least 0 and fewer than the unit's %d seats, got %d", u.Seats, u.Central)
			continue
		}
		if u.Members < 0 || u.Members > MaxMembers {
			ps.add(p+".members", "must be between 0 and %d, got %d", int64(MaxMembers), u.Members)
		}
		if u.FinitePool && u.Members >= 0 && u.Members <= MaxMembers && (u.Members < 1 || u.Members > MaxFinitePool) {
			ps.add(p+".members", "a finite pool needs between 1 and %d members, got %d", MaxFinitePool, u.Members)
		}
		if !finite(u.Turnout) || u.Turnout < 0 || u.Turnout > 1 {
			ps.add(p+".turnout", "must be between 0 and 1 (0: the election's default), got %v", u.Turnout)
		}
		votersOK := true
		if elect != nil {
			if u.EntitledVoters < 1 || u.EntitledVoters > MaxVoters {
				ps.add(p+".entitled_voters", "must be between 1 and %d, got %d", MaxVoters, u.EntitledVoters)
				votersOK = false
			}
		} else if u.EntitledVoters != 0 || u.Uncontested || u.Central != 0 {
			ps.add(p, "entitled_voters, uncontested and central need an elect stage")
		}
		sc.validatePool(ps, p+".pool", u.Pool, sc.Pool, ti, false)
		if u.Nomination != nil {
			checkNomination(ps, p+".nomination", u.Nomination)
		}
		for j, r := range u.Recommending {
			rp := fmt.Sprintf("%s.recommending[%d]", p, j)
			if strings.TrimSpace(r.Name) == "" {
				ps.add(rp+".name", "is required")
			}
			if !finite(r.Weight) || r.Weight <= 0 {
				ps.add(rp+".weight", "must be above 0, got %v", r.Weight)
			}
			sc.validatePool(ps, rp+".pool", r.Pool, MergePool(sc.Pool, u.Pool), ti, false)
		}
		checkUnique(ps, p+".recommending", len(u.Recommending), func(j int) string { return u.Recommending[j].Name })
		// List sizes are followed only when every size is well defined, so
		// a bad stage is reported once and not again as a shortfall here.
		if sizesOK && (u.Nomination == nil || validMode(u.Nomination)) {
			if d := sc.checkListSizes(ps, p, u); votersOK {
				decisions += d
			}
		}
	}
	checkUnique(ps, "units", len(sc.Units), func(i int) string { return sc.Units[i].Name })
	if seatsOK && seats != sc.Quota && sc.Quota > 0 {
		ps.add("units", "seats sum to %d but the quota is %d", seats, sc.Quota)
	}
	if decisions > MaxBallotDecisions {
		ps.add("units", "one trial would need %.3g ballot decisions (voters × names); at most %d are supported", decisions, MaxBallotDecisions)
	}
}

// sizesKnown reports whether every stage's list size is well defined.
func (sc *Scenario) sizesKnown() bool {
	for i := range sc.Stages {
		st := &sc.Stages[i]
		switch st.Kind() {
		case "":
			return false
		case KindNominate:
			if !validMode(&st.Nominate.NominationMode) {
				return false
			}
		case KindSelect:
			s, n := st.Select.Size, 0
			if s.Surplus != nil {
				n++
				if v := *s.Surplus; !finite(v) || v < 0 || v > 100 {
					return false
				}
			}
			if s.Count != nil {
				n++
				if c := *s.Count; c < 1 || c > MaxListSize {
					return false
				}
			}
			if s.Ballot {
				n++
			}
			if n != 1 {
				return false
			}
		case KindElect:
			if v := st.Elect.Surplus; !finite(v) || v < 0 || v > 10 {
				return false
			}
		}
	}
	return true
}

// validMode reports whether checkNomination accepts m.
func validMode(m *NominationMode) bool {
	var ps problems
	checkNomination(&ps, "", m)
	return len(ps.list) == 0
}

// checkListSizes follows the largest list each stage can pass on, and reports
// a stage that asks for more people than can reach it. It returns the ballot
// decisions (voters × names) of one trial in this unit.
func (sc *Scenario) checkListSizes(ps *problems, p string, u *Unit) float64 {
	avail := -1 // -1: unknown (no nominate stage checked)
	for i := range sc.Stages {
		st := &sc.Stages[i]
		switch {
		case st.Nominate != nil:
			avail = NomineeCount(u.NominationMode(st.Nominate), u.Local())
			if avail > MaxListSize {
				ps.add(p, "nominates %d people; at most %d per unit are supported", avail, MaxListSize)
				return 0
			}
			if u.FinitePool && int64(avail) > u.Members {
				ps.add(p+".members", "the finite pool has %d members but the unit nominates %d", u.Members, avail)
			}
		case st.Select != nil:
			need := sc.ListSize(st.Select.Size, u)
			if avail >= 0 && need > avail {
				ps.add(p, "stage %s keeps %d people but at most %d reach it (%s)", st.Name, need, avail, sc.describeAvail(i, u))
			}
			if avail < 0 || need < avail {
				avail = need
			}
		case st.Elect != nil:
			local, extra := u.Local(), sc.BallotExtra(u)
			if avail >= 0 && local+extra > avail {
				ps.add(p, "the election needs %d local candidates for %d local seats (surplus %d) but at most %d reach it (%s)",
					local+extra, local, extra, avail, sc.describeAvail(i, u))
			}
			names := float64(max(avail, 0) + u.Central)
			return names * float64(u.EntitledVoters)
		}
	}
	return 0
}

func (sc *Scenario) describeAvail(stage int, u *Unit) string {
	for i := stage - 1; i >= 0; i-- {
		st := &sc.Stages[i]
		if st.Select != nil {
			return fmt.Sprintf("stage %s keeps %d", st.Name, sc.ListSize(st.Select.Size, u))
		}
		if st.Nominate != nil {
			mode := u.NominationMode(st.Nominate)
			return fmt.Sprintf("%s nomination of %d local seats gives %d", mode.Mode, u.Local(), NomineeCount(mode, u.Local()))
		}
	}
	return "no earlier stage"
}

func (sc *Scenario) validateTargets(ps *problems, ti traitIndex) {
	units := map[string]bool{}
	groups := map[string]bool{}
	for _, u := range sc.Units {
		units[u.Name] = true
		if u.Group != "" {
			groups[u.Group] = true
		}
	}
	for i, t := range sc.Targets {
		p := fmt.Sprintf("targets[%d]", i)
		checkName(ps, p+".name", t.Name)
		checkPredicate(ps, p+".when", t.When, ti)
		if t.Published != "" && t.Published != PublishedMet && t.Published != PublishedMissed {
			ps.add(p+".published", "must be met or missed (or left out when nothing was published), got %q", t.Published)
		}
		if t.Scope != ScopeTotal && t.Scope != ScopeEach {
			ps.add(p+".scope", "must be total or each, got %q", t.Scope)
		}
		for j, u := range t.Units {
			if !units[u] {
				ps.add(fmt.Sprintf("%s.units[%d]", p, j), "unknown unit %q", u)
			}
		}
		for j, g := range t.Groups {
			if !groups[g] {
				ps.add(fmt.Sprintf("%s.groups[%d]", p, j), "no unit is in group %q", g)
			}
		}
		if t.AboveMemberShare {
			if t.Scope != ScopeEach {
				ps.add(p+".above_member_share", "compares each unit with its own members: needs scope each")
			}
			if t.MinShare != nil || t.MinCount != nil {
				ps.add(p+".above_member_share", "already sets the minimum; drop min_share/min_count")
			}
			// Maximums may go with it; they are checked like any other.
			checkBounds(ps, p, nil, t.MaxCount, nil, t.MaxShare, "min_count", "max_count")
			continue
		}
		if t.MinCount == nil && t.MaxCount == nil && t.MinShare == nil && t.MaxShare == nil {
			ps.add(p, "needs a bound: min_count, max_count, min_share, max_share or above_member_share")
		}
		checkBounds(ps, p, t.MinCount, t.MaxCount, t.MinShare, t.MaxShare, "min_count", "max_count")
		scopeOK := true
		for _, u := range t.Units {
			scopeOK = scopeOK && units[u]
		}
		for _, g := range t.Groups {
			scopeOK = scopeOK && groups[g]
		}
		if t.MinCount != nil && scopeOK && sc.seatsValid() {
			// "More than n" (strict) needs n+1 people.
			need, asks := *t.MinCount, fmt.Sprint(*t.MinCount)
			if t.Strict {
				need, asks = need+1, "more than "+asks
			}
			seats := 0
			for _, u := range sc.TargetUnits(&t) {
				if t.Scope == ScopeEach {
					seats = sc.Units[u].Seats
					if need > seats {
						ps.add(p+".min_count", "asks for %s but unit %s has only %d seats", asks, sc.Units[u].Name, seats)
						break
					}
				} else {
					seats += sc.Units[u].Seats
				}
			}
			if t.Scope == ScopeTotal && need > seats {
				ps.add(p+".min_count", "asks for %s but the units in scope have only %d seats", asks, seats)
			}
		}
	}
	checkUnique(ps, "targets", len(sc.Targets), func(i int) string { return sc.Targets[i].Name })
}

func (sc *Scenario) seatsValid() bool {
	for _, u := range sc.Units {
		if u.Seats < 1 || u.Seats > MaxQuota {
			return false
		}
	}
	return true
}

func checkBounds(ps *problems, p string, minC, maxC *int, minS, maxS *float64, minName, maxName string) {
	if minC != nil && *minC < 0 {
		ps.add(p+"."+minName, "must be at least 0, got %d", *minC)
	}
	if maxC != nil && *maxC < 0 {
		ps.add(p+"."+maxName, "must be at least 0, got %d", *maxC)
	}
	if minC != nil && maxC != nil && *minC > *maxC {
		ps.add(p, "%s %d is above %s %d", minName, *minC, maxName, *maxC)
	}
	okMin := minS == nil || checkUnit(ps, p+".min_share", *minS)
	okMax := maxS == nil || checkUnit(ps, p+".max_share", *maxS)
	if okMin && okMax && minS != nil && maxS != nil && *minS > *maxS {
		ps.add(p, "min_share %v is above max_share %v", *minS, *maxS)
	}
}

func checkWeights(ps *problems, p string, ws []TraitWeights, ti traitIndex, multiplicative bool) {
	seen := map[string]bool{}
	for i, w := range ws {
		wp := fmt.Sprintf("%s[%d]", p, i)
		vals, ok := ti[w.Trait]
		if !ok {
			ps.add(wp+".trait", "unknown trait %q", w.Trait)
			continue
		}
		if seen[w.Trait] {
			ps.add(wp+".trait", "trait %q is listed twice", w.Trait)
		}
		seen[w.Trait] = true
		for _, k := range SortedKeys(w.Values) {
			v := w.Values[k]
			if !vals[k] {
				ps.add(wp+".values."+k, "%q is not a value of %s", k, w.Trait)
			}
			switch {
			case !finite(v):
				ps.add(wp+".values."+k, "must be a finite number, got %v", v)
			case multiplicative && (v < 0 || v > 1e9):
				ps.add(wp+".values."+k, "a weight must be between 0 and 1e9, got %v", v)
			case !multiplicative && math.Abs(v) > 50:
				ps.add(wp+".values."+k, "must be between -50 and 50, got %v", v)
			}
		}
	}
}

func checkPredicate(ps *problems, p string, pred Predicate, ti traitIndex) {
	for _, k := range SortedKeys(pred) {
		vals, ok := ti[k]
		if !ok {
			ps.add(p+"."+k, "unknown trait %q", k)
			continue
		}
		if len(pred[k]) == 0 {
			ps.add(p+"."+k, "lists no values")
		}
		for j, v := range pred[k] {
			if !vals[v] {
				ps.add(fmt.Sprintf("%s.%s[%d]", p, k, j), "%q is not a value of %s", v, k)
			}
		}
	}
}

func checkUnit(ps *problems, p string, v float64) bool {
	if !finite(v) || v < 0 || v > 1 {
		ps.add(p, "must be between 0 and 1, got %v", v)
		return false
	}
	return true
}

func checkIdent(ps *problems, p, s string) bool {
	if !identPattern.MatchString(s) {
		if s == "" {
			ps.add(p, "is required")
		} else {
			ps.add(p, "%q must be a lower-case identifier (letters, digits, '_')", s)
		}
		return false
	}
	return true
}

func checkName(ps *problems, p, s string) { checkIdent(ps, p, s) }

func checkUnique(ps *problems, p string, n int, name func(int) string) {
	first := map[string]int{}
	for i := 0; i < n; i++ {
		k := name(i)
		if k == "" {
			continue
		}
		if j, dup := first[k]; dup {
			ps.add(fmt.Sprintf("%s[%d].name", p, i), "%q is already the name of %s[%d]", k, p, j)
			continue
		}
		first[k] = i
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

package feasible

// Report is the answer of a check: the verdict, the arithmetic behind it,
// what every unit needs, and — when the scenario is infeasible — which
// constraints conflict and how little each would have to move.
type Report struct {
	Scenario string `json:"scenario"`
	Title    string `json:"title,omitempty"`
	Hash     string `json:"scenario_sha256"`
	Version  string `json:"version,omitempty"`

	// Verdict is feasible (as planned), conditional (only through outcomes
	// the plan does not count on, listed in Relies), infeasible (in every
	// trial of the simulation) or unknown (the search hit its limit).
	Verdict Verdict `json:"verdict"`
	// Planned is the verdict as planned: every seat filled, every central
	// candidate elected, every stage quota met (feasible, infeasible or
	// unknown). Conflicts and repairs are those of the plan.
	Planned Verdict `json:"planned"`
	// Relies lists, for a conditional verdict, what a trial meeting the
	// targets needs beyond the plan (read off a witness).
	Relies []string `json:"relies_on,omitempty"`
	// Certified: an infeasible verdict rests on Farkas certificates checked
	// in exact rational arithmetic (or on integer rounding alone); a feasible
	// one always rests on a composition checked in integers.
	Certified bool `json:"certified"`

	Units   int `json:"units"`
	Seats   int `json:"seats"`
	Central int `json:"central"`
	// Election is false when no stage votes: the final lists are drawn up
	// directly and what is possible is also guaranteed.
	Election bool `json:"election"`

	// Assumptions states what "possible" and "worst case" mean here.
	Assumptions []string `json:"assumptions"`
	// Checks are the arithmetic pre-checks, each with the numbers it used.
	Checks []Finding `json:"checks"`
	// Targets summarises every target nationally.
	Targets []TargetReport `json:"targets"`
	// UnitReports has one entry per electoral unit.
	UnitReports []UnitReport `json:"unit_reports"`
	// Conflicts are minimal sets of constraints that cannot hold together.
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Repairs are the smallest changes that make the whole scenario feasible:
	// each entry alone when Alone is set, otherwise all of them together.
	Repairs []Relaxation `json:"repairs,omitempty"`
	// RepairsTogether is set when no single change suffices and Repairs is a
	// combined plan (verified feasible).
	RepairsTogether bool `json:"repairs_together,omitempty"`
	// Guarantee says whether ballots exist in every unit that meet every
	// target whatever the voters do.
	Guarantee Guarantee `json:"guarantee"`
	// Notes are remarks on what was not analysed and why.
	Notes  []string `json:"notes,omitempty"`
	Solver Stats    `json:"solver"`
}

// Finding is one arithmetic pre-check.
type Finding struct {
	Check  string `json:"check"`
	Unit   string `json:"unit,omitempty"`
	Target string `json:"target,omitempty"`
	OK     bool   `json:"ok"`
	Text   string `json:"text"`
}

// TargetReport is a target's national verdict.
type TargetReport struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	Scope string `json:"scope"`
	// Units in scope and their seats.
	Units int `json:"units"`
	Seats int `json:"seats"`
	// Min and Max are the integer bounds on matching elected people (total
	// scope; −1 when absent or per unit).
	Min int `json:"min"`
	Max int `json:"max"`
	// Supply is the range of matching elected people the pools allow, ignoring
	// every other target.
	SupplyMin int `json:"supply_min"`
	SupplyMax int `json:"supply_max"`
	// Expected is, for a total-scope target, the matching people the final
	// lists would hold on average if every stage after nomination were
	// neutral: the local seats times the nomination-weighted pool share,
	// plus the central seats times the central pool's share. It says how far
	// a target is from what nomination alone gives; it decides nothing.
	Expected float64 `json:"expected,omitempty"`
	// Alone: the target can be met on its own (all other targets and
	// quotas dropped); AloneVerdict is feasible, infeasible or unknown.
	Alone        bool    `json:"feasible_alone"`
	AloneVerdict Verdict `json:"alone_verdict"`
	Text         string  `json:"text"`
}

// UnitReport is one electoral unit's verdict and inverse funnel.
type UnitReport struct {
	Name    string `json:"name"`
	Seats   int    `json:"seats"`
	Central int    `json:"central"`
	Local   int    `json:"local"`
	// Ballot is the number of local names on the ballot; Extra of them are
	// defeated (RequiredExtra is what the surplus rule asks for).
	Ballot        int `json:"ballot"`
	Extra         int `json:"extra"`
	RequiredExtra int `json:"required_extra"`
	Nominees      int `json:"nominees"`
	// Nominated is the length of the nominee list and Final that of the
	// final list (the people elected, central ones included): the nominee
	// count and the seats (without a vote, the last list's size), or fewer
	// when a finite pool runs out of members who can be nominated. Ballot
	// and Extra are then those of the shorter lists too.
	Nominated int `json:"nominated"`
	Final     int `json:"final"`
	// Verdict is the unit's own verdict (its unit-level targets and quotas,
	// national targets aside).
	Verdict Verdict `json:"verdict"`
	// Needs lists what each binding target asks of the unit.
	Needs []Need `json:"needs,omitempty"`
	// Guaranteed: a ballot exists whose elected people meet every unit-level
	// target whatever the voters do. GuaranteeExtra is, when not, the largest
	// surplus at which one would exist (−1: none even uncontested).
	Guaranteed bool `json:"guaranteed"`
	// GuaranteeVerdict is feasible, infeasible or unknown.
	GuaranteeVerdict Verdict `json:"guarantee_verdict"`
	GuaranteeExtra   *int    `json:"guarantee_extra,omitempty"`
	// Funnel is the least composition of each list, from the elected back
	// to the nominees.
	Funnel []FunnelStep `json:"funnel"`
	Notes  []string     `json:"notes,omitempty"`
}

// Need is one target's requirement on one unit: elected people matching,
// and the worst-case requirement on the ballot's local names.
type Need struct {
	Target string `json:"target"`
	// National marks the unit's proportional part of a total-scope target
	// (informational: national targets bind only in total).
	National bool `json:"national"`
	// ElectedMin/Max bound matching elected people (nil: no bound).
	ElectedMin *int `json:"elected_min"`
	ElectedMax *int `json:"elected_max"`
	// BallotMin/Max bound matching local names on the ballot so that the
	// elected meet the target whatever the voters do (nil: no bound; a
	// minimum above the ballot or a negative maximum cannot be met).
	BallotMin *int   `json:"ballot_min"`
	BallotMax *int   `json:"ballot_max"`
	Text      string `json:"text"`
}

// FunnelStep is the least composition of one list.
type FunnelStep struct {
	Stage string `json:"stage"`
	Size  int    `json:"size"`
	// AtLeast[target] is the least number of matching people the list must
	// hold; AtLeastNot[target] the least number of non-matching people (for
	// maximum bounds). Expected is, on the nominee list, the number expected
	// from the pools and nomination weights alone.
	AtLeast    map[string]int     `json:"at_least,omitempty"`
	AtLeastNot map[string]int     `json:"at_least_not,omitempty"`
	Expected   map[string]float64 `json:"expected,omitempty"`
}

// Conflict is a minimal set of constraints that cannot all hold: drop any
// one and the rest (with pools, seats and lists) can.
type Conflict struct {
	Constraints []ConstraintRef `json:"constraints"`
	// Structural is set when the unit's pools and lists alone cannot be
	// filled (no target is involved).
	Structural  bool     `json:"structural,omitempty"`
	Explanation []string `json:"explanation"`
	// Minimal is false only if a solver limit stopped the deletion filter.
	Minimal bool `json:"minimal"`
	// Fixes are, per member, the smallest relaxation of that member alone
	// that resolves this conflict.
	Fixes []Relaxation `json:"fixes,omitempty"`
}

// ConstraintRef names one constraint.
type ConstraintRef struct {
	Kind   string `json:"kind"` // target or quota
	Name   string `json:"name"`
	Unit   string `json:"unit,omitempty"`
	Min    int    `json:"min"`
	Max    int    `json:"max"`
	Of     int    `json:"of"`
	Text   string `json:"text"`
	target int
	cid    cid
}

// Relaxation is a proposed change of one bound.
type Relaxation struct {
	// Target is the target's name; empty for a list-size change (Bound
	// "nominees", in Unit).
	Target string `json:"target,omitempty"`
	Unit   string `json:"unit,omitempty"`
	Bound  string `json:"bound"`
	From   string `json:"from"`
	To     string `json:"to"`
	// Drop: only removing the bound works.
	Drop bool `json:"drop,omitempty"`
	// Ratio is, for a nominee-list change, the expansion ratio that gives it.
	Ratio float64 `json:"ratio,omitempty"`
	// WithinLimit: the change is within the caller's bound on relaxations.
	WithinLimit bool `json:"within_limit"`
	// Set are the --set arguments that make the change (nil: none can,
	// e.g. a move of the member-share reference).
	Set    []string `json:"set,omitempty"`
	Text   string   `json:"text"`
	target int
	side   int
	steps  int
}

// Guarantee is the national worst-case verdict.
type Guarantee struct {
	// Verdict: guaranteed, not_guaranteed or unknown.
	Verdict string   `json:"verdict"`
	Text    []string `json:"text"`
}

// Stats describe the solver's work.
type Stats struct {
	Variables int     `json:"variables"`
	Rows      int     `json:"rows"`
	Atoms     int     `json:"atoms"`
	Problems  int     `json:"problems"`
	Nodes     int     `json:"nodes"`
	Pivots    int     `json:"pivots"`
	Millis    float64 `json:"elapsed_ms"`
	// VerdictMillis is when the verdict was known (as planned and in every
	// trial); the rest of Millis went to conflicts, reports and repairs.
	VerdictMillis float64 `json:"verdict_ms"`
}

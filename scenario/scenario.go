package scenario

// Scenario is a complete description of a quota-constrained, multi-stage
// nomination workflow: who can be nominated (traits and pools), how lists are
// narrowed (stages), how the final vote works, and what the result must look
// like (targets). It knows nothing about randomness.
type Scenario struct {
	// Name is a short identifier (lower case, digits, '-' or '_').
	Name string `yaml:"name" mapstructure:"name"`
	// Title is a one-line human description; TitleZh the same in Chinese.
	Title   string `yaml:"title" mapstructure:"title"`
	TitleZh string `yaml:"title_zh" mapstructure:"title_zh"`
	// Description is free text about the scenario, for readers of the file.
	Description string `yaml:"description" mapstructure:"description"`
	// Run holds the default Monte Carlo settings; flags override them.
	Run RunSettings `yaml:"run" mapstructure:"run"`
	// Quota is the total number of seats allocated; the units' seats must sum to it.
	Quota int `yaml:"quota" mapstructure:"quota"`
	// Traits declares every attribute a person has, each with its possible values.
	Traits []Trait `yaml:"traits" mapstructure:"traits"`
	// Pool is the default member pool of every unit: one distribution per trait,
	// possibly conditional on an earlier trait.
	Pool []TraitShares `yaml:"pool" mapstructure:"pool"`
	// CentralPool is the trait distribution of centrally nominated candidates
	// (Unit.Central): its entries replace the entries of Pool for the same
	// traits, and traits it does not list keep Pool's distribution.
	CentralPool []TraitShares `yaml:"central_pool" mapstructure:"central_pool"`
	// Units are the electoral units, each electing its own seats.
	Units []Unit `yaml:"units" mapstructure:"units"`
	// Stages is the pipeline every unit runs, in order.
	Stages []Stage `yaml:"stages" mapstructure:"stages"`
	// Targets are the quotas and structure ratios whose reachability is measured.
	Targets []Target `yaml:"targets" mapstructure:"targets"`
	// Shares are compositions tracked in the elected result (with published values
	// where known), reported as distributions.
	Shares []Share `yaml:"shares" mapstructure:"shares"`
	// Calibrate declares the free parameters and the published facts of
	// `simulate calibrate`; it changes nothing in a run.
	Calibrate *Calibration `yaml:"calibrate" mapstructure:"calibrate"`
	// Glossary gives display names, in English and Chinese, to the
	// identifiers reports print. It changes nothing in a run; an identifier
	// it does not list is printed as is.
	Glossary Glossary `yaml:"glossary" mapstructure:"glossary"`
	// Vocabulary names the roles of the process (the people elected, the
	// electing body, its voters, the members nominated from, the units) in
	// English and Chinese, so that reports of a scenario that is not a
	// party congress read in its own words. It changes nothing in a run;
	// a word it does not list keeps its default (DefaultVocabulary).
	Vocabulary Vocabulary `yaml:"vocabulary" mapstructure:"vocabulary"`

	// Explore lists the parameters `simulate serve` offers as sliders; it
	// changes nothing in a run.
	Explore []ExploreParam `yaml:"explore" mapstructure:"explore"`
}

// Glossary names trait values, the states of the unit and candidate
// machines, and veto reasons for display, each keyed by its identifier.
type Glossary struct {
	Values  map[string]Label `yaml:"values" mapstructure:"values"`
	States  map[string]Label `yaml:"states" mapstructure:"states"`
	Reasons map[string]Label `yaml:"reasons" mapstructure:"reasons"`
}

// Label is the display name of an identifier.
type Label struct {
	Label   string `yaml:"label" mapstructure:"label"`
	LabelZh string `yaml:"label_zh" mapstructure:"label_zh"`
}

// RunSettings are the default Monte Carlo settings of a scenario.
type RunSettings struct {
	// Trials is the number of independent simulated runs of the whole process.
	Trials int `yaml:"trials" mapstructure:"trials"`
	// Seed makes a run reproducible: trial i draws from a stream derived from (Seed, i).
	Seed uint64 `yaml:"seed" mapstructure:"seed"`
	// Workers is the number of goroutines; 0 means the number of CPUs. It never
	// changes the results.
	Workers int `yaml:"workers" mapstructure:"workers"`
}

// Trait is one attribute of a person, such as gender or age band.
type Trait struct {
	// Name is the identifier used in pools, predicates and weights.
	Name string `yaml:"name" mapstructure:"name"`
	// Label and LabelZh are display names.
	Label   string `yaml:"label" mapstructure:"label"`
	LabelZh string `yaml:"label_zh" mapstructure:"label_zh"`
	// Values lists the possible values, as identifiers.
	Values []string `yaml:"values" mapstructure:"values"`
}

// TraitShares is the distribution of one trait in a pool. Exactly one of Shares
// (unconditional) or Conditional (keyed by the value of the trait named in
// Given, which must come earlier in the pool) is set. Missing values have share 0;
// each distribution must sum to 1.
type TraitShares struct {
	Trait       string                        `yaml:"trait" mapstructure:"trait"`
	Shares      map[string]float64            `yaml:"shares" mapstructure:"shares"`
	Given       string                        `yaml:"given" mapstructure:"given"`
	Conditional map[string]map[string]float64 `yaml:"conditional" mapstructure:"conditional"`
}

// TraitWeights gives a multiplicative (nomination) or additive (score, appeal)
// effect per value of one trait. Values not listed have weight 1 (multiplicative)
// or 0 (additive).
type TraitWeights struct {
	Trait  string             `yaml:"trait" mapstructure:"trait"`
	Values map[string]float64 `yaml:"values" mapstructure:"values"`
}

// Predicate selects people by traits: a person matches when, for every trait
// listed, their value is one of the listed values. An empty predicate matches
// everyone.
type Predicate map[string][]string

// Unit is an electoral unit: it receives seats, runs the pipeline on its own
// pool and elects at its own congress.
type Unit struct {
	Name   string `yaml:"name" mapstructure:"name"`
	NameZh string `yaml:"name_zh" mapstructure:"name_zh"`
	// Group tags the unit for target scopes (e.g. province, central, military).
	Group string `yaml:"group" mapstructure:"group"`
	// Seats is the unit's allocated quota, including Central seats.
	Seats int `yaml:"seats" mapstructure:"seats"`
	// Central is the number of centrally nominated candidates placed on this
	// unit's ballot; they sit outside the surplus ratio.
	Central int `yaml:"central" mapstructure:"central"`
	// Members is the number of party members in the unit (informational, and
	// the size of a finite pool when FinitePool is set).
	Members int64 `yaml:"members" mapstructure:"members"`
	// FinitePool draws nominees without replacement from exactly Members people
	// whose trait counts follow the pool shares (largest-remainder rounding).
	FinitePool bool `yaml:"finite_pool" mapstructure:"finite_pool"`
	// EntitledVoters is the number of voters entitled to vote at the unit's congress.
	EntitledVoters int `yaml:"entitled_voters" mapstructure:"entitled_voters"`
	// Turnout is each entitled voter's probability of attending; 0 uses the
	// election stage's default.
	Turnout float64 `yaml:"turnout" mapstructure:"turnout"`
	// Uncontested units vote on exactly as many candidates as seats.
	Uncontested bool `yaml:"uncontested" mapstructure:"uncontested"`
	// Pool overrides entries of the scenario's default pool for this unit.
	Pool []TraitShares `yaml:"pool" mapstructure:"pool"`
	// Nomination overrides the nominate stage's mode for this unit.
	Nomination *NominationMode `yaml:"nomination" mapstructure:"nomination"`
	// Recommending splits the unit's nominations level by level among its
	// recommending units; empty means the unit nominates as one body.
	Recommending []RecommendingUnit `yaml:"recommending" mapstructure:"recommending"`
}

// RecommendingUnit is a body below the electoral unit that nominates its share
// of the unit's list from its own pool.
type RecommendingUnit struct {
	Name string `yaml:"name" mapstructure:"name"`
	// Weight is the relative size used to allocate nominations (largest remainder).
	Weight float64 `yaml:"weight" mapstructure:"weight"`
	// Pool overrides entries of the unit's pool.
	Pool []TraitShares `yaml:"pool" mapstructure:"pool"`
}

// NominationMode says how many people a unit nominates relative to its seats.
type NominationMode struct {
	// Mode is expanded (seats enlarged by Ratio), full (exactly the seats) or
	// combined (ExpandedShare of the seats expanded, the rest full).
	Mode string `yaml:"mode" mapstructure:"mode"`
	// Ratio is the expansion: an expanded part of n seats nominates n + ceil(Ratio·n).
	Ratio float64 `yaml:"ratio" mapstructure:"ratio"`
	// ExpandedShare is, in combined mode, the share of seats nominated in expanded mode.
	ExpandedShare float64 `yaml:"expanded_share" mapstructure:"expanded_share"`
}

// Stage is one step of the pipeline. Exactly one of Nominate, Filter, Select
// or Elect is set; it decides the stage's kind.
type Stage struct {
	// Name is the stage identifier (used in --set paths, funnels and machines).
	Name    string `yaml:"name" mapstructure:"name"`
	Label   string `yaml:"label" mapstructure:"label"`
	LabelZh string `yaml:"label_zh" mapstructure:"label_zh"`
	// UnitState names the electoral unit's state while this stage runs.
	UnitState string `yaml:"unit_state" mapstructure:"unit_state"`
	// CandidateState names a candidate's state after passing this stage;
	// DroppedState after being dropped by it.
	CandidateState string `yaml:"candidate_state" mapstructure:"candidate_state"`
	DroppedState   string `yaml:"dropped_state" mapstructure:"dropped_state"`

	Nominate *NominateStage `yaml:"nominate" mapstructure:"nominate"`
	Filter   *FilterStage   `yaml:"filter" mapstructure:"filter"`
	Select   *SelectStage   `yaml:"select" mapstructure:"select"`
	Elect    *ElectStage    `yaml:"elect" mapstructure:"elect"`
}

// NominateStage draws the unit's nominee list from its member pool.
type NominateStage struct {
	NominationMode `yaml:",inline" mapstructure:",squash"`
	// Weights are the trait-dependent nomination weights: a person's chance of
	// being recommended is proportional to the product of their values' weights.
	Weights []TraitWeights `yaml:"weights" mapstructure:"weights"`
	// GroupWeights multiply further weights into Weights for the units of
	// one group: nomination behaviour that differs between kinds of unit.
	GroupWeights []GroupWeights `yaml:"group_weights" mapstructure:"group_weights"`
	// FromTargets sends the list back down while it falls short of a
	// target's minimum ("three ups and three downs"): the lowest-merit
	// nominees outside the short group are replaced by further nominations
	// from it, until the list holds the minimum (planned with Confidence as
	// in a select stage) or the pool has no one left to give.
	FromTargets bool    `yaml:"from_targets" mapstructure:"from_targets"`
	Confidence  float64 `yaml:"confidence" mapstructure:"confidence"`
}

// GroupWeights are multiplicative weights applied to the units of one group.
type GroupWeights struct {
	Group   string         `yaml:"group" mapstructure:"group"`
	Weights []TraitWeights `yaml:"weights" mapstructure:"weights"`
}

// FilterStage removes people independently at random: each veto applies to the
// people matching its predicate with its rate; the first veto that strikes is
// recorded as the reason.
type FilterStage struct {
	Vetoes []Veto `yaml:"vetoes" mapstructure:"vetoes"`
}

// Veto is one reason to remove a person (political, integrity, identity,
// objection, review ...).
type Veto struct {
	Reason string    `yaml:"reason" mapstructure:"reason"`
	Rate   float64   `yaml:"rate" mapstructure:"rate"`
	When   Predicate `yaml:"when" mapstructure:"when"`
}

// SelectStage is the organisation's structured selection: keep Size people,
// highest score first, subject to the quotas.
type SelectStage struct {
	Size ListSize `yaml:"size" mapstructure:"size"`
	// Quotas are min/max constraints on the selected list.
	Quotas []Quota `yaml:"quotas" mapstructure:"quotas"`
	// FromTargets adds a quota for every target that applies to the unit:
	// its share, count and above_member_share bounds become bounds on the
	// list (a total-scope count as its proportional share of the seats in
	// scope), with TargetMargin added to minimum shares, planning for the
	// unit's centrally nominated candidates in the worst case.
	FromTargets  bool    `yaml:"from_targets" mapstructure:"from_targets"`
	TargetMargin float64 `yaml:"target_margin" mapstructure:"target_margin"`
	// Confidence, instead of a fixed margin, plans each target quota so that
	// the requirement survives to the elected result with at least this
	// probability, as if every later step removed people at random: per
	// unit (hypergeometric) for scope-each targets, nationally (normal
	// approximation over the units) for scope-total ones. 0: off.
	Confidence float64 `yaml:"confidence" mapstructure:"confidence"`
	// ScoreSD is the spread of the organisation's random assessment of each
	// person (default 1); ScoreBias adds a trait-dependent preference.
	ScoreSD   float64        `yaml:"score_sd" mapstructure:"score_sd"`
	ScoreBias []TraitWeights `yaml:"score_bias" mapstructure:"score_bias"`
	// GroupScoreBias adds further preferences in the units of one group.
	GroupScoreBias []GroupWeights `yaml:"group_score_bias" mapstructure:"group_score_bias"`
}

// ListSize fixes a list's length from the unit's seats. Exactly one of
// Surplus, Count or Ballot is used.
type ListSize struct {
	// Surplus: local seats n plus ceil(Surplus·n) extra, or floor(Surplus·n)+1
	// when Strict ("more than").
	Surplus *float64 `yaml:"surplus" mapstructure:"surplus"`
	Strict  bool     `yaml:"strict" mapstructure:"strict"`
	// Count is an absolute length.
	Count *int `yaml:"count" mapstructure:"count"`
	// Ballot sizes the list for the next election stage (seats plus its
	// required surplus; exactly the seats for uncontested units).
	Ballot bool `yaml:"ballot" mapstructure:"ballot"`
}

// Quota bounds how many selected people match a predicate, as counts or as
// shares of the list.
type Quota struct {
	Name     string    `yaml:"name" mapstructure:"name"`
	When     Predicate `yaml:"when" mapstructure:"when"`
	Min      *int      `yaml:"min" mapstructure:"min"`
	Max      *int      `yaml:"max" mapstructure:"max"`
	MinShare *float64  `yaml:"min_share" mapstructure:"min_share"`
	MaxShare *float64  `yaml:"max_share" mapstructure:"max_share"`
}

// ElectStage is the competitive vote at the unit's congress, simulated ballot
// by ballot.
type ElectStage struct {
	// Surplus is the required difference ratio (candidates − seats)/seats on
	// local seats; Strict makes it "more than" (floor(r·n)+1 extra).
	Surplus float64 `yaml:"surplus" mapstructure:"surplus"`
	Strict  bool    `yaml:"strict" mapstructure:"strict"`
	// MajorityOf is "entitled" or "present": a winner needs more than half of them.
	MajorityOf string `yaml:"majority_of" mapstructure:"majority_of"`
	// Quorum: more than this share of the entitled voters must attend.
	Quorum float64 `yaml:"quorum" mapstructure:"quorum"`
	// Turnout is the default attendance probability per entitled voter.
	Turnout float64 `yaml:"turnout" mapstructure:"turnout"`
	// Voters describes ballot behaviour.
	Voters VoterModel `yaml:"voters" mapstructure:"voters"`
	// FurtherRounds is the number of further rounds (另行选举) for unfilled seats.
	FurtherRounds int `yaml:"further_rounds" mapstructure:"further_rounds"`
	// Revotes is how many times a tie at the last seat is re-voted before lot.
	Revotes int `yaml:"revotes" mapstructure:"revotes"`
	// CentralAppeal is the appeal bonus (logit) of centrally nominated candidates.
	CentralAppeal float64 `yaml:"central_appeal" mapstructure:"central_appeal"`
}

// VoterModel is the behaviour of one voter facing one name: vote for with
// probability logistic(logit(Approval) + appeal), where a candidate's appeal is
// the sum of trait Bias plus AppealSD·N(0,1) drawn once per candidate; otherwise
// abstain with probability Abstain, else vote against. A ballot marking more
// names "for" than seats is invalid unless the voter corrects it (probability
// Discipline) by striking the "for" marks of the least appealing marked names
// down to the number of seats (struck marks count for no one).
type VoterModel struct {
	Approval   float64        `yaml:"approval" mapstructure:"approval"`
	AppealSD   float64        `yaml:"appeal_sd" mapstructure:"appeal_sd"`
	Bias       []TraitWeights `yaml:"bias" mapstructure:"bias"`
	Abstain    float64        `yaml:"abstain" mapstructure:"abstain"`
	Discipline float64        `yaml:"discipline" mapstructure:"discipline"`
}

// Target is a structure requirement on the elected people.
type Target struct {
	Name  string `yaml:"name" mapstructure:"name"`
	Label string `yaml:"label" mapstructure:"label"`
	// LabelZh is the label in Chinese.
	LabelZh string `yaml:"label_zh" mapstructure:"label_zh"`
	// When selects the people counted.
	When Predicate `yaml:"when" mapstructure:"when"`
	// Bounds: counts or shares of the elected people in scope.
	MinCount *int     `yaml:"min_count" mapstructure:"min_count"`
	MaxCount *int     `yaml:"max_count" mapstructure:"max_count"`
	MinShare *float64 `yaml:"min_share" mapstructure:"min_share"`
	MaxShare *float64 `yaml:"max_share" mapstructure:"max_share"`
	// AboveMemberShare requires the share to exceed the share of matching
	// members in each unit's own pool.
	AboveMemberShare bool `yaml:"above_member_share" mapstructure:"above_member_share"`
	// Strict turns minimums into "more than" and maximums into "less than".
	Strict bool `yaml:"strict" mapstructure:"strict"`
	// Scope is "total" (all units in scope together) or "each" (every unit in
	// scope on its own).
	Scope Scope `yaml:"scope" mapstructure:"scope"`
	// Units and Groups restrict the scope; empty means all units.
	Units  []string `yaml:"units" mapstructure:"units"`
	Groups []string `yaml:"groups" mapstructure:"groups"`
	// Published is what the record says of the requirement: "met",
	// "missed", or "" when nothing was published. A published outcome is a
	// fact the model should reproduce (run's predictive check, calibrate).
	Published string `yaml:"published" mapstructure:"published"`
	// Source says where the requirement comes from (free text, for readers
	// and reports), e.g. the year's notice or the press conference.
	Source string `yaml:"source" mapstructure:"source"`
}

// Published outcomes of a target.
const (
	PublishedMet    = "met"
	PublishedMissed = "missed"
)

// Share is a composition of the elected people tracked across trials.
type Share struct {
	Name  string `yaml:"name" mapstructure:"name"`
	Label string `yaml:"label" mapstructure:"label"`
	// LabelZh is the label in Chinese.
	LabelZh string    `yaml:"label_zh" mapstructure:"label_zh"`
	When    Predicate `yaml:"when" mapstructure:"when"`
	// Of restricts the denominator to people matching it (e.g. share of
	// front-line deputies with honours); empty means all elected.
	Of Predicate `yaml:"of" mapstructure:"of"`
	// Published is the published value, when known.
	Published *float64 `yaml:"published" mapstructure:"published"`
	// Source says where the published value comes from (free text).
	Source string `yaml:"source" mapstructure:"source"`
}

// Kind returns the stage's kind: nominate, filter, select or elect, or "" when
// not exactly one is set.
func (s *Stage) Kind() string {
	kind, n := "", 0
	if s.Nominate != nil {
		kind, n = KindNominate, n+1
	}
	if s.Filter != nil {
		kind, n = KindFilter, n+1
	}
	if s.Select != nil {
		kind, n = KindSelect, n+1
	}
	if s.Elect != nil {
		kind, n = KindElect, n+1
	}
	if n != 1 {
		return ""
	}
	return kind
}

// Stage kinds.
const (
	KindNominate = "nominate"
	KindFilter   = "filter"
	KindSelect   = "select"
	KindElect    = "elect"
)

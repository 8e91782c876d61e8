// Package exercise holds graded teaching exercises: each is a scenario, a
// question and an answer that the model itself checks. An exercise lives in
// a directory of its own (configs/exercises/NN-id/) with an exercise.yaml and
// the scenario file it names; the scenario loads with the project's strict
// loader like any other.
//
// Answers are checked by running the model with the exercise's own seed and
// number of trials, never against a stored number alone:
//
//   - least / greatest: the least (greatest) value of one scenario parameter,
//     on a grid, at which a target is met with at least a given probability.
//     An answer v is right when P(v) ≥ p − tolerance and the next grid value
//     towards the other side does not also qualify: P(v ∓ step) < p + tolerance.
//   - estimate: a quantity measured by the model (a target's probability,
//     the places a stage leaves unfilled, the vacant seats …), or the
//     difference of two such measurements; right within ± tolerance.
//   - choice: one of several options (units, rules), each measured by the
//     model; right when it is the option with the highest (or lowest) value.
//   - largest_feasible_share: integer arithmetic on the scenario's targets:
//     the largest whole-percent minimum share of one group that can be met
//     together with the other targets on the scenario's seats.
package exercise

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"simulate/scenario"
)

// Answer kinds.
const (
	KindLeast     = "least"
	KindGreatest  = "greatest"
	KindEstimate  = "estimate"
	KindChoice    = "choice"
	KindFeasible  = "largest_feasible_share"
	MaxTrials     = 2000
	exerciseFile  = "exercise.yaml"
	pickHighest   = "highest"
	pickLowest    = "lowest"
	valueHolder   = "{value}"
	defaultScale  = 1.0
	percentFormat = "%.1f%%"
)

// Measures the model can take of a run.
const (
	// OfTargetProbability is the share of trials meeting Target.
	OfTargetProbability = "target_probability"
	// OfStageUnfilled is the mean number of places Stage left unfilled per trial.
	OfStageUnfilled = "stage_unfilled"
	// OfVacancies is the mean number of seats left vacant per trial.
	OfVacancies = "vacancies"
	// OfElected is the mean number of people seated per trial.
	OfElected = "elected"
	// OfUnitMisses is the share of trials in which Unit missed Target (scope each).
	OfUnitMisses = "unit_misses"
)

var measures = []string{OfTargetProbability, OfStageUnfilled, OfVacancies, OfElected, OfUnitMisses}

// Exercise is one graded exercise.
type Exercise struct {
	// Number orders the exercises (from the directory name NN-id).
	Number int `yaml:"-"`
	// ID is the exercise's short name, used on the command line.
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	TitleZh string `yaml:"title_zh"`
	// Question is what the student is asked, in plain text.
	Question string   `yaml:"question"`
	Hints    []string `yaml:"hints"`
	// Scenario is the scenario file, in the exercise's directory.
	Scenario string `yaml:"scenario"`
	// Trials and Seed fix the runs that grade an answer.
	Trials int    `yaml:"trials"`
	Seed   uint64 `yaml:"seed"`
	Answer Answer `yaml:"answer"`
	// Explanation says why the reference answer is right (shown with the
	// solution and after a correct answer); Wrong gives the idea behind the
	// question without the answer (shown after a wrong one).
	Explanation string `yaml:"explanation"`
	Wrong       string `yaml:"wrong"`
	// QuestionZh, HintsZh, ExplanationZh and WrongZh are the same texts in
	// Chinese (see In).
	QuestionZh    string   `yaml:"question_zh"`
	HintsZh       []string `yaml:"hints_zh"`
	ExplanationZh string   `yaml:"explanation_zh"`
	WrongZh       string   `yaml:"wrong_zh"`

	// ScenarioText is the scenario file's content.
	ScenarioText []byte `yaml:"-"`
}

// Answer says what the right answer is and how the model checks it.
type Answer struct {
	Kind string `yaml:"kind"`
	// Reference is the expected answer; the tests check that it passes.
	Reference string `yaml:"reference"`
	// Unit describes the answer's unit, e.g. "percentage points".
	Unit string `yaml:"unit"`

	// least / greatest: the scenario key (--set syntax) the answer sets,
	// or Template, a --set assignment in which {value} stands for it.
	Parameter   string  `yaml:"parameter"`
	Template    string  `yaml:"template"`
	Min         float64 `yaml:"min"`
	Max         float64 `yaml:"max"`
	Step        float64 `yaml:"step"`
	Target      string  `yaml:"target"`
	Probability float64 `yaml:"probability"`

	// Tolerance widens the acceptance: in probability for least/greatest,
	// in the answer's unit for estimate.
	Tolerance float64 `yaml:"tolerance"`

	// estimate: Measure, minus Minus when given.
	Measure *Measure `yaml:"measure"`
	Minus   *Measure `yaml:"minus"`

	// choice: the options and whether the highest or lowest value wins.
	Options []Option `yaml:"options"`
	Pick    string   `yaml:"pick"`

	// largest_feasible_share: Target's min_share is the answer (in whole
	// percent); With lists the targets that must hold together with it.
	With []string `yaml:"with"`
}

// Measure is one quantity read from a run of the exercise's scenario with
// Sets applied.
type Measure struct {
	Of     string   `yaml:"of"`
	Target string   `yaml:"target"`
	Stage  string   `yaml:"stage"`
	Unit   string   `yaml:"unit"`
	Sets   []string `yaml:"sets"`
	// Scale multiplies the value (100 turns a probability into percent).
	Scale float64 `yaml:"scale"`
}

// Option is one answer of a choice, with the measure that ranks it.
type Option struct {
	Name    string `yaml:"name"`
	Measure `yaml:",inline"`
}

var dirName = regexp.MustCompile(`^(\d+)-([a-z][a-z0-9-]*)$`)

// Load reads every exercise directory of fsys (named NN-id), sorted by number.
func Load(fsys fs.FS) ([]*Exercise, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []*Exercise
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		m := dirName.FindStringSubmatch(e.Name())
		if m == nil {
			errs = append(errs, fmt.Errorf("exercise directory %q: want NN-id", e.Name()))
			continue
		}
		ex, err := loadOne(fsys, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ex.Number, _ = strconv.Atoi(m[1])
		if ex.ID != m[2] {
			errs = append(errs, fmt.Errorf("%s: id %q differs from the directory name", e.Name(), ex.ID))
			continue
		}
		out = append(out, ex)
	}
	slices.SortFunc(out, func(a, b *Exercise) int { return a.Number - b.Number })
	for i := 1; i < len(out); i++ {
		if out[i].Number == out[i-1].Number {
			errs = append(errs, fmt.Errorf("exercises %s and %s share number %d", out[i-1].ID, out[i].ID, out[i].Number))
		}
	}
	return out, errors.Join(errs...)
}

func loadOne(fsys fs.FS, dir string) (*Exercise, error) {
	data, err := fs.ReadFile(fsys, path.Join(dir, exerciseFile))
	if err != nil {
		return nil, err
	}
	var ex Exercise
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&ex); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, exerciseFile, err)
	}
	if ex.ScenarioText, err = fs.ReadFile(fsys, path.Join(dir, ex.Scenario)); err != nil {
		return nil, fmt.Errorf("%s: scenario: %w", dir, err)
	}
	if err := ex.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return &ex, nil
}

// Find returns the exercise with the given id or number.
func Find(all []*Exercise, key string) (*Exercise, bool) {
	key = strings.TrimSpace(strings.ToLower(key))
	for _, ex := range all {
		if ex.ID == key || strconv.Itoa(ex.Number) == key || fmt.Sprintf("%02d-%s", ex.Number, ex.ID) == key {
			return ex, true
		}
	}
	return nil, false
}

// LoadScenario loads the exercise's scenario with extra overrides and the
// exercise's own trials and seed.
func (ex *Exercise) LoadScenario(sets ...string) (*scenario.Scenario, error) {
	all := append([]string{fmt.Sprintf("run.trials=%d", ex.Trials), fmt.Sprintf("run.seed=%d", ex.Seed)}, sets...)
	return scenario.Load("exercise:"+ex.ID, ex.ScenarioText, scenario.Options{Sets: all})
}

// validate checks that the exercise is complete and that its scenario and
// every setting it grades with load.
func (ex *Exercise) validate() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if ex.Title == "" || ex.Question == "" {
		bad("title and question are required")
	}
	errs = append(errs, ex.checkChinese()...)
	if ex.Trials < 1 || ex.Trials > MaxTrials {
		bad("trials must be 1 … %d, got %d", MaxTrials, ex.Trials)
	}
	if ex.Seed == 0 {
		bad("seed is required")
	}
	sc, err := ex.LoadScenario()
	if err != nil {
		return fmt.Errorf("scenario %s: %w", ex.Scenario, err)
	}
	a := &ex.Answer
	if a.Reference == "" {
		bad("answer.reference is required")
	}
	hasTarget := func(name string) bool {
		return slices.ContainsFunc(sc.Targets, func(t scenario.Target) bool { return t.Name == name })
	}
	checkMeasure := func(m *Measure, what string) {
		if m == nil {
			bad("%s is required", what)
			return
		}
		if !slices.Contains(measures, m.Of) {
			bad("%s.of %q: want one of %s", what, m.Of, strings.Join(measures, ", "))
		}
		if (m.Of == OfTargetProbability || m.Of == OfUnitMisses) && !hasTarget(m.Target) {
			bad("%s.target %q is not a target of the scenario", what, m.Target)
		}
		if m.Of == OfStageUnfilled && !slices.ContainsFunc(sc.Stages, func(s scenario.Stage) bool { return s.Name == m.Stage }) {
			bad("%s.stage %q is not a stage of the scenario", what, m.Stage)
		}
		if m.Of == OfUnitMisses && !slices.ContainsFunc(sc.Units, func(u scenario.Unit) bool { return u.Name == m.Unit }) {
			bad("%s.unit %q is not a unit of the scenario", what, m.Unit)
		}
		if _, err := ex.LoadScenario(m.Sets...); err != nil {
			bad("%s.sets: %v", what, err)
		}
	}
	switch a.Kind {
	case KindLeast, KindGreatest:
		if (a.Parameter == "") == (a.Template == "") {
			bad("answer needs exactly one of parameter and template")
		}
		if a.Template != "" && !strings.Contains(a.Template, valueHolder) {
			bad("answer.template must contain %s", valueHolder)
		}
		if !(a.Step > 0) || a.Max < a.Min {
			bad("answer needs step > 0 and min ≤ max")
		}
		if !hasTarget(a.Target) {
			bad("answer.target %q is not a target of the scenario", a.Target)
		}
		if a.Probability <= 0 || a.Probability > 1 {
			bad("answer.probability must be in (0, 1]")
		}
		if v, err := strconv.ParseFloat(a.Reference, 64); err == nil {
			if _, err := ex.LoadScenario(a.assignment(v)); err != nil {
				bad("the reference answer does not load: %v", err)
			}
		}
	case KindEstimate:
		checkMeasure(a.Measure, "answer.measure")
		if a.Minus != nil {
			checkMeasure(a.Minus, "answer.minus")
		}
		if !(a.Tolerance > 0) {
			bad("answer.tolerance must be > 0")
		}
	case KindChoice:
		if len(a.Options) < 2 {
			bad("answer.options needs at least two options")
		}
		for i := range a.Options {
			checkMeasure(&a.Options[i].Measure, fmt.Sprintf("answer.options[%d]", i))
		}
		if a.Pick != pickHighest && a.Pick != pickLowest {
			bad("answer.pick must be highest or lowest")
		}
	case KindFeasible:
		if !hasTarget(a.Target) {
			bad("answer.target %q is not a target of the scenario", a.Target)
		}
		for _, w := range a.With {
			if !hasTarget(w) {
				bad("answer.with: %q is not a target of the scenario", w)
			}
		}
		// The arithmetic adds the groups' counts: they must not overlap.
		names := append([]string{a.Target}, a.With...)
		for i := range names {
			for j := i + 1; j < len(names); j++ {
				ti, tj := sc.Target(names[i]), sc.Target(names[j])
				if ti != nil && tj != nil && !disjoint(ti.When, tj.When) {
					bad("answer: targets %s and %s may count the same people", names[i], names[j])
				}
			}
		}
	default:
		bad("answer.kind %q: want least, greatest, estimate, choice or largest_feasible_share", a.Kind)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// assignment is the --set override giving the parameter the value v.
func (a *Answer) assignment(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if a.Template != "" {
		return strings.ReplaceAll(a.Template, valueHolder, s)
	}
	return a.Parameter + "=" + s
}

// disjoint reports whether no person can match both predicates: some trait
// is restricted by both to lists with no value in common.
func disjoint(a, b scenario.Predicate) bool {
	for trait, va := range a {
		vb, ok := b[trait]
		if !ok {
			continue
		}
		common := false
		for _, v := range va {
			common = common || slices.Contains(vb, v)
		}
		if !common {
			return true
		}
	}
	return false
}

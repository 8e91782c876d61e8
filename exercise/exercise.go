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
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
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

	// source names exercise.yaml and scenarioSource the scenario file in
	// errors; doc is the parsed file, for the lines of problems.
	source, scenarioSource string
	doc                    *yaml.Node
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
func Load(fsys fs.FS) ([]*Exercise, error) { return LoadFrom(fsys, "") }

// LoadFrom is Load for a directory that errors name as root (a lecturer's
// --exercises DIR): every problem is reported with its file, line and field,
// e.g. "DIR/03-x/exercise.yaml: line 12: answer.target: \"woman\" is not a
// target of the scenario; did you mean \"women\"?". An error about the
// files' content is a *scenario.Error.
func LoadFrom(fsys fs.FS, root string) ([]*Exercise, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []*Exercise
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		m := dirName.FindStringSubmatch(e.Name())
		if m == nil {
			errs = append(errs, fmt.Errorf("exercise directory %s: want a name NN-id, like 01-%s", path.Join(root, e.Name()), slug(e.Name())))
			continue
		}
		ex, err := loadOne(fsys, e.Name(), root)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ex.Number, _ = strconv.Atoi(m[1])
		if ex.ID != m[2] {
			errs = append(errs, &scenario.Error{Source: path.Join(root, e.Name(), exerciseFile), What: "exercise", Problems: []scenario.Problem{{
				Path: "id", Line: ex.lineOf("id"), Msg: fmt.Sprintf("%q differs from the directory name %s: want %q", ex.ID, e.Name(), m[2])}}})
			continue
		}
		out = append(out, ex)
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("no exercises in %s: want one directory per exercise, named NN-id, holding %s and its scenario", cmp.Or(root, "."), exerciseFile))
	}
	slices.SortFunc(out, func(a, b *Exercise) int { return a.Number - b.Number })
	for i := 1; i < len(out); i++ {
		if out[i].Number == out[i-1].Number {
			errs = append(errs, fmt.Errorf("exercises %s and %s share number %d", out[i-1].ID, out[i].ID, out[i].Number))
		}
		if out[i].ID == out[i-1].ID {
			errs = append(errs, fmt.Errorf("two exercises have the id %s", out[i].ID))
		}
	}
	return out, errors.Join(errs...)
}

// slug is a directory name turned into a valid exercise id.
func slug(name string) string {
	s := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "x" + s
	}
	return s
}

func loadOne(fsys fs.FS, dir, root string) (*Exercise, error) {
	file := path.Join(dir, exerciseFile)
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	ex, err := Parse(path.Join(root, file), data)
	if err != nil {
		return nil, err
	}
	if ex.Scenario == "" || path.Base(ex.Scenario) != ex.Scenario {
		return nil, ex.problem("scenario", "want the name of a scenario file beside %s, got %q", exerciseFile, ex.Scenario)
	}
	if ex.ScenarioText, err = fs.ReadFile(fsys, path.Join(dir, ex.Scenario)); err != nil {
		return nil, ex.problem("scenario", "cannot read %s: %v", path.Join(root, dir, ex.Scenario), errors.Unwrap(err))
	}
	ex.scenarioSource = path.Join(root, dir, ex.Scenario)
	if err := ex.validate(); err != nil {
		return nil, err
	}
	return ex, nil
}

// Parse reads an exercise.yaml strictly: unknown keys (with the nearest known
// one), wrong types and missing fields are problems with their lines. It does
// not read or check the scenario; source names the file in errors.
func Parse(source string, data []byte) (*Exercise, error) {
	ex := &Exercise{source: source}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &scenario.Error{Source: source, What: "exercise", Problems: []scenario.Problem{yamlProblem(err)}}
	}
	if len(doc.Content) == 0 {
		return nil, &scenario.Error{Source: source, What: "exercise", Problems: []scenario.Problem{{Msg: "empty file: want id, title, question, scenario, trials, seed and answer"}}}
	}
	ex.doc = doc.Content[0]
	var ps []scenario.Problem
	checkKeys(ex.doc, reflect.TypeFor[Exercise](), "", &ps)
	if len(ps) == 0 {
		if err := ex.doc.Decode(ex); err != nil {
			ps = append(ps, typeProblems(ex.doc, err)...)
		}
	}
	if len(ps) > 0 {
		return nil, &scenario.Error{Source: source, What: "exercise", Problems: ps}
	}
	return ex, nil
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
	return scenario.Load(cmp.Or(ex.scenarioSource, "exercise:"+ex.ID), ex.ScenarioText, scenario.Options{Sets: all})
}

// validate checks that the exercise is complete and that its scenario and
// every setting it grades with load.
func (ex *Exercise) validate() error {
	var ps []scenario.Problem
	bad := func(field, format string, args ...any) {
		ps = append(ps, scenario.Problem{Path: field, Line: ex.lineOf(field), Msg: fmt.Sprintf(format, args...)})
	}
	for _, f := range []struct{ field, value string }{{"id", ex.ID}, {"title", ex.Title}, {"question", ex.Question}} {
		if strings.TrimSpace(f.value) == "" {
			bad(f.field, "required")
		}
	}
	for _, msg := range ex.checkChinese() {
		bad("hints_zh", "%s", msg)
	}
	if ex.Trials < 1 || ex.Trials > MaxTrials {
		if ex.lineOf("trials") == 0 {
			bad("trials", "required: the number of trials each check runs, 1 … %d", MaxTrials)
		} else {
			bad("trials", "must be 1 … %d, got %d", MaxTrials, ex.Trials)
		}
	}
	if ex.Seed == 0 {
		bad("seed", "required: a seed other than 0, so that every check runs the same trials")
	}
	if len(ps) > 0 {
		// The scenario is loaded with the exercise's trials and seed.
		return &scenario.Error{Source: ex.source, What: "exercise", Problems: sortProblems(ps)}
	}
	sc, err := ex.LoadScenario()
	if err != nil {
		return err
	}
	a := &ex.Answer
	if a.Reference == "" {
		bad("answer.reference", "required: the expected answer (the tests check that it passes)")
	}
	names := func(n int, name func(int) string) []string {
		var out []string
		for i := range n {
			out = append(out, name(i))
		}
		return out
	}
	targets := names(len(sc.Targets), func(i int) string { return sc.Targets[i].Name })
	stages := names(len(sc.Stages), func(i int) string { return sc.Stages[i].Name })
	units := names(len(sc.Units), func(i int) string { return sc.Units[i].Name })
	// member checks that field names one of the scenario's things.
	member := func(field, value, what string, known []string) {
		if slices.Contains(known, value) {
			return
		}
		if value == "" {
			bad(field, "required: a %s of the scenario (%s)", what, strings.Join(known, ", "))
		} else if near := scenario.Nearest(value, known); near != "" {
			bad(field, "%q is not a %s of the scenario; did you mean %q?", value, what, near)
		} else {
			bad(field, "%q is not a %s of the scenario (%ss: %s)", value, what, what, strings.Join(known, ", "))
		}
	}
	checkMeasure := func(m *Measure, what string) {
		if m == nil {
			bad(what, "required: what the model measures (of: %s)", strings.Join(measures, ", "))
			return
		}
		if !slices.Contains(measures, m.Of) {
			if near := scenario.Nearest(m.Of, measures); near != "" {
				bad(what+".of", "%q: did you mean %q?", m.Of, near)
			} else {
				bad(what+".of", "%q: want one of %s", m.Of, strings.Join(measures, ", "))
			}
		}
		if m.Of == OfTargetProbability || m.Of == OfUnitMisses {
			member(what+".target", m.Target, "target", targets)
		}
		if m.Of == OfStageUnfilled {
			member(what+".stage", m.Stage, "stage", stages)
		}
		if m.Of == OfUnitMisses {
			member(what+".unit", m.Unit, "unit", units)
		}
		if _, err := ex.LoadScenario(m.Sets...); err != nil {
			bad(what+".sets", "%v", err)
		}
	}
	switch a.Kind {
	case KindLeast, KindGreatest:
		if (a.Parameter == "") == (a.Template == "") {
			bad("answer", "needs exactly one of parameter and template")
		}
		if a.Template != "" && !strings.Contains(a.Template, valueHolder) {
			bad("answer.template", "must contain %s", valueHolder)
		}
		if !(a.Step > 0) {
			bad("answer.step", "must be > 0, got %g", a.Step)
		}
		if a.Max < a.Min {
			bad("answer.max", "must be at least min (%g), got %g", a.Min, a.Max)
		}
		member("answer.target", a.Target, "target", targets)
		if a.Probability <= 0 || a.Probability > 1 {
			bad("answer.probability", "must be in (0, 1], got %g", a.Probability)
		}
		if v, err := strconv.ParseFloat(a.Reference, 64); err == nil {
			if _, err := ex.LoadScenario(a.assignment(v)); err != nil {
				bad("answer.reference", "the scenario does not load with the reference answer: %v", err)
			}
		} else if a.Reference != "" {
			bad("answer.reference", "want a number, got %q", a.Reference)
		}
	case KindEstimate:
		checkMeasure(a.Measure, "answer.measure")
		if a.Minus != nil {
			checkMeasure(a.Minus, "answer.minus")
		}
		if !(a.Tolerance > 0) {
			bad("answer.tolerance", "must be > 0, got %g", a.Tolerance)
		}
	case KindChoice:
		if len(a.Options) < 2 {
			bad("answer.options", "needs at least two options, got %d", len(a.Options))
		}
		for i := range a.Options {
			checkMeasure(&a.Options[i].Measure, fmt.Sprintf("answer.options[%d]", i))
		}
		if a.Pick != pickHighest && a.Pick != pickLowest {
			bad("answer.pick", "want highest or lowest, got %q", a.Pick)
		}
	case KindFeasible:
		member("answer.target", a.Target, "target", targets)
		for i, w := range a.With {
			member(fmt.Sprintf("answer.with[%d]", i), w, "target", targets)
		}
		// The arithmetic adds the groups' counts: they must not overlap.
		names := append([]string{a.Target}, a.With...)
		for i := range names {
			for j := i + 1; j < len(names); j++ {
				ti, tj := sc.Target(names[i]), sc.Target(names[j])
				if ti != nil && tj != nil && !disjoint(ti.When, tj.When) {
					bad("answer.with", "targets %s and %s may count the same people", names[i], names[j])
				}
			}
		}
	default:
		kinds := []string{KindLeast, KindGreatest, KindEstimate, KindChoice, KindFeasible}
		if near := scenario.Nearest(a.Kind, kinds); near != "" {
			bad("answer.kind", "%q: did you mean %q?", a.Kind, near)
		} else {
			bad("answer.kind", "%q: want one of %s", a.Kind, strings.Join(kinds, ", "))
		}
	}
	if len(ps) > 0 {
		return &scenario.Error{Source: ex.source, What: "exercise", Problems: sortProblems(ps)}
	}
	return nil
}

// sortProblems orders problems by line, those without a line last.
func sortProblems(ps []scenario.Problem) []scenario.Problem {
	slices.SortStableFunc(ps, func(x, y scenario.Problem) int {
		if (x.Line == 0) != (y.Line == 0) {
			if x.Line == 0 {
				return 1
			}
			return -1
		}
		return x.Line - y.Line
	})
	return ps
}

// problem is a single problem with one field of the exercise file.
func (ex *Exercise) problem(field, format string, args ...any) error {
	return &scenario.Error{Source: ex.source, What: "exercise", Problems: []scenario.Problem{{Path: field, Line: ex.lineOf(field), Msg: fmt.Sprintf(format, args...)}}}
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

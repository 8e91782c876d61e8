package exercise

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
	"simulate/sim"
)

// ErrBadAnswer marks an answer that cannot be read as the kind the exercise
// asks for (a word where a number is expected, a value off the answer grid,
// an unknown option): unusable rather than wrong.
var ErrBadAnswer = errors.New("unusable answer")

// Grade is the verdict on one answer, with the model's numbers behind it.
type Grade struct {
	Exercise string `json:"exercise"`
	Answer   string `json:"answer"`
	Correct  bool   `json:"correct"`
	// Lines explain the verdict.
	Lines []string `json:"explanation"`
	// Evidence lists what the model measured to decide.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Trials and Seed are those of every run behind the verdict.
	Trials int    `json:"trials"`
	Seed   uint64 `json:"seed"`
}

// Evidence is one measurement: a quantity under a setting.
type Evidence struct {
	Setting string  `json:"setting"`
	Measure string  `json:"measure"`
	Value   float64 `json:"value"`
	// CILow and CIHigh bound a probability (95% Wilson interval).
	CILow  *float64 `json:"ci_low,omitempty"`
	CIHigh *float64 `json:"ci_high,omitempty"`
}

// Check grades an answer by running the model with the exercise's seed and
// trials. The error wraps ErrBadAnswer when the answer cannot be read; other
// errors are failures of the model.
//
// The verdict on a wrong answer never gives the right one away: it reports
// what the model measured for the answer given (and which way to look), never
// the measurement that is the answer, another option's value or the
// neighbouring grid values.
func Check(ctx context.Context, ex *Exercise, answer string) (*Grade, error) {
	return CheckWith(ctx, ex, answer, Options{})
}

// Options shape a check.
type Options struct {
	// Progress, when set, follows the model runs behind the verdict: run
	// counts them from 1, done is the trials of that run finished so far.
	Progress func(run, done int)
	// Lang is the language of the feedback lines and of the evidence's
	// descriptions (English when empty).
	Lang i18n.Lang
}

// CheckWith is Check with options.
func CheckWith(ctx context.Context, ex *Exercise, answer string, opts Options) (*Grade, error) {
	g := &grader{ctx: ctx, ex: ex, cache: map[string]*sim.Result{}, progress: opts.Progress, L: opts.Lang}
	grade := &Grade{Exercise: ex.ID, Answer: strings.TrimSpace(answer), Trials: ex.Trials, Seed: ex.Seed}
	var err error
	switch ex.Answer.Kind {
	case KindLeast, KindGreatest:
		err = g.threshold(grade)
	case KindEstimate:
		err = g.estimate(grade)
	case KindChoice:
		err = g.choice(grade)
	case KindFeasible:
		err = g.feasible(grade)
	default:
		err = fmt.Errorf("exercise %s: unknown answer kind %q", ex.ID, ex.Answer.Kind)
	}
	if err != nil {
		return nil, err
	}
	if grade.Correct && ex.Explanation != "" {
		grade.Lines = append(grade.Lines, strings.TrimSpace(ex.Explanation))
	}
	if !grade.Correct && ex.Wrong != "" {
		grade.Lines = append(grade.Lines, strings.TrimSpace(ex.Wrong))
	}
	return grade, nil
}

type grader struct {
	ctx      context.Context
	ex       *Exercise
	cache    map[string]*sim.Result
	progress func(run, done int)
	runs     int
	L        i18n.Lang
}

// run simulates the exercise's scenario with sets applied (cached).
func (g *grader) run(sets []string) (*sim.Result, error) {
	key := strings.Join(sets, "\x00")
	if r, ok := g.cache[key]; ok {
		return r, nil
	}
	sc, err := g.ex.LoadScenario(sets...)
	if err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	opts := sim.Options{Trials: g.ex.Trials, Seed: g.ex.Seed}
	if g.progress != nil {
		g.runs++
		run := g.runs
		opts.Progress = func(done int) { g.progress(run, done) }
	}
	r, err := sim.Run(g.ctx, m, opts)
	if err != nil {
		return nil, err
	}
	g.cache[key] = r
	return r, nil
}

func describeSets(sets []string, L i18n.Lang) string {
	if len(sets) == 0 {
		return L.T("the scenario as given")
	}
	return strings.Join(sets, " ")
}

// measure reads one quantity from a run.
func (g *grader) measure(m *Measure) (Evidence, error) {
	ev := Evidence{Setting: describeSets(m.Sets, g.L)}
	r, err := g.run(m.Sets)
	if err != nil {
		return ev, err
	}
	scale := m.Scale
	if scale == 0 {
		scale = defaultScale
	}
	switch m.Of {
	case OfTargetProbability:
		for _, t := range r.Targets {
			if t.Name == m.Target {
				lo, hi := scale*t.CILow, scale*t.CIHigh
				ev.Measure = fmt.Sprintf(g.L.T("P(target %s met)"), m.Target)
				ev.Value, ev.CILow, ev.CIHigh = scale*t.Probability, &lo, &hi
			}
		}
	case OfUnitMisses:
		ev.Measure = fmt.Sprintf(g.L.T("P(%s misses target %s)"), m.Unit, m.Target)
		for _, t := range r.Targets {
			if t.Name != m.Target {
				continue
			}
			for _, um := range t.UnitMisses {
				if um.Unit == m.Unit {
					ev.Value = scale * float64(um.Count) / float64(r.Trials)
				}
			}
		}
	case OfStageUnfilled:
		ev.Measure = fmt.Sprintf(g.L.T("places left unfilled at %s per trial"), m.Stage)
		for _, f := range r.Funnel {
			if f.Stage == m.Stage {
				ev.Value = scale * f.Shortfall
			}
		}
	case OfVacancies:
		ev.Measure = g.L.T("vacant seats per trial")
		if r.Election != nil {
			ev.Value = scale * r.Election.Vacancies
		}
	case OfElected:
		ev.Measure = g.L.T("people seated per trial")
		ev.Value = scale * r.Elected.Mean
	}
	return ev, nil
}

func parseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: %q is not a number", ErrBadAnswer, s)
	}
	return v, nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func pct(p float64) string { return fmt.Sprintf(percentFormat, 100*p) }

// threshold grades least/greatest answers.
func (g *grader) threshold(grade *Grade) error {
	a := &g.ex.Answer
	v, err := parseNumber(grade.Answer)
	if err != nil {
		return err
	}
	k := (v - a.Min) / a.Step
	if v < a.Min-1e-9 || v > a.Max+1e-9 || math.Abs(k-math.Round(k)) > 1e-6 {
		return fmt.Errorf("%w: answers to this exercise are values from %s to %s in steps of %s; %s is not one of them",
			ErrBadAnswer, num(a.Min), num(a.Max), num(a.Step), grade.Answer)
	}
	v = a.Min + math.Round(k)*a.Step
	v = math.Round(v*1e9) / 1e9
	least := a.Kind == KindLeast
	neighbour := v - a.Step
	if !least {
		neighbour = v + a.Step
	}
	neighbour = math.Round(neighbour*1e9) / 1e9
	hasNeighbour := neighbour >= a.Min-1e-9 && neighbour <= a.Max+1e-9
	p, tol := a.Probability, a.Tolerance

	at := func(x float64) (Evidence, error) {
		m := &Measure{Of: OfTargetProbability, Target: a.Target, Sets: []string{a.assignment(x)}}
		return g.measure(m)
	}
	ev, err := at(v)
	var se *scenario.Error
	if errors.As(err, &se) {
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("With %s the scenario is not valid, so it cannot be the answer: %v"), a.assignment(v), err))
		return nil
	}
	if err != nil {
		return err
	}
	grade.Evidence = append(grade.Evidence, ev)
	say := func(e Evidence, x float64) string {
		return fmt.Sprintf(g.L.T("with %s the target %s is met in %s of %d runs (95%% interval %s–%s)"),
			a.assignment(x), a.Target, pct(e.Value), g.ex.Trials, pct(*e.CILow), pct(*e.CIHigh))
	}
	if ev.Value < p-tol {
		dir := "larger"
		if !least {
			dir = "smaller"
		}
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Not enough: %s, short of the %s asked for. Try a %s value."), say(ev, v), pct(p), g.L.T(dir)))
		return nil
	}
	if hasNeighbour {
		nev, err := at(neighbour)
		if err != nil && !errors.As(err, &se) {
			return err
		}
		if err == nil {
			if nev.Value >= p+tol {
				// The neighbour's numbers would give the answer away.
				dir := "smaller"
				if !least {
					dir = "larger"
				}
				grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("More than needed: %s, at least the %s asked for, but a %s value reaches %s too."),
					say(ev, v), pct(p), g.L.T(dir), pct(p)))
				return nil
			}
			grade.Evidence = append(grade.Evidence, nev)
			grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Correct: %s (at least %s), while %s."), say(ev, v), pct(p), say(nev, neighbour)))
		} else {
			grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Correct: %s (at least %s); with %s the scenario is not valid."), say(ev, v), pct(p), a.assignment(neighbour)))
		}
	} else {
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Correct: %s (at least %s), and no value beyond the range %s–%s is allowed."), say(ev, v), pct(p), num(a.Min), num(a.Max)))
	}
	grade.Correct = true
	return nil
}

// estimate grades a measured quantity (or a difference of two).
func (g *grader) estimate(grade *Grade) error {
	a := &g.ex.Answer
	x, err := parseNumber(grade.Answer)
	if err != nil {
		return err
	}
	ev, err := g.measure(a.Measure)
	if err != nil {
		return err
	}
	grade.Evidence = append(grade.Evidence, ev)
	val := ev.Value
	how := fmt.Sprintf(g.L.T("%s = %s with %s"), ev.Measure, trim(ev.Value), ev.Setting)
	if a.Minus != nil {
		mev, err := g.measure(a.Minus)
		if err != nil {
			return err
		}
		grade.Evidence = append(grade.Evidence, mev)
		val -= mev.Value
		how += fmt.Sprintf(g.L.T(", minus %s = %s with %s"), mev.Measure, trim(mev.Value), mev.Setting)
	}
	unit := ""
	if a.Unit != "" {
		unit = " " + g.L.T(a.Unit)
	}
	d := x - val
	if math.Abs(d) <= a.Tolerance+1e-9 {
		grade.Correct = true
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Correct: the model gives %s%s (%s); your %s is within ±%s."),
			trim(val), unit, how, grade.Answer, num(a.Tolerance)))
		return nil
	}
	// The model's value is the answer: say only which way the answer is off.
	grade.Evidence = nil
	dir := "too high"
	if d < 0 {
		dir = "too low"
	}
	grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Not correct: %s is %s, by more than the tolerance of ±%s%s."),
		grade.Answer, g.L.T(dir), num(a.Tolerance), unit))
	return nil
}

func trim(v float64) string { return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64) }

// choice grades the choice of one option.
func (g *grader) choice(grade *Grade) error {
	a := &g.ex.Answer
	chosen := -1
	var names []string
	for i, o := range a.Options {
		names = append(names, o.Name)
		if strings.EqualFold(strings.TrimSpace(grade.Answer), o.Name) {
			chosen = i
		}
	}
	if chosen < 0 {
		return fmt.Errorf("%w: %q is not one of the options: %s", ErrBadAnswer, grade.Answer, strings.Join(names, ", "))
	}
	best := -1
	var vals []string
	for i := range a.Options {
		o := &a.Options[i]
		ev, err := g.measure(&o.Measure)
		if err != nil {
			return err
		}
		ev.Setting = o.Name + ": " + ev.Setting
		grade.Evidence = append(grade.Evidence, ev)
		vals = append(vals, fmt.Sprintf("%s %s", o.Name, trim(ev.Value)))
		if best < 0 || (a.Pick == pickHighest && ev.Value > grade.Evidence[best].Value) ||
			(a.Pick == pickLowest && ev.Value < grade.Evidence[best].Value) {
			best = i
		}
	}
	what := grade.Evidence[0].Measure
	switch a.Options[0].Of {
	case OfTargetProbability:
		what = g.L.T("P(its target met)")
	case OfUnitMisses:
		what = fmt.Sprintf(g.L.T("how often each unit misses target %s"), a.Options[0].Target)
	}
	summary := fmt.Sprintf(g.L.T("The model measures %s in %d runs: %s."), what, g.ex.Trials, g.L.List(vals))
	if best == chosen {
		grade.Correct = true
		grade.Lines = append(grade.Lines, g.L.T("Correct. ")+summary)
		return nil
	}
	// The other options' values would give the answer away: only the chosen
	// option's is reported.
	ev := grade.Evidence[chosen]
	grade.Evidence = []Evidence{ev}
	grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Not correct: %s does not have the %s value. The model measures %s in %d runs: %s %s; compare it with the other options."),
		a.Options[chosen].Name, g.L.T(a.Pick), what, g.ex.Trials, a.Options[chosen].Name, trim(ev.Value)))
	return nil
}

// feasible grades the largest whole-percent minimum share of one group that
// can be met together with other targets, by integer arithmetic.
func (g *grader) feasible(grade *Grade) error {
	a := &g.ex.Answer
	x, err := parseNumber(grade.Answer)
	if err != nil {
		return err
	}
	if x > 0 && x < 1 && strings.Contains(grade.Answer, ".") && !strings.HasSuffix(strings.TrimSpace(grade.Answer), "%") {
		x *= 100 // a share written as a fraction
	}
	sc, err := g.ex.LoadScenario()
	if err != nil {
		return err
	}
	if x < 0 || x > 100 || math.Abs(x-math.Round(x)) > 1e-9 {
		return fmt.Errorf("%w: give a whole percentage from 0 to 100; %s is not one", ErrBadAnswer, grade.Answer)
	}
	pctX := int(math.Round(x))
	target := sc.Target(a.Target)
	seats := 0
	for _, u := range sc.TargetUnits(target) {
		seats += sc.Units[u].Seats
	}
	others, otherWords := 0, []string{}
	for _, name := range a.With {
		t := sc.Target(name)
		c, words := required(t, seats, g.L)
		others += c
		otherWords = append(otherWords, words)
	}
	need := func(p int) (int, string) {
		share := float64(p) / 100
		c := scenario.MinCount(share, target.Strict, seats)
		exact := num(math.Round(share*float64(seats)*1e6) / 1e6)
		if target.Strict {
			return c, fmt.Sprintf(g.L.T("%s > %d%% of %d seats needs ⌊%s⌋ + 1 = %d"), target.Name, p, seats, exact, c)
		}
		return c, fmt.Sprintf(g.L.T("%s ≥ %d%% of %d seats needs ⌈%s⌉ = %d"), target.Name, p, seats, exact, c)
	}
	c, words := need(pctX)
	total := c + others
	ok := total <= seats
	arith := fmt.Sprintf(g.L.T("%s; %s: %d + %d = %d people for %d seats"), words, g.L.List(otherWords), c, others, total, seats)
	grade.Evidence = append(grade.Evidence, Evidence{Setting: fmt.Sprintf("%s min_share %d%%", target.Name, pctX), Measure: "people required", Value: float64(total)})
	if !ok {
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Not feasible: %s, more than the seats. Try a smaller share."), arith))
		return nil
	}
	if pctX < 100 {
		c2, words2 := need(pctX + 1)
		if c2+others <= seats {
			// The arithmetic of larger shares would give the answer away.
			grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Feasible, but not the largest: %s, which fits; a larger share fits too."), arith))
			return nil
		}
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Correct: %s, which fits; at %d%%: %s, and %d + %d = %d > %d seats."), arith, pctX+1, words2, c2, others, c2+others, seats))
	} else {
		grade.Lines = append(grade.Lines, fmt.Sprintf(g.L.T("Correct: %s, which fits."), arith))
	}
	grade.Correct = true
	return nil
}

// required is the least number of matching people a target's minimum needs
// on n seats (the bound the run checks, scenario.Target.Bounds), in words.
func required(t *scenario.Target, n int, L i18n.Lang) (int, string) {
	c, _ := t.Bounds(n, 0)
	switch {
	case t.MinShare != nil && scenario.MinCount(*t.MinShare, t.Strict, n) == c:
		return c, fmt.Sprintf(L.T("%s ≥ %s%% needs %d"), t.Name, num(math.Round(1e6**t.MinShare)/1e4), c)
	case t.MinCount != nil:
		return c, fmt.Sprintf(L.T("%s needs %d"), t.Name, c)
	}
	return c, t.Name
}

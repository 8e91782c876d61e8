// Package calibrate fits a scenario's free parameters to published facts by
// the simulated method of moments: the model's mean shares (national or per
// unit), the probabilities of targets published as met or missed, and the
// mean number elected are simulated at each candidate point with the same
// trials and seed (common random numbers), and the weighted sum of squared
// scaled errors is minimised by Nelder–Mead (gonum/optimize) over the
// declared bounds. The fitted scenario is written back into the original
// file text: only the fitted numbers change, comments and layout stay.
package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"simulate/scenario"
	"simulate/sim"
)

// Options control a calibration; zero values take the scenario's calibrate
// block.
type Options struct {
	Trials         int
	Seed           *uint64
	MaxEvaluations int
	Workers        int
	// Progress, when set, is called after every evaluation.
	Progress func(Progress)
}

// Progress reports a calibration under way.
type Progress struct {
	Evaluations, MaxEvaluations int
	Best                        float64
	// Phase is "fit" while searching, then "uncertainty".
	Phase string
}

// Problem is a scenario prepared for calibration.
type Problem struct {
	source string
	data   []byte
	base   *scenario.Scenario
	cal    scenario.Calibration
	params []param
	facts  []scenario.Fact
	opts   Options
}

type param struct {
	scenario.CalibrationParam
	start   float64
	integer bool
	locs    []valueLoc // Path, then Also
}

// Fit is the outcome of a calibration.
type Fit struct {
	Scenario    string `json:"scenario"`
	Trials      int    `json:"trials"`
	Seed        uint64 `json:"seed"`
	Evaluations int    `json:"evaluations"`
	// Status says why the search stopped: converged, evaluation limit, or
	// interrupted (the best point so far is kept).
	Status         string     `json:"status"`
	StartObjective float64    `json:"start_objective"`
	Objective      float64    `json:"objective"`
	Parameters     []ParamFit `json:"parameters"`
	Facts          []FactFit  `json:"facts"`
	Reproduced     int        `json:"reproduced"`
	Total          int        `json:"total"`
	values         []float64  // fitted values, for writing the scenario
	problem        *Problem   // for writing the scenario
}

// ParamFit is one fitted parameter. SE is its standard error (nil when the
// facts do not identify it or it was not computed).
type ParamFit struct {
	Path  string   `json:"path"`
	Min   float64  `json:"min"`
	Max   float64  `json:"max"`
	Scale string   `json:"scale"`
	Start float64  `json:"start"`
	Value float64  `json:"value"`
	SE    *float64 `json:"se,omitempty"`
	// AtBound is set when the fitted value lies at (within 1% of the range
	// of) a bound: the bound, not the facts, may be deciding it.
	AtBound bool `json:"at_bound,omitempty"`
}

// FactFit compares one fact with the model at the fitted point.
type FactFit struct {
	Kind      string  `json:"kind"` // share, target or elected
	Name      string  `json:"name"`
	Unit      string  `json:"unit,omitempty"`
	Published float64 `json:"published"`
	// Outcome is the published outcome of a target (met or missed).
	Outcome string `json:"outcome,omitempty"`
	// Mean and the 90% interval [Low, High] of the model (shares, elected);
	// Probability of the target being met (targets).
	Mean        float64 `json:"mean"`
	Low         float64 `json:"low"`
	High        float64 `json:"high"`
	Probability float64 `json:"probability"`
	Tolerance   float64 `json:"tolerance"`
	// Error is the fact's contribution to the objective.
	Error float64 `json:"error"`
	// Reproduced: the published value is a typical draw of the model (inside
	// the 90% interval; a met target with P ≥ 0.5, a missed one ≤ 0.5).
	Reproduced bool `json:"reproduced"`
}

// New prepares the calibration of the scenario in data (source names it in
// messages). The scenario must have a calibrate block whose parameters name
// numbers written in the file.
func New(source string, data []byte, opts Options) (*Problem, error) {
	sc, err := scenario.Load(source, data, scenario.Options{})
	if err != nil {
		return nil, err
	}
	if sc.Calibrate == nil {
		return nil, &scenario.Error{Source: source, Problems: []scenario.Problem{{Path: "calibrate",
			Msg: "the scenario declares nothing to calibrate: add a calibrate block with parameters (path, min, max) and, optionally, facts (see docs/scenario-format.md §20)"}}}
	}
	p := &Problem{source: source, data: data, base: sc, cal: *sc.Calibrate, facts: sc.CalibrationFacts(), opts: opts}
	if opts.Trials > 0 {
		p.cal.Trials = opts.Trials
	}
	if opts.Seed != nil {
		p.cal.Seed = *opts.Seed
	}
	if opts.MaxEvaluations > 0 {
		p.cal.MaxEvaluations = opts.MaxEvaluations
	}
	root, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	var problems []scenario.Problem
	for i, cp := range p.cal.Parameters {
		pr := param{CalibrationParam: cp}
		kind, _ := scenario.PathKind(cp.Path) // validated by Load
		pr.integer = kind == reflect.Int
		for j, path := range append([]string{cp.Path}, cp.Also...) {
			at := fmt.Sprintf("calibrate.parameters[%d].path", i)
			if j > 0 {
				at = fmt.Sprintf("calibrate.parameters[%d].also[%d]", i, j-1)
			}
			loc, err := locate(root, data, path)
			if err != nil {
				problems = append(problems, scenario.Problem{Path: at, Msg: fmt.Sprintf("%q: %v", path, err)})
				continue
			}
			v, perr := strconv.ParseFloat(loc.text, 64)
			switch {
			case perr != nil:
				problems = append(problems, scenario.Problem{Path: at, Line: loc.line, Msg: fmt.Sprintf("%q: the file has %q there, not a number", path, loc.text)})
			case j == 0 && (v < cp.Min || v > cp.Max):
				problems = append(problems, scenario.Problem{Path: at, Line: loc.line,
					Msg: fmt.Sprintf("%q: the file's value %v lies outside [%v, %v]", path, v, cp.Min, cp.Max)})
			case j > 0 && v != pr.start:
				problems = append(problems, scenario.Problem{Path: at, Line: loc.line,
					Msg: fmt.Sprintf("%q: the file has %v there but %v at %s; paths fitted together must start equal", path, v, pr.start, cp.Path)})
			}
			if j == 0 {
				pr.start = v
			}
			pr.locs = append(pr.locs, loc)
		}
		p.params = append(p.params, pr)
	}
	if len(problems) > 0 {
		return nil, &scenario.Error{Source: source, Problems: problems}
	}
	return p, nil
}

// evaluation is the model at one point.
type evaluation struct {
	values    []float64
	objective float64
	facts     []FactFit
	// moments are the share facts' means and standard deviations across
	// trials, for the uncertainty of the fit.
	means, sds []float64
}

// evaluate simulates the scenario with the given parameter values.
func (p *Problem) evaluate(ctx context.Context, values []float64) (*evaluation, error) {
	var sets []string
	for i, v := range values {
		q := p.params[i]
		for _, path := range append([]string{q.Path}, q.Also...) {
			sets = append(sets, path+"="+formatValue(v, q.integer))
		}
	}
	sc, err := scenario.Load(p.source, p.data, scenario.Options{Sets: sets})
	if err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	tally, err := sim.RunTally(ctx, m, sim.Options{Trials: p.cal.Trials, Seed: p.cal.Seed, Workers: p.opts.Workers})
	if err != nil {
		return nil, err
	}
	res := tally.Result()
	ev := &evaluation{values: values}
	shareIdx := map[string]int{}
	for i, s := range sc.Shares {
		shareIdx[s.Name] = i
	}
	unitIdx := map[string]int{}
	for i, u := range sc.Units {
		unitIdx[u.Name] = i
	}
	targetIdx := map[string]int{}
	for i, t := range sc.Targets {
		targetIdx[t.Name] = i
	}
	const z90 = 1.6448536269514722
	for _, f := range p.facts {
		var ff FactFit
		switch {
		case f.Share != "":
			i := shareIdx[f.Share]
			ff = FactFit{Kind: "share", Name: f.Share, Unit: f.Unit, Tolerance: p.cal.Tolerance}
			if f.Tolerance > 0 {
				ff.Tolerance = f.Tolerance
			}
			if f.Published != nil {
				ff.Published = *f.Published
			} else {
				ff.Published = *sc.Shares[i].Published
			}
			var sd float64
			if f.Unit == "" {
				sr := res.Shares[i]
				ff.Mean, ff.Low, ff.High = sr.Mean, sr.P05, sr.P95
				sd = tally.ShareSD(i)
			} else {
				mean, s, _ := tally.UnitShare(i, unitIdx[f.Unit])
				ff.Mean, sd = mean, s
				ff.Low, ff.High = math.Max(0, mean-z90*s), math.Min(1, mean+z90*s)
			}
			d := (ff.Mean - ff.Published) / ff.Tolerance
			ff.Error = d * d
			ff.Reproduced = ff.Low <= ff.Published && ff.Published <= ff.High
			ev.means = append(ev.means, ff.Mean)
			ev.sds = append(ev.sds, sd)
		case f.Target != "":
			i := targetIdx[f.Target]
			t := sc.Targets[i]
			tr := res.Targets[i]
			ff = FactFit{Kind: "target", Name: f.Target, Outcome: t.Published, Probability: tr.Probability,
				Low: tr.CILow, High: tr.CIHigh, Tolerance: probabilityTolerance}
			goal := p.cal.MetProbability
			short := goal - tr.Probability
			ff.Reproduced = tr.Probability >= 0.5
			if t.Published == scenario.PublishedMissed {
				short = tr.Probability - (1 - goal)
				ff.Reproduced = tr.Probability <= 0.5
			}
			if short > 0 {
				ff.Error = (short / probabilityTolerance) * (short / probabilityTolerance)
			}
		default:
			ff = FactFit{Kind: "elected", Name: "elected", Published: float64(*f.Elected), Mean: res.Elected.Mean,
				Low: float64(res.Elected.Min), High: float64(res.Elected.Max), Tolerance: scenario.DefaultElectedTolerance}
			if f.Tolerance > 0 {
				ff.Tolerance = f.Tolerance
			}
			d := (ff.Mean - ff.Published) / ff.Tolerance
			ff.Error = d * d
			ff.Reproduced = math.Abs(ff.Mean-ff.Published) <= ff.Tolerance
		}
		ev.objective += ff.Error
		ev.facts = append(ev.facts, ff)
	}
	return ev, nil
}

// maxRestarts bounds the Nelder–Mead restarts of one calibration.
const maxRestarts = 4

// probabilityTolerance scales a target's shortfall from the goal
// probability: 0.02 below it counts as one unit of the objective.
const probabilityTolerance = 0.02

// Run searches for the parameter values that minimise the objective. On
// cancellation of ctx it stops and returns the best point found so far,
// with Status "interrupted" (and no error).
func (p *Problem) Run(ctx context.Context) (*Fit, error) {
	dim := len(p.params)
	start := make([]float64, dim)
	for i, q := range p.params {
		start[i] = q.start
	}
	first, err := p.evaluate(ctx, p.round(start))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("the starting point does not simulate: %w", err)
	}
	best := first
	evals := 1
	report := func(phase string) {
		if p.opts.Progress != nil {
			p.opts.Progress(Progress{Evaluations: evals, MaxEvaluations: p.cal.MaxEvaluations, Best: best.objective, Phase: phase})
		}
	}
	report("fit")
	var failure error
	problem := optimize.Problem{Func: func(y []float64) float64 {
		if ctx.Err() != nil || failure != nil {
			return math.Inf(1)
		}
		ev, err := p.evaluate(ctx, p.fromY(y))
		evals++
		if err != nil {
			var se *scenario.Error
			if ctx.Err() == nil && !errors.As(err, &se) {
				failure = err
			}
			// A point the scenario refuses (e.g. every weight 0) is worst.
			return math.Inf(1)
		}
		if ev.objective < best.objective {
			best = ev
		}
		report("fit")
		return ev.objective
	}}
	// Nelder–Mead restarted from the best point while evaluations remain
	// (a collapsed simplex is the method's usual way to stall), with a
	// smaller simplex each time; it stops when a restart no longer helps.
	status := "converged"
	if dim > 0 && evals >= p.cal.MaxEvaluations {
		status = "evaluation limit"
	}
	size := 0.5
	for restart := 0; dim > 0 && evals < p.cal.MaxEvaluations && restart < maxRestarts; restart++ {
		before := best.objective
		y := make([]float64, dim)
		for i, q := range p.params {
			y[i] = logit(clamp(q.ToUnit(best.values[i]), 0.005, 0.995))
		}
		settings := &optimize.Settings{
			FuncEvaluations: p.cal.MaxEvaluations - evals,
			Converger:       &stopper{ctx: ctx, inner: &optimize.FunctionConverge{Absolute: 1e-3, Relative: 1e-4, Iterations: 10 * dim}},
		}
		res, err := optimize.Minimize(problem, y, settings, &optimize.NelderMead{SimplexSize: size})
		switch {
		case ctx.Err() != nil:
			status = "interrupted"
		case failure != nil:
			return nil, failure
		case err != nil && res == nil:
			return nil, err
		case res.Status == optimize.FunctionEvaluationLimit || evals >= p.cal.MaxEvaluations:
			status = "evaluation limit"
		default:
			status = "converged"
		}
		if status != "converged" || before-best.objective < 1e-3 {
			break
		}
		size /= 2
	}
	fit := &Fit{Scenario: p.base.Name, Trials: p.cal.Trials, Seed: p.cal.Seed, Status: status,
		StartObjective: first.objective, Objective: best.objective, Facts: best.facts,
		values: best.values, problem: p}
	var ses []float64
	if status != "interrupted" {
		ses = p.uncertainty(ctx, best, &evals, report)
		if ctx.Err() != nil {
			fit.Status, ses = "interrupted", nil
		}
	}
	fit.Evaluations = evals
	for i, q := range p.params {
		pf := ParamFit{Path: q.Path, Min: q.Min, Max: q.Max, Scale: q.Scale, Start: q.start, Value: best.values[i]}
		if pf.Scale == "" {
			pf.Scale = scenario.ScaleLinear
		}
		if u := q.ToUnit(pf.Value); u < 0.01 || u > 0.99 {
			pf.AtBound = true
		}
		if ses != nil && !math.IsInf(ses[i], 0) && !math.IsNaN(ses[i]) {
			se := ses[i]
			pf.SE = &se
		}
		fit.Parameters = append(fit.Parameters, pf)
	}
	for _, f := range fit.Facts {
		fit.Total++
		if f.Reproduced {
			fit.Reproduced++
		}
	}
	return fit, nil
}

// uncertainty returns each parameter's standard error: the spread of the
// estimate if the facts were one draw of the model at the fitted point,
// (GᵀΣ⁻¹G)⁻¹ with G the derivatives of the share facts' means (central
// differences, common random numbers) and Σ the variances of the shares
// across trials. Targets (inequalities) and the elected count do not enter.
// A parameter the share facts do not move gets +Inf.
func (p *Problem) uncertainty(ctx context.Context, at *evaluation, evals *int, report func(string)) []float64 {
	dim, k := len(p.params), len(at.means)
	out := make([]float64, dim)
	for i := range out {
		out[i] = math.Inf(1)
	}
	if k == 0 {
		return out
	}
	// Derivatives in each parameter's unit coordinate u ∈ [0, 1] (so that
	// parameters of different scales compare), converted at the end by
	// dθ/du.
	const h = 0.02
	G := mat.NewDense(k, dim, nil)
	dtheta := make([]float64, dim)
	for j, q := range p.params {
		u := q.ToUnit(at.values[j])
		lo, hi := clamp(u-h, 0, 1), clamp(u+h, 0, 1)
		vals := func(uu float64) []float64 {
			v := append([]float64(nil), at.values...)
			v[j] = q.FromUnit(uu)
			return p.round(v)
		}
		vLo, vHi := vals(lo), vals(hi)
		if vLo[j] == vHi[j] {
			continue
		}
		a, err := p.evaluate(ctx, vLo)
		*evals++
		if err != nil {
			return out
		}
		b, err := p.evaluate(ctx, vHi)
		*evals++
		report("uncertainty")
		if err != nil {
			return out
		}
		du := q.ToUnit(vHi[j]) - q.ToUnit(vLo[j])
		for i := 0; i < k; i++ {
			G.Set(i, j, (b.means[i]-a.means[i])/du)
		}
		dtheta[j] = (vHi[j] - vLo[j]) / du
	}
	// Information matrix GᵀΣ⁻¹G over the parameters that move some share
	// fact. When it is singular (some combination of parameters moves no
	// fact), the parameter with the least information is dropped — it is
	// reported unidentified (+Inf) — until the rest can be inverted.
	info := func(idx []int) *mat.SymDense {
		m := mat.NewSymDense(len(idx), nil)
		for a, ja := range idx {
			for b := a; b < len(idx); b++ {
				jb := idx[b]
				s := 0.0
				for i := 0; i < k; i++ {
					v := math.Max(at.sds[i]*at.sds[i], 1e-8)
					s += G.At(i, ja) * G.At(i, jb) / v
				}
				m.SetSym(a, b, s)
			}
		}
		return m
	}
	var idx []int
	for j := 0; j < dim; j++ {
		if dtheta[j] != 0 {
			idx = append(idx, j)
		}
	}
	for len(idx) > 0 {
		I := info(idx)
		var chol mat.Cholesky
		if ok := chol.Factorize(I); ok && chol.Cond() < 1e12 {
			var cov mat.SymDense
			if err := chol.InverseTo(&cov); err != nil {
				return out
			}
			for a, j := range idx {
				if v := cov.At(a, a); v >= 0 {
					out[j] = math.Sqrt(v) * math.Abs(dtheta[j])
				}
			}
			return out
		}
		least := 0
		for a := range idx {
			if I.At(a, a) < I.At(least, least) {
				least = a
			}
		}
		idx = append(idx[:least], idx[least+1:]...)
	}
	return out
}

// stopper ends the search when the context is cancelled, and otherwise
// defers to the inner converger.
type stopper struct {
	ctx   context.Context
	inner optimize.Converger
}

func (s *stopper) Init(dim int) { s.inner.Init(dim) }
func (s *stopper) Converged(l *optimize.Location) optimize.Status {
	if s.ctx.Err() != nil {
		return optimize.RuntimeLimit
	}
	return s.inner.Converged(l)
}

// fromY maps the optimiser's unbounded coordinates to parameter values.
func (p *Problem) fromY(y []float64) []float64 {
	v := make([]float64, len(y))
	for i, q := range p.params {
		v[i] = q.FromUnit(logistic(y[i]))
	}
	return p.round(v)
}

// round rounds each value as it will be written: integers for integer
// parameters, otherwise 5 significant digits, within the bounds.
func (p *Problem) round(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		q := p.params[i]
		x = clamp(x, q.Min, q.Max)
		if q.integer {
			x = math.Round(x)
		} else if x != 0 {
			x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 5, 64), 64)
		}
		out[i] = clamp(x, q.Min, q.Max)
	}
	return out
}

func formatValue(v float64, integer bool) string {
	if integer {
		return strconv.FormatInt(int64(math.Round(v)), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func logistic(y float64) float64 { return 1 / (1 + math.Exp(-y)) }
func logit(u float64) float64    { return math.Log(u / (1 - u)) }

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }

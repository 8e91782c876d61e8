package sensitivity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"simulate/scenario"
	"simulate/sim"
	"simulate/sweep"
)

// Simulation is a scenario seen as a model for sensitivity analysis: its
// inputs are scenario keys (the paths of --set) with ranges, its outputs the
// probability of every target and the mean of every tracked share over
// Trials trials. Every point runs the same trials with the same Seed
// (common random numbers), so that two points differ by the effect of their
// parameters and not by Monte Carlo noise: the outputs are a deterministic
// function of the parameters.
type Simulation struct {
	Load   sweep.Loader
	Base   *scenario.Scenario
	Keys   []*sweep.Param
	Trials int
	Seed   uint64
	// Independent gives every point its own seed, derived from the base
	// seed and the point's assignments (sweep.PointSeed), instead of the
	// common random numbers of one seed for all.
	Independent bool
}

// NewSimulation loads the base scenario (its run block gives the trials and
// the seed) and checks the parameters: each an interval lo:hi, or a numeric
// grid start:stop:step whose values a point takes in equal shares of the
// unit interval (for keys that need whole numbers).
func NewSimulation(load sweep.Loader, keys []*sweep.Param) (*Simulation, error) {
	base, err := load(nil)
	if err != nil {
		return nil, err
	}
	for _, p := range keys {
		if err := checkKey(p); err != nil {
			return nil, err
		}
	}
	s := &Simulation{Load: load, Base: base, Keys: keys, Trials: base.Run.Trials, Seed: base.Run.Seed}
	if len(s.Outputs()) == 0 {
		return nil, errors.New("the scenario has no targets and no tracked shares: nothing to analyse")
	}
	return s, nil
}

// Params returns the model's inputs for NewDesign.
func (s *Simulation) Params() []Param {
	out := make([]Param, len(s.Keys))
	for i, p := range s.Keys {
		out[i] = Param{Name: p.Key, Lo: p.Lo, Hi: p.Hi}
	}
	return out
}

// Outputs names the model's outputs: target.NAME (the probability the target
// is met) for every target, then share.NAME (the mean share) for every
// tracked share.
func (s *Simulation) Outputs() []string {
	var out []string
	for _, t := range s.Base.Targets {
		out = append(out, "target."+t.Name)
	}
	for _, sh := range s.Base.Shares {
		out = append(out, "share."+sh.Name)
	}
	return out
}

// Sets returns the --set assignments of a point.
func (s *Simulation) Sets(x []float64) []string {
	sets := make([]string, len(x))
	for i, p := range s.Keys {
		sets[i] = p.Key + "=" + s.value(i, x[i])
	}
	return sets
}

func (s *Simulation) value(i int, x float64) string { return valueOf(s.Keys[i], x) }

// valueOf writes the scenario value of the parameter p at x: a grid's value
// whose equal share of the range holds x, or x itself.
func valueOf(p *sweep.Param, x float64) string {
	if p.Kind == sweep.Grid {
		n := len(p.Values)
		k := int(math.Floor((x - p.Lo) / (p.Hi - p.Lo) * float64(n)))
		return p.Values[min(max(k, 0), n-1)]
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// SeedAt returns the seed of the point x: Seed, or with Independent the
// point's own seed from sweep.PointSeed of Seed and its assignments.
func (s *Simulation) SeedAt(x []float64) uint64 {
	if !s.Independent {
		return s.Seed
	}
	keys, values := make([]string, len(x)), make([]string, len(x))
	for i, p := range s.Keys {
		keys[i], values[i] = p.Key, s.value(i, x[i])
	}
	return sweep.PointSeed(s.Seed, keys, values)
}

// scenarioAt loads the scenario of a point and checks that it reports the
// base scenario's targets and shares.
func (s *Simulation) scenarioAt(x []float64) (*scenario.Scenario, error) {
	sets := s.Sets(x)
	sc, err := s.Load(sets)
	if err != nil {
		return nil, err
	}
	if !slices.EqualFunc(sc.Targets, s.Base.Targets, func(a, b scenario.Target) bool { return a.Name == b.Name }) ||
		!slices.EqualFunc(sc.Shares, s.Base.Shares, func(a, b scenario.Share) bool { return a.Name == b.Name }) {
		return nil, fmt.Errorf("the overrides %v change the scenario's targets or shares; every point must report the same ones", sets)
	}
	return sc, nil
}

// Check loads the scenario at both ends of every parameter's range (the
// others at their midpoints), so that a bad key or value is reported before
// anything runs.
func (s *Simulation) Check() error {
	mid := make([]float64, len(s.Keys))
	for i, p := range s.Keys {
		mid[i] = (p.Lo + p.Hi) / 2
	}
	for i, p := range s.Keys {
		for _, v := range []float64{p.Lo, p.Hi} {
			x := slices.Clone(mid)
			x[i] = v
			if _, err := s.scenarioAt(x); err != nil {
				return fmt.Errorf("parameter %s: %w", p, err)
			}
		}
	}
	return nil
}

// Eval is the Model: it simulates Trials trials with Seed at the point x on
// one goroutine (Evaluate runs points in parallel) and returns the outputs.
func (s *Simulation) Eval(ctx context.Context, x []float64) ([]float64, error) {
	sc, err := s.scenarioAt(x)
	if err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	t, err := sim.RunTally(ctx, m, sim.Options{Trials: s.Trials, Seed: s.SeedAt(x), Workers: 1})
	if err != nil {
		return nil, err
	}
	res := t.Result()
	out := make([]float64, 0, len(res.Targets)+len(res.Shares))
	for _, tr := range res.Targets {
		out = append(out, tr.Probability)
	}
	for _, sh := range res.Shares {
		out = append(out, sh.Mean)
	}
	return out, nil
}

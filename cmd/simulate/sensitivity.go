package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"simulate/scenario"
	"simulate/sensitivity"
	"simulate/sweep"
)

type sensitivityFlagValues struct {
	params           []string
	method           string
	samples          int
	sampler          string
	trajectories     int
	levels           int
	trajectoryDesign string
	candidates       int
	resamples        int
	confidence       float64
	trials           int
	seed             uint64
	workers          int
	sets             []string
	format           string
	plot             string
	quiet            bool
	independent      bool
}

func newSensitivityCmd() *cobra.Command {
	var f sensitivityFlagValues
	cmd := &cobra.Command{
		Use:   "sensitivity [FILE|NAME] --param KEY=LO:HI... [--method sobol|morris]",
		Short: "Which parameters move the targets and shares: Sobol indices or Morris elementary effects",
		Long: `sensitivity measures how much each --param (any scenario key, in the path
syntax of --set, with a range LO:HI) moves every target's probability and every
tracked share's mean.

--method sobol (default): variance-based indices from Saltelli sampling, N base
samples (--samples) and N(d+2) points for d parameters. S1 is the share of the
output's variance a parameter explains alone, ST the share it explains with
all its interactions (ST ≈ 0: the parameter can be fixed anywhere in its
range). S1 by Saltelli et al. (2010), ST by Jansen (1999).

--method morris: elementary effects on --trajectories r trajectories of a
--levels p grid (Campolongo's spread-out selection, or --trajectory-design
random), r(d+1) points: a cheap screening. μ* is the mean absolute change of
the output over a parameter's whole range (importance), μ the signed mean,
σ their spread (non-linearity or interactions).

Every point runs --trials trials with the same seed (common random numbers):
two points differ by the parameters' effect, not by Monte Carlo noise
(--independent: each point has its own seed from the seed and its values). The
intervals are percentile bootstrap intervals (--resamples resamples of the
base samples or trajectories, fixed seed). Points run in parallel on
--workers, one trial stream each; the result does not depend on --workers.
A KEY=start:stop:step grid gives a key that needs whole numbers: each grid
value takes an equal share of the range.`,
		Example: `  simulate sensitivity teaching --param 'stages[name=nomination].nominate.ratio=0.2:1.5' \
      --param 'stages[name=election].elect.voters.approval=0.6:0.95' --trials 200 --plot sens.svg
  simulate sensitivity teaching --method morris --trajectories 20 --param ... --format csv > morris.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSensitivity(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.params, "param", nil, "a scenario key and its range, KEY=LO:HI (or KEY=start:stop:step for whole numbers; repeatable)")
	fl.StringVarP(&f.method, "method", "m", sensitivity.Sobol, "sobol (variance-based S1 and ST) or morris (elementary effects μ*, μ, σ)")
	fl.IntVarP(&f.samples, "samples", "N", 0, "sobol: base samples N; N(d+2) points (default 256)")
	fl.StringVar(&f.sampler, "sampler", sensitivity.Halton, "sobol: base matrices from a scrambled halton sequence or random points")
	fl.IntVarP(&f.trajectories, "trajectories", "r", 0, "morris: trajectories r; r(d+1) points (default 10)")
	fl.IntVarP(&f.levels, "levels", "p", 0, "morris: grid levels p, even (default 4)")
	fl.StringVar(&f.trajectoryDesign, "trajectory-design", sensitivity.Campolongo, "morris: campolongo (the most spread of --candidates) or random")
	fl.IntVar(&f.candidates, "candidates", 0, "morris, campolongo: random trajectories to choose from (default 10 r, at most 500)")
	fl.IntVar(&f.resamples, "resamples", 1000, "bootstrap resamples for the intervals")
	fl.Float64Var(&f.confidence, "confidence", 0.95, "confidence level of the intervals")
	fl.IntVarP(&f.trials, "trials", "n", 0, "trials per point (default: the scenario's run.trials)")
	fl.Uint64Var(&f.seed, "seed", 0, "the seed of every point and of the design (default: the scenario's run.seed)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "points simulated in parallel; never changes results (default: one per CPU)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key at every point (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "text", "text, json or csv (tidy: one row per output × parameter × index)")
	fl.StringVar(&f.plot, "plot", "", "draw the indices with their intervals into this image (.svg, .png or .pdf)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar or summary")
	fl.BoolVar(&f.independent, "independent", false, independentUsage)
	return cmd
}

// sensitivityAfterPoint, when set (by tests), is called after every point.
var sensitivityAfterPoint func(done int)

func runSensitivity(cmd *cobra.Command, args []string, f *sensitivityFlagValues) error {
	if err := checkFormat(f.format, "text", "json", "csv"); err != nil {
		return err
	}
	if f.plot != "" {
		if _, err := sweep.PlotFormat(f.plot); err != nil {
			return usagef("--%v", err)
		}
	}
	if len(f.params) == 0 {
		return usagef("give at least one --param KEY=LO:HI, e.g. --param 'stages[name=election].elect.surplus=0.05:0.3'")
	}
	var keys []*sweep.Param
	for _, a := range f.params {
		p, err := sweep.ParseVary(a)
		if err != nil {
			return usagef("--param %v", err)
		}
		keys = append(keys, p)
	}
	load, err := scenarioLoader(cmd, args, f.sets)
	if err != nil {
		return err
	}
	s, err := sensitivity.NewSimulation(load, keys)
	if err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			return err
		}
		return usagef("%v", err)
	}
	s.Independent = f.independent
	opts := sensitivity.Options{Method: f.method, Seed: s.Seed, N: f.samples, Sampler: f.sampler,
		Trajectories: f.trajectories, Levels: f.levels, TrajectoryDesign: f.trajectoryDesign, Candidates: f.candidates,
		Resamples: f.resamples, Confidence: f.confidence}
	des, err := sensitivity.NewDesign(s.Params(), opts)
	if err != nil {
		return usagef("%v", err)
	}
	if err := s.Check(); err != nil {
		return usageError{err}
	}

	stderr := cmd.ErrOrStderr()
	points := len(des.Unit)
	var progress func(int)
	bar := newProgress(f.quiet, int64(points), fmt.Sprintf("%s: %d points × %d trials", opts.Method, points, s.Trials))
	if bar != nil {
		progress = func(done int) { bar.Set(int64(done)) }
	}
	model := s.Eval
	if sensitivityAfterPoint != nil {
		var n int
		model = func(ctx context.Context, x []float64) ([]float64, error) {
			y, err := s.Eval(ctx, x)
			n++ // tests run one worker
			sensitivityAfterPoint(n)
			return y, err
		}
	}
	start := time.Now()
	y, err := des.Evaluate(cmd.Context(), model, s.Base.Run.Workers, progress)
	bar.Done()
	if err != nil {
		if cmd.Context().Err() != nil {
			return fmt.Errorf("sensitivity interrupted: the indices need every point of the design, nothing was written")
		}
		var ee *sensitivity.EvalError
		if errors.As(err, &ee) {
			return fmt.Errorf("point %d (--set '%s'): %w", ee.Point, joinQuoted(s.Sets(ee.X)), ee.Err)
		}
		return err
	}
	elapsed := time.Since(start)
	res, err := des.Analyze(s.Outputs(), y)
	if err != nil {
		return err
	}
	name := scenarioArg(args)
	rep := &sensitivity.Report{Result: res, Scenario: name, ScenarioHash: s.Base.Hash(), Trials: s.Trials, Seed: s.Seed, Independent: s.Independent, Version: programVersion()}
	var buf bytes.Buffer
	switch f.format {
	case "json":
		err = rep.WriteJSON(&buf)
	case "csv":
		err = rep.WriteCSV(&buf)
	default:
		err = rep.WriteText(&buf)
	}
	if err != nil {
		return err
	}
	if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(stderr, "sensitivity: %d points × %d trials in %s\n", points, s.Trials, elapsed.Round(time.Millisecond))
	}
	if f.plot != "" {
		if err := rep.Plot(f.plot); err != nil {
			return err
		}
		if !f.quiet {
			fmt.Fprintf(stderr, "sensitivity: plot → %s\n", f.plot)
		}
	}
	return nil
}

func joinQuoted(sets []string) string {
	out := ""
	for i, s := range sets {
		if i > 0 {
			out += "' --set '"
		}
		out += s
	}
	return out
}

package main

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"simulate/calibrate"
	"simulate/internal/output"
)

type calibrateFlagValues struct {
	out      string
	format   string
	trials   int
	seed     uint64
	maxEvals int
	workers  int
	quiet    bool
}

func newCalibrateCmd() *cobra.Command {
	var f calibrateFlagValues
	cmd := &cobra.Command{
		Use:   "calibrate [FILE|NAME] [--out FILE]",
		Short: "Fit a scenario's free parameters to its published facts (simulated method of moments)",
		Long: `calibrate fits the parameters a scenario declares in its calibrate block
(paths written as for --set, each with min and max) to the facts it lists: tracked
shares with a published value (national, or in one unit), targets published as
met or missed, and the number elected. Without a facts list it fits every share
with a published value and every target with a published outcome.

Each evaluation simulates calibrate.trials trials with calibrate.seed — the same
trials at every point (common random numbers), so neighbouring points differ by
the parameters' effect, not by noise. The objective is the sum of squared scaled
errors: a share's (model mean − published) / tolerance (default half a point), a
target's shortfall of P(met) below calibrate.met_probability per 0.02, and the
elected mean's error per 2 people. Nelder–Mead (gonum/optimize) searches the box
of bounds (through a logistic transform; scale: log for weights). Afterwards the
standard error of each parameter is estimated from the share facts' derivatives
(central differences) and their spread across trials.

The report (stdout) gives each parameter (start, fitted, ± se, range) and each
fact (published, model, 90% interval, reproduced). --out writes the fitted
scenario: the input file with only the fitted numbers replaced, comments kept.
The result depends only on the file, trials and seed, never on --workers. Ctrl-C
stops the search and still reports and writes the best point found so far;
running calibrate again on the written file continues from there.`,
		Example: `  simulate calibrate configs/cpc20.yaml --out configs/cpc20.yaml   # what 'make calibrate' runs
  simulate calibrate teaching                                  # report only, embedded scenario
  simulate calibrate my.yaml --trials 400 --max-evals 100 --out fitted.yaml --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCalibrate(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "out", "o", "", "write the fitted scenario to this file (may be the input file; written atomically)")
	fl.StringVarP(&f.format, "format", "f", "text", "report format: text or json")
	fl.IntVarP(&f.trials, "trials", "n", 0, "trials per evaluation (default: calibrate.trials)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of every evaluation (default: calibrate.seed)")
	fl.IntVar(&f.maxEvals, "max-evals", 0, "most evaluations of the objective (default: calibrate.max_evaluations)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "parallel workers; never changes results (default: one per CPU)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

func runCalibrate(cmd *cobra.Command, args []string, f *calibrateFlagValues) error {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return err
	}
	if f.trials < 0 || f.maxEvals < 0 || f.workers < 0 {
		return usagef("--trials, --max-evals and --workers must not be negative")
	}
	data, source, err := readScenario(scenarioArg(args))
	if err != nil {
		return err
	}
	opts := calibrate.Options{Trials: f.trials, MaxEvaluations: f.maxEvals, Workers: f.workers}
	if cmd.Flags().Changed("seed") {
		opts.Seed = &f.seed
	}
	if !f.quiet {
		var bar *progress
		opts.Progress = func(p calibrate.Progress) {
			if bar == nil {
				bar = newProgress(f.quiet, int64(p.MaxEvaluations), "")
			}
			bar.Describe(fmt.Sprintf("%s: best objective %.4g", p.Phase, p.Best))
			if int64(p.Evaluations) > bar.Max() {
				bar.SetMax(int64(p.Evaluations))
			}
			bar.Set(int64(p.Evaluations))
		}
		defer func() { bar.Done() }()
	}
	prob, err := calibrate.New(source, data, opts)
	if err != nil {
		return err
	}
	fit, err := prob.Run(cmd.Context())
	if err != nil {
		return err
	}
	if f.out != "" {
		var buf bytes.Buffer
		if err := fit.WriteScenario(&buf); err != nil {
			return err
		}
		if err := output.WriteFile(f.out, buf.Bytes()); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	var buf bytes.Buffer
	if f.format == "json" {
		err = fit.WriteJSON(&buf)
	} else {
		err = fit.WriteText(&buf)
	}
	if err != nil {
		return err
	}
	if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
		return err
	}
	if fit.Status == "interrupted" {
		where := "reported above"
		if f.out != "" {
			where = "written to " + f.out
		}
		return fmt.Errorf("interrupted after %d evaluations; the best point so far is %s (run calibrate on it to continue)", fit.Evaluations, where)
	}
	return nil
}

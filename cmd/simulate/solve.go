package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"simulate/scenario"
	"simulate/sweep"
)

type solveFlagValues struct {
	param       string
	rng         string
	target      string
	atLeast     float64
	atMost      float64
	largest     bool
	confidence  float64
	maxTrials   int
	trials      int
	seed        uint64
	workers     int
	sets        []string
	format      string
	quiet       bool
	independent bool
	precision   float64
}

func newSolveCmd() *cobra.Command {
	var f solveFlagValues
	cmd := &cobra.Command{
		Use:   "solve [FILE|NAME] --param KEY --range LO:HI[:STEP] --target NAME (--at-least P | --at-most P)",
		Short: "Find the smallest (or largest) parameter value at which a target's probability reaches a level",
		Long: `solve searches one scenario key over a grid LO, LO+STEP, … ≤ HI for the smallest
value (--largest: the largest) at which the probability that --target is met
is at least (--at-most: at most) the given level.

--target is a target of the scenario, or a tracked share compared with a
threshold: 'women>=0.27' is met in a trial whose elected women's share is at
least 27% (shares are compared at their histogram resolution, 1e-4).

The search assumes the probability moves one way along the key. It evaluates
both ends of the range, then bisects. Each value runs --trials trials (default
200), then further batches until its Wilson interval at --confidence (default
99%) lies entirely on one side of the level, or its half-width is below
--precision (default 0.01: the value is within ±0.01 of the level; 0 turns
this off), or --max-trials (default 16 × run.trials) is reached: near the
threshold it spends more trials, far from it few. Each batch is what the
estimate so far predicts will decide, at least one first batch and at most a
doubling (docs/analysis.md). It reports the answer, the
bracket around the crossing (the nearest value decidedly on the other side),
the probability at the bracket's ends, any values inside it that cannot be
told from the level, and the trials used. Every value runs with the base
seed (common random numbers: trial i shares every draw the value does not
change; --independent gives each value its own seed from the base seed and
KEY=VALUE); the seed is printed, so 'simulate run --set KEY=VALUE --seed SEED
--trials N' reproduces an evaluation. Without a STEP, an integer range steps by 1 and
any other by a power of ten giving 50 to 500 steps.

It exits with status 1 (after the report) when no value of the range reaches
the level.`,
		Example: `  # the least election surplus at which women stay >= 27% in 95% of runs
  simulate solve --param 'stages[name=election].elect.surplus' --range 0:0.25:0.005 \
      --target 'women>=0.27' --at-least 0.95
  # ... and the largest
  simulate solve --param 'stages[name=election].elect.surplus' --range 0:0.25:0.005 \
      --target 'women>=0.27' --at-least 0.95 --largest
  simulate solve teaching --param 'stages[name=nomination].nominate.ratio=0:2' \
      --target women --at-least 0.9`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSolve(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.param, "param", "", "the scenario key to search, in --set path syntax (or KEY=LO:HI[:STEP])")
	fl.StringVar(&f.rng, "range", "", "the values searched: LO:HI:STEP or LO:HI")
	fl.StringVar(&f.target, "target", "", "a target name, or SHARE>=X / SHARE<=X for a tracked share")
	fl.Float64Var(&f.atLeast, "at-least", 0, "find where P(target) ≥ this level")
	fl.Float64Var(&f.atMost, "at-most", 0, "find where P(target) ≤ this level")
	fl.BoolVar(&f.largest, "largest", false, "find the largest value instead of the smallest")
	fl.Float64Var(&f.confidence, "confidence", 0.99, "confidence of the Wilson intervals that decide each value")
	fl.IntVar(&f.maxTrials, "max-trials", 0, "trial budget per value (default: 16 × --trials)")
	fl.IntVarP(&f.trials, "trials", "n", 0, "first batch of trials per value (default: 200, or run.trials if smaller)")
	fl.Uint64Var(&f.seed, "seed", 0, "base seed (default: the scenario's run.seed)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "parallel workers; never changes results (default: one per CPU)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	fl.BoolVar(&f.independent, "independent", false, independentUsage)
	fl.Float64Var(&f.precision, "precision", 0.01, "also stop a value once its interval's half-width is below this: it is within ±this of the level (0: off)")
	return cmd
}

// defaultSolveBatch is solve's first batch of trials per value.
const defaultSolveBatch = 200

func runSolve(cmd *cobra.Command, args []string, f *solveFlagValues) error {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return err
	}
	key, rng := f.param, f.rng
	if k, r, ok := scenario.CutAssignment(f.param); ok {
		if rng != "" {
			return usagef("give the range once: --param KEY=LO:HI or --param KEY --range LO:HI")
		}
		key, rng = k, r
	}
	switch {
	case strings.TrimSpace(key) == "":
		return usagef("--param KEY is required: the scenario key to search, e.g. 'stages[name=election].elect.surplus'")
	case rng == "":
		return usagef("--range LO:HI[:STEP] is required: the values to search")
	case f.target == "":
		return usagef("--target is required: a target name or SHARE>=X")
	}
	atLeast, atMost := cmd.Flags().Changed("at-least"), cmd.Flags().Changed("at-most")
	if atLeast == atMost {
		return usagef("give exactly one of --at-least P and --at-most P")
	}
	level := f.atLeast
	if atMost {
		level = f.atMost
	}
	if !(level > 0 && level < 1) {
		return usagef("the level must be strictly between 0 and 1, got %v", level)
	}
	if !(f.confidence > 0 && f.confidence < 1) {
		return usagef("--confidence must be strictly between 0 and 1, got %v", f.confidence)
	}
	if !(f.precision >= 0 && f.precision < 0.5) {
		return usagef("--precision must be a half-width between 0 and 0.5, got %v", f.precision)
	}
	param, err := sweep.ParseRange(strings.TrimSpace(key), rng)
	if err != nil {
		return usagef("--%v", err)
	}
	if len(param.Values) < 2 {
		return usagef("--range %s holds a single value: nothing to search", rng)
	}
	load, err := scenarioLoader(cmd, args, f.sets)
	if err != nil {
		return err
	}
	base, err := load(nil)
	if err != nil {
		return err
	}
	if _, err := sweep.ParseCriterion(base, f.target); err != nil {
		return usagef("--target %v", err)
	}
	// The first batch is small: far from the level a few hundred trials
	// decide; the cap keeps today's budget of 16 × run.trials.
	trials := base.Run.Trials
	maxTrials := f.maxTrials
	if maxTrials == 0 {
		maxTrials = 16 * trials
	}
	if !cmd.Flags().Changed("trials") {
		trials = min(trials, defaultSolveBatch)
	}
	if maxTrials < trials {
		return usagef("--max-trials %d is below --trials %d", maxTrials, trials)
	}
	cfg := sweep.SolveConfig{Param: param, Criterion: f.target, Level: level, AtMost: atMost, Largest: f.largest,
		Confidence: f.confidence, Trials: trials, MaxTrials: maxTrials, Precision: f.precision, Independent: f.independent, Workers: base.Run.Workers, Load: load,
		Version: programVersion()}
	var bar *progress
	if !f.quiet && progressOn() {
		var cur string
		cfg.Progress = func(value string, first, done, batch int) {
			id := fmt.Sprintf("%s/%d", value, first)
			if id != cur {
				bar.Done()
				cur = id
				bar = newProgress(f.quiet, int64(batch), fmt.Sprintf("%s: trials %d–%d", value, first, first+batch-1))
			}
			bar.Set(int64(done))
		}
		cfg.Evaluated = func(e sweep.Evaluation) {
			bar.Done()
			bar, cur = nil, ""
			fmt.Fprintf(os.Stderr, "solve: %s = %s: P = %.4f [%.4f, %.4f] after %d trials: %s\n",
				param.Key, e.Value, e.Probability, e.CILow, e.CIHigh, e.Trials, e.Verdict)
		}
	}
	sol, err := sweep.Solve(cmd.Context(), cfg)
	bar.Done()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if f.format == "json" {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // ">=" stays ">=", not "\u003e="
		enc.SetIndent("", "  ")
		if err := enc.Encode(sol); err != nil {
			return err
		}
	} else if err := sol.WriteText(&buf); err != nil {
		return err
	}
	if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
		return err
	}
	if !sol.Found {
		return fmt.Errorf("no value of %s in %s reaches the level: %s", param.Key, param.Spec, sol.Note)
	}
	return nil
}

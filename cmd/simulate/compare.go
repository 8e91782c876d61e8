package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"simulate/compare"
	"simulate/scenario"
	"simulate/sim"
	"simulate/sweep"
)

type compareFlagValues struct {
	trials      int
	seed        uint64
	workers     int
	sets        []string
	setsA       []string
	setsB       []string
	independent bool
	confidence  float64
	format      string
	quiet       bool
	force       bool
}

func newCompareCmd() *cobra.Command {
	var f compareFlagValues
	cmd := &cobra.Command{
		Use:   "compare A B",
		Short: "Set two scenarios (or two run results) side by side, with the difference and its interval",
		Long: `compare reports, for every target the probability it is met and for every
tracked share its mean, in A and in B, and the difference A − B with its
interval (--confidence, default 95%).

A and B are scenarios (files or embedded names; the same one twice with
different --set-a / --set-b) or JSON results of 'simulate run --format json'.

Two scenarios run the same trials (--trials, default A's run.trials) with
the same seed (--seed, default A's run.seed): common random numbers, so
trial i of A and of B share every draw the two do not change. The
differences are then paired per trial — Newcombe's interval for paired
proportions for targets, the normal interval of the mean paired difference
for shares — and far narrower than those of independent runs. --independent
runs B with its own seed (derived from the seed, see docs/analysis.md) and
gives independent two-sample intervals (Newcombe's hybrid score interval,
Welch's interval for means). Run results hold no per-trial outcomes and are
always compared as independent samples.

Targets and shares are matched by name; those only one side has are listed.`,
		Example: `  simulate compare cpc20 cpc20 --set-a 'stages[name=election].elect.surplus=0.15' \
      --set-b 'stages[name=election].elect.surplus=0.25' --trials 2000
  simulate compare rules2017.yaml rules2022.yaml --format html > compare.html
  simulate compare a.json b.json --format json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("compare takes two scenarios or run files, A and B; got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.trials, "trials", "n", 0, "trials of both scenarios (default: A's run.trials)")
	fl.Uint64Var(&f.seed, "seed", 0, "the seed of both scenarios (default: A's run.seed)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "parallel workers; never changes results (default: one per CPU)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key in both A and B (repeatable)")
	fl.StringArrayVar(&f.setsA, "set-a", nil, "override a scenario key in A only (repeatable)")
	fl.StringArrayVar(&f.setsB, "set-b", nil, "override a scenario key in B only (repeatable)")
	fl.BoolVar(&f.independent, "independent", false, "run B with its own seed derived from the seed, not A's: independent samples instead of common random numbers")
	fl.Float64Var(&f.confidence, "confidence", 0.95, "confidence level of the intervals")
	fl.StringVarP(&f.format, "format", "f", "text", "text, json or html")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar")
	fl.BoolVar(&f.force, "force", false, "simulate even when the exact check proves a scenario's targets unreachable")
	return cmd
}

func runCompare(cmd *cobra.Command, args []string, f *compareFlagValues) error {
	if err := checkFormat(f.format, "text", "json", "html"); err != nil {
		return err
	}
	if !(f.confidence > 0 && f.confidence < 1) {
		return usagef("--confidence must be strictly between 0 and 1, got %v", f.confidence)
	}
	resA, errA := readRunResult(args[0])
	resB, errB := readRunResult(args[1])
	if errA != nil {
		return errA
	}
	if errB != nil {
		return errB
	}
	var c *compare.Comparison
	if resA != nil || resB != nil {
		if len(f.setsA)+len(f.setsB)+len(f.sets) > 0 && resA != nil && resB != nil {
			return usagef("--set, --set-a and --set-b apply to scenarios, not to run results")
		}
		var err error
		if c, err = compareResults(cmd, args, f, resA, resB); err != nil {
			return err
		}
	} else {
		var err error
		if c, err = compareScenarios(cmd, args, f); err != nil {
			return err
		}
	}
	c.Version = programVersion()
	var buf bytes.Buffer
	var err error
	switch f.format {
	case "json":
		err = c.WriteJSON(&buf)
	case "html":
		err = c.WriteHTML(&buf)
	default:
		err = c.WriteText(&buf)
	}
	if err != nil {
		return err
	}
	_, err = cmd.OutOrStdout().Write(buf.Bytes())
	return err
}

// readRunResult reads path as the JSON result of 'simulate run'; it returns
// nil (and no error) when path is not such a file, so that it is taken for a
// scenario.
func readRunResult(path string) (*sim.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return nil, nil
	}
	_, hasTargets := probe["targets"]
	_, hasHash := probe["scenario_sha256"]
	_, hasTrials := probe["trials"]
	if !hasTargets || !hasHash || !hasTrials {
		return nil, nil
	}
	var r sim.Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, usagef("%s: not a run result: %v", path, err)
	}
	if r.Trials < 1 {
		return nil, usagef("%s: a run result with %d trials", path, r.Trials)
	}
	for _, t := range r.Targets {
		if t.Met < 0 || t.Met > int64(r.Trials) {
			return nil, usagef("%s: target %s met %d times in %d trials", path, t.Name, t.Met, r.Trials)
		}
	}
	return &r, nil
}

// compareResults compares two run results, or a run result and a scenario
// (simulated with its own settings), as independent samples.
func compareResults(cmd *cobra.Command, args []string, f *compareFlagValues, ra, rb *sim.Result) (*compare.Comparison, error) {
	a, b := compare.Side{Source: args[0]}, compare.Side{Source: args[1]}
	simulate := func(i int, sets []string) (*sim.Result, error) {
		load, err := scenarioLoader(cmd, args[i:i+1], append(slices.Clone(f.sets), sets...))
		if err != nil {
			return nil, err
		}
		sc, err := load(nil)
		if err != nil {
			return nil, err
		}
		m, err := sim.Compile(sc)
		if err != nil {
			return nil, err
		}
		return sim.Run(cmd.Context(), m, sim.Options{Trials: sc.Run.Trials, Seed: sc.Run.Seed, Workers: sc.Run.Workers})
	}
	var err error
	if ra == nil {
		a.Sets = f.setsA
		if ra, err = simulate(0, f.setsA); err != nil {
			return nil, err
		}
	}
	if rb == nil {
		b.Sets = f.setsB
		if rb, err = simulate(1, f.setsB); err != nil {
			return nil, err
		}
	}
	return compare.FromResults(ra, rb, a, b, f.confidence), nil
}

// compareScenarios simulates both scenarios on the same trial numbers and
// compares them from their paired tally.
func compareScenarios(cmd *cobra.Command, args []string, f *compareFlagValues) (*compare.Comparison, error) {
	loadSide := func(i int, sets []string) (*scenario.Scenario, error) {
		load, err := scenarioLoader(cmd, args[i:i+1], append(slices.Clone(f.sets), sets...))
		if err != nil {
			return nil, err
		}
		return load(nil)
	}
	sa, err := loadSide(0, f.setsA)
	if err != nil {
		return nil, fmt.Errorf("scenario A: %w", err)
	}
	sb, err := loadSide(1, f.setsB)
	if err != nil {
		return nil, fmt.Errorf("scenario B: %w", err)
	}
	if !f.force {
		for _, sc := range []*scenario.Scenario{sa, sb} {
			if err := refuseInfeasible(cmd, sc); err != nil {
				return nil, err
			}
		}
	}
	ma, err := sim.Compile(sa)
	if err != nil {
		return nil, fmt.Errorf("scenario A: %w", err)
	}
	mb, err := sim.Compile(sb)
	if err != nil {
		return nil, fmt.Errorf("scenario B: %w", err)
	}
	opts := sim.PairedOptions{Trials: sa.Run.Trials, SeedA: sa.Run.Seed, SeedB: sa.Run.Seed, Workers: sa.Run.Workers}
	if f.independent {
		// B's own seed: PointSeed of the seed and compare.side=B.
		opts.SeedB = sweep.PointSeed(opts.SeedA, []string{"compare.side"}, []string{"B"})
	}
	if !f.quiet && term.IsTerminal(int(os.Stderr.Fd())) {
		bar := progressbar.NewOptions(opts.Trials,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription("trial pairs"),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		opts.Progress = func(done int) { _ = bar.Set(done) }
		defer func() { _ = bar.Finish() }()
	}
	t, err := sim.RunPaired(cmd.Context(), ma, mb, opts)
	if err != nil {
		return nil, err
	}
	if len(t.Targets)+len(t.Shares) == 0 {
		return nil, errors.New("the two scenarios have no target or share of the same name: nothing to compare")
	}
	a := compare.Side{Source: scenarioArg(args[0:1]), Scenario: sa.Name, Hash: sa.Hash(), Sets: f.setsA}
	b := compare.Side{Source: scenarioArg(args[1:2]), Scenario: sb.Name, Hash: sb.Hash(), Sets: f.setsB}
	c := compare.FromPaired(t, a, b, f.confidence)
	if sb.Run.Trials != sa.Run.Trials || sb.Run.Seed != sa.Run.Seed {
		c.Notes = append(c.Notes, fmt.Sprintf("B's own run settings (%d trials, seed %d) are not used: both run A's trials and seed", sb.Run.Trials, sb.Run.Seed))
	}
	c.Notes = append(c.Notes, missing(ma.Scenario, mb.Scenario)...)
	return c, nil
}

// missing lists the targets and shares only one of the scenarios has.
func missing(a, b *scenario.Scenario) []string {
	var out []string
	only := func(side string, x, y *scenario.Scenario) {
		var names []string
		for _, t := range x.Targets {
			if !slices.ContainsFunc(y.Targets, func(u scenario.Target) bool { return u.Name == t.Name }) {
				names = append(names, "target "+t.Name)
			}
		}
		for _, s := range x.Shares {
			if !slices.ContainsFunc(y.Shares, func(u scenario.Share) bool { return u.Name == s.Name }) {
				names = append(names, "share "+s.Name)
			}
		}
		if len(names) > 0 {
			out = append(out, fmt.Sprintf("only in %s, not compared: %s", side, strings.Join(names, ", ")))
		}
	}
	only("A", a, b)
	only("B", b, a)
	return out
}

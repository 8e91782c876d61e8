package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

type runFlagValues struct {
	trials  int
	seed    uint64
	workers int
	sets    []string
	format  string
	quiet   bool
	byUnit  bool
	wide    bool
	shard   string
	force   bool
	cpuProf string
	memProf string

	trialsOut string // --trials-out: one row per trial
	tidy      bool   // --tidy: long CSV
	// precision and maxTrials: sequential stopping (see docs/analysis.md)
	precision float64
	maxTrials int
}

func newRunCmd() *cobra.Command {
	var f runFlagValues
	cmd := &cobra.Command{
		Use:   "run [FILE|NAME]",
		Short: "Run the Monte Carlo simulation of a scenario and summarise reachability",
		Long: `run simulates the scenario's whole pipeline --trials times and reports, for every
target, the probability it is met with a 95% Wilson interval; for every tracked
share its mean and 5th/50th/95th percentiles against the published value; the
stage funnel; and which stage first lost the targets that were missed.

FILE is a scenario file or the name of an embedded scenario (see
'simulate scenarios'); without it the embedded default (cpc20) runs.
Results are identical for any --workers: trial i always draws from the random
streams derived from (seed, i), one per stage of every unit.

--precision EPS runs --trials trials, then further batches until every
target's 95% interval has a half-width below EPS, or --max-trials (default
16 × --trials) trials have run; the report gives the trials run, and the same
command gives the same bytes. The schedule is in docs/analysis.md.

Settings, lowest precedence first: the scenario's run block, the config
file, the environment (SIMULATE_TRIALS, SIMULATE_SEED, SIMULATE_WORKERS,
SIMULATE_FORMAT), flags, then --set (see 'simulate config').`,
		Example: `  simulate run
  simulate run --trials 10000 --seed 42 --format json > result.json
  simulate run teaching --set 'stages[name=election].elect.surplus=0.3' --by-unit
  simulate run my.yaml --format csv --quiet
  simulate run teaching --trials 20000 --trials-out trials.parquet   # one row per trial
  simulate run --trials 100000 --shard 3/8 > part3.json   # then: simulate merge part*.json
  simulate run --trials 500 --precision 0.01              # until every interval is ±0.01`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, "trials", "seed", "workers", "format")
			if err != nil {
				return err
			}
			if f.format, err = cfg.str("format", report.Formats...); err != nil {
				return err
			}
			ovs, err := cfg.overrides(f.sets)
			if err != nil {
				return err
			}
			sc, err := loadScenario(args, scenario.Options{Overrides: ovs})
			if err != nil {
				return err
			}
			m, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			if !f.force {
				if err := refuseInfeasible(cmd, sc); err != nil {
					return err
				}
			}
			opts := sim.Options{Trials: sc.Run.Trials, Seed: sc.Run.Seed, Workers: sc.Run.Workers}
			rule, err := sequentialRule(f.precision, f.maxTrials, opts.Trials, (*sim.Tally).TargetWidth)
			if err != nil {
				return err
			}
			if rule != nil && f.shard != "" {
				return usagef("--precision decides the number of trials as it goes; a --shard needs it fixed")
			}
			barTotal := opts.Trials
			if rule != nil {
				barTotal = rule.MaxTrials
			}
			if bar := newProgress(f.quiet, int64(barTotal), "trials"); bar != nil {
				opts.Progress = func(done int) { bar.Set(int64(done)) }
				defer bar.Done()
			}
			if f.tidy && f.format != report.FormatCSV {
				return usagef("--tidy applies to --format csv")
			}
			finishTrials, err := trialsOut(f.trialsOut, args, m, &opts)
			if err != nil {
				return err
			}
			stopProfiles, err := startProfiles(f.cpuProf, f.memProf)
			if err != nil {
				return finishTrials(err)
			}
			if f.shard != "" {
				err := runShard(cmd, m, opts, f.shard)
				return finishTrials(errors.Join(err, stopProfiles()))
			}
			var res *sim.Result
			if rule != nil {
				var t *sim.Tally
				if t, err = sim.RunSequential(cmd.Context(), m, opts, *rule); err == nil {
					res = t.Result()
					if w := t.TargetWidth(); w >= rule.Precision {
						fmt.Fprintf(cmd.ErrOrStderr(), "run: precision ±%v not reached: stopped at --max-trials %d with a half-width of %.4f\n",
							rule.Precision, t.Trials, w)
					}
				}
			} else {
				res, err = sim.Run(cmd.Context(), m, opts)
			}
			if err := finishTrials(errors.Join(err, stopProfiles())); err != nil {
				return err
			}
			res.Version = programVersion()
			var buf bytes.Buffer
			if err := report.Write(&buf, f.format, sc, res, report.Options{ByUnit: f.byUnit, Width: outputWidth(cmd, f.wide), Tidy: f.tidy, Lang: langOf(cmd)}); err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.trials, "trials", "n", 0, "number of trials (default: the scenario's run.trials)")
	fl.Uint64Var(&f.seed, "seed", 0, "random seed (default: the scenario's run.seed)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "parallel workers; never changes results (default: one per CPU)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key, e.g. --set run.trials=500 --set 'units[name=Tibet].seats=31' (repeatable)")
	fl.StringVarP(&f.format, "format", "f", report.FormatText, fmt.Sprintf("output format: %s", "text, json or csv (the targets table)"))
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar")
	fl.BoolVar(&f.byUnit, "by-unit", false, "add the funnel for every unit to the text summary")
	fl.BoolVar(&f.wide, "wide", false, wideUsage)
	fl.BoolVar(&f.force, "force", false, "simulate even when the exact check (simulate check) proves the targets unreachable")
	fl.StringVar(&f.cpuProf, "cpuprofile", "", "write a CPU profile of the simulation to this file (for go tool pprof)")
	fl.StringVar(&f.memProf, "memprofile", "", "write a heap profile after the simulation to this file (for go tool pprof)")
	fl.StringVar(&f.trialsOut, "trials-out", "", "also write one row per trial (targets met, shares, seats filled, …) to this .csv, .jsonl or .parquet file")
	fl.BoolVar(&f.tidy, "tidy", false, "with --format csv: one row per statistic (kind,name,statistic,value) instead of one per target")
	fl.StringVar(&f.shard, "shard", "", "run only shard k of n (1-based, e.g. 2/8) and print its partial result as JSON for 'simulate merge'")
	addSequentialFlags(fl, &f.precision, &f.maxTrials)
	return cmd
}

// addSequentialFlags defines --precision and --max-trials (run, sweep).
func addSequentialFlags(fl *pflag.FlagSet, precision *float64, maxTrials *int) {
	fl.Float64Var(precision, "precision", 0, "add trials in batches until every interval's half-width is below this (0: a fixed --trials)")
	fl.IntVar(maxTrials, "max-trials", 0, "with --precision: stop at this many trials (default 16 × --trials)")
}

// sequentialRule returns the stopping rule of --precision and --max-trials,
// nil without --precision.
func sequentialRule(precision float64, maxTrials, trials int, width func(*sim.Tally) float64) (*sim.Sequential, error) {
	if precision == 0 {
		if maxTrials != 0 {
			return nil, usagef("--max-trials caps --precision; give --precision too (or set --trials)")
		}
		return nil, nil
	}
	if !(precision > 0 && precision < 0.5) {
		return nil, usagef("--precision must be a half-width between 0 and 0.5, got %v", precision)
	}
	if maxTrials == 0 {
		maxTrials = min(16*trials, scenario.MaxTrials)
	}
	if maxTrials < trials || maxTrials > scenario.MaxTrials {
		return nil, usagef("--max-trials %d must lie between --trials %d and %d", maxTrials, trials, scenario.MaxTrials)
	}
	return &sim.Sequential{Precision: precision, MaxTrials: maxTrials, Width: width}, nil
}

// runShard runs one shard of the run and writes its partial result.
func runShard(cmd *cobra.Command, m *sim.Model, opts sim.Options, spec string) error {
	var k, n int
	if _, err := fmt.Sscanf(spec, "%d/%d", &k, &n); err != nil || fmt.Sprintf("%d/%d", k, n) != spec {
		return usagef("--shard %q: expected k/n, e.g. 2/8", spec)
	}
	if _, _, err := sim.ShardRange(k, n, opts.Trials); err != nil {
		return usagef("--shard: %v", err)
	}
	p, err := sim.RunShard(cmd.Context(), m, opts, k, n)
	if err != nil {
		return err
	}
	p.Version = programVersion()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return err
	}
	_, err = cmd.OutOrStdout().Write(buf.Bytes())
	return err
}

// startProfiles starts a CPU profile and returns the function that stops it
// and writes the heap profile; empty paths profile nothing.
func startProfiles(cpuPath, memPath string) (stop func() error, err error) {
	var cpu *os.File
	if cpuPath != "" {
		if cpu, err = os.Create(cpuPath); err != nil {
			return nil, usagef("--cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, err
		}
	}
	return func() error {
		var errs []error
		if cpu != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpu.Close())
		}
		if memPath != "" {
			mem, err := os.Create(memPath)
			if err != nil {
				return errors.Join(append(errs, usagef("--memprofile: %v", err))...)
			}
			runtime.GC()
			errs = append(errs, pprof.WriteHeapProfile(mem), mem.Close())
		}
		return errors.Join(errs...)
	}, nil
}

package main

import (
	"bytes"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

func newTraceCmd() *cobra.Command {
	var (
		trial  uint64
		seed   uint64
		unit   string
		format string
		sets   []string
		find   string
		trials int
		quiet  bool
		wide   bool
	)
	cmd := &cobra.Command{
		Use:   "trace [FILE|NAME]",
		Short: "Narrate one simulated trial stage by stage (English or Chinese)",
		Long: `trace simulates one trial of the scenario and narrates it stage by stage for one
electoral unit: every transition of the unit's state machine, the size and trait
make-up of the list entering and leaving each stage, who was vetoed or dropped
and why (political, integrity, identity, objection, not selected, defeated, not
seated), the congress, every ballot round with votes and thresholds, further
rounds (另行选举), and whether the trial met each target.

--find looks for a trial worth narrating: the first, from --trial on, in which
a target was missed (missed:TARGET) or met (met:TARGET), a congress failed its
quorum (failed_quorum), or a ballot went to a further round (further_round);
with --unit, in that unit. It searches up to --trials trials (default: the
scenario's run.trials) and narrates the unit where it happened.

Trial N of trace is exactly trial N of 'simulate run' with the same seed and
scenario (trials are numbered from 0), so a surprising run can be replayed.
--format json writes the same trial as an event log that a program can replay.
Without --unit the first unit is narrated; --unit all (or '*', when a unit is called all) narrates every unit.`,
		Example: `  simulate trace teaching
  simulate trace teaching --lang zh --trial 12
  simulate trace cpc20 --unit Guangxi --seed 42
  simulate trace teaching --format json > trial0.json
  simulate trace teaching --find missed:women
  simulate trace cpc20 --find missed:women_above_members --unit Tibet --trials 500`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, "trials", "seed", "workers", "format")
			if err != nil {
				return err
			}
			if format, err = cfg.str("format", report.FormatText, report.FormatJSON); err != nil {
				return err
			}
			ovs, err := cfg.overrides(sets)
			if err != nil {
				return err
			}
			sc, err := loadScenario(args, scenario.Options{Overrides: ovs})
			if err != nil {
				return err
			}
			if find == "" && cmd.Flags().Changed("trials") {
				return usagef("--trials bounds a search: give it with --find")
			}
			units, err := report.TraceUnits(sc, unit)
			if err != nil {
				var names []string
				for _, u := range sc.Units {
					names = append(names, u.Name)
				}
				if errors.Is(err, report.ErrNoUnit) {
					if near := nearestName(unit, names); near != "" {
						return usagef("%v; did you mean %q?", err, near)
					}
					return usagef("%v (units: %s)", err, clipList(names, 12))
				}
				return err
			}
			m, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			if cmd.Context().Err() != nil {
				return errInterrupted
			}
			if find != "" {
				if trial, units, err = findTrial(cmd, sc, m, find, trial, units, quiet); err != nil {
					return err
				}
			}
			var events []sim.Event
			if err := sim.Trace(m, sc.Run.Seed, trial, func(e sim.Event) { events = append(events, e) }); err != nil {
				return err
			}
			if cmd.Context().Err() != nil {
				return errInterrupted
			}
			log, err := report.NewTraceLog(sc, events, sc.Run.Seed, trial, programVersion(), units)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if format == report.FormatJSON {
				err = report.TraceJSON(&buf, log)
			} else {
				err = report.TraceText(&buf, sc, log, string(langOf(cmd)))
			}
			if err != nil {
				return err
			}
			if format != report.FormatJSON {
				_, err = cmd.OutOrStdout().Write([]byte(report.FitText(buf.String(), outputWidth(cmd, wide))))
				return err
			}
			_, err = cmd.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&trial, "trial", 0, "trial number, from 0: the same trial as in 'simulate run' with the same seed")
	fl.Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's run.seed)")
	fl.StringVarP(&unit, "unit", "u", "", "unit to narrate, by name or Chinese name, or 'all' (default: the first unit)")
	fl.StringVarP(&format, "format", "f", report.FormatText, "output format: text or json (an event log)")
	fl.StringArrayVar(&sets, "set", nil, "override a scenario key (repeatable)")
	fl.StringVar(&find, "find", "", "narrate the first trial from --trial on where missed:TARGET, met:TARGET, failed_quorum or further_round happened")
	fl.IntVarP(&trials, "trials", "n", 0, "with --find, how many trials to search (default: the scenario's run.trials)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "with --find, no progress bar and no note of the trial found")
	fl.BoolVar(&wide, "wide", false, wideUsage)
	return cmd
}

// clipList joins at most n names, saying how many more there are.
func clipList(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + ", …"
}

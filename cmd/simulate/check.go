package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"simulate/feasible"
	"simulate/internal/i18n"
	"simulate/report"
	"simulate/scenario"
)

// unreachableError reports targets that cannot be met at all; main maps it
// to exit status 3.
type unreachableError struct{ error }

type checkFlagValues struct {
	sets      []string
	format    string
	byUnit    bool
	maxRelax  []string
	nodeLimit int
	noRelax   bool
	timeLimit time.Duration
	wide      bool
}

func newCheckCmd() *cobra.Command {
	var f checkFlagValues
	cmd := &cobra.Command{
		Use:   "check [FILE|NAME]",
		Short: "Decide exactly whether the targets can be met at all, what the lists must hold, and how to relax them",
		Long: `check decides, before any randomness, whether the scenario's seat quotas and
structure ratios can be met at all — in every unit and nationally, all targets
at once, with exact integer rounding — and proves the answer.

It also works backwards from the election (the inverse funnel): the least
number of people of each kind every unit's ballot, reserve, preliminary and
nominee lists must hold so that the elected meet the targets whatever the voters
do (they defeat exactly the surplus names, choosing those least favourable to
the targets).

When the targets cannot all be met, it names minimal sets of conflicting
constraints (drop any one and the rest can be met) and the smallest relaxation
of each target that makes the whole scenario feasible, within --max-relax.

The verdict is FEASIBLE when the targets can be met as planned (every seat
filled, every central candidate elected, every stage quota met); NOT AS
PLANNED (conditional in JSON) when only outcomes the plan does not count on
can meet them — the vote defeating central candidates, a selection missing
a best-effort quota, seats left vacant — which it lists; INFEASIBLE when no
trial of the simulation can meet them. 'simulate run' refuses only the last.

Exit status: 0 feasible, 3 infeasible or not as planned, 2 bad input, 1
undecided or failure.`,
		Example: `  simulate check                         # the embedded default scenario (cpc20)
  simulate check teaching --by-unit      # every unit's least ballot and funnel
  simulate check my.yaml --format json
  simulate check cpc20 --set 'targets[name=minorities]={name: women_max, when: {gender: [female]}, max_share: 0.2}'
  simulate check my.yaml --max-relax 0.05 --max-relax women=0.02`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, "format")
			if err != nil {
				return err
			}
			start := time.Now()
			if f.format, err = cfg.str("format", "text", "json"); err != nil {
				return err
			}
			ovs, err := setOverrides(f.sets)
			if err != nil {
				return err
			}
			sc, err := loadScenario(args, scenario.Options{Overrides: ovs})
			if err != nil {
				return err
			}
			opts, err := checkOptions(sc, f)
			if err != nil {
				return err
			}
			opts.Start = start // --time-limit counts from here: loading included
			rep, err := feasible.CheckContext(cmd.Context(), sc, opts)
			if err != nil {
				return interrupted(cmd, err)
			}
			var buf bytes.Buffer
			if f.format == "json" {
				err = feasible.WriteJSON(&buf, rep)
			} else {
				err = feasible.WriteText(&buf, rep, feasible.TextOptions{ByUnit: f.byUnit, Lang: langOf(cmd), Names: i18n.NewNames(sc, langOf(cmd))})
				// The analysis is wrapped at 100 columns; fit the terminal.
				text := report.Rewrap(buf.String(), 100, outputWidth(cmd, f.wide))
				buf.Reset()
				buf.WriteString(text)
			}
			if err != nil {
				return err
			}
			if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
				return err
			}
			return verdictError(rep)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key before checking (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	fl.BoolVar(&f.byUnit, "by-unit", false, "add every unit's needs, least worst-case ballot and inverse funnel, and every arithmetic check")
	fl.StringArrayVar(&f.maxRelax, "max-relax", nil, "bound on proposed relaxations: a share (0.05 = 5 points; count bounds move by that share of their seats), or NAME=V for one target in its own unit (repeatable)")
	fl.IntVar(&f.nodeLimit, "node-limit", 0, "branch-and-bound nodes per integer problem (default 20000)")
	fl.BoolVar(&f.wide, "wide", false, wideUsage)
	fl.BoolVar(&f.noRelax, "no-relax", false, "report conflicts without searching for relaxations")
	fl.DurationVar(&f.timeLimit, "time-limit", 2*time.Minute, "give up (verdict unknown, exit 1) on questions not decided in this time")
	return cmd
}

// checkOptions turns the flags into feasible.Options.
func checkOptions(sc *scenario.Scenario, f checkFlagValues) (feasible.Options, error) {
	opts := feasible.Options{Version: programVersion(), NodeLimit: f.nodeLimit, NoRelax: f.noRelax, TimeLimit: f.timeLimit,
		MaxRelaxFor: map[string]float64{}}
	if f.nodeLimit < 0 {
		return opts, usagef("--node-limit must be at least 0, got %d", f.nodeLimit)
	}
	if f.timeLimit <= 0 {
		return opts, usagef("--time-limit must be positive, got %v", f.timeLimit)
	}
	names := map[string]bool{}
	for _, t := range sc.Targets {
		names[t.Name] = true
	}
	for _, s := range f.maxRelax {
		name, val, named := strings.Cut(s, "=")
		if !named {
			val = s
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || v < 0 || v != v {
			return opts, usagef("--max-relax %q: want a number ≥ 0 or NAME=NUMBER", s)
		}
		if !named {
			opts.MaxRelax = v
			continue
		}
		name = strings.TrimSpace(name)
		if !names[name] {
			return opts, usagef("--max-relax %q: the scenario has no target %q", s, name)
		}
		opts.MaxRelaxFor[name] = v
	}
	return opts, nil
}

// verdictError maps a report's verdict to the command's error (and so its
// exit status).
func verdictError(rep *feasible.Report) error {
	switch rep.Verdict {
	case "infeasible":
		return unreachableError{fmt.Errorf("%s: the targets cannot all be met (%d conflict(s))", rep.Scenario, len(rep.Conflicts))}
	case "conditional":
		return unreachableError{fmt.Errorf("%s: the targets cannot all be met as planned (%d conflict(s)); some trial can meet them only through the outcomes listed", rep.Scenario, len(rep.Conflicts))}
	case "unknown":
		return fmt.Errorf("%s: the feasibility search hit a limit before deciding (see the notes; raise --node-limit or --time-limit)", rep.Scenario)
	}
	return nil
}

// refuseInfeasible runs the exact check before a simulation and refuses a
// scenario whose targets cannot be met at all, with the check's explanation
// on stderr (stdout stays clean for JSON and CSV).
func refuseInfeasible(cmd *cobra.Command, sc *scenario.Scenario) error {
	// A bounded check of the verdict alone; when it refuses, the conflicts
	// say why ('simulate check' adds the repairs).
	rep, err := feasible.PreCheck(cmd.Context(), sc, programVersion(), 5*time.Second, feasible.Options{TimeLimit: 20 * time.Second, NoRelax: true})
	if err != nil {
		return interrupted(cmd, err)
	}
	if rep == nil {
		return nil
	}
	w := cmd.ErrOrStderr()
	L := langOf(cmd)
	fmt.Fprint(w, feasible.Summary(rep, L))
	fmt.Fprintln(w, L.T("\nRun 'simulate check' for the whole analysis and the smallest repairs, or add --force to simulate anyway."))
	return unreachableError{fmt.Errorf("refusing to simulate %s: its targets cannot all be met", sc.Name)}
}

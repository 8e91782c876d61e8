package main

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"simulate/internal/output"
	"simulate/report"
	"simulate/sim"
)

func newReportCmd() *cobra.Command {
	var (
		trials  int
		seed    uint64
		workers int
		sets    []string
		out     string
		quiet   bool
	)
	cmd := &cobra.Command{
		Use:   "report [FILE|NAME] --html OUT.html",
		Short: "Write a self-contained HTML report of a run: scenario, diagrams, charts, tables",
		Long: `report runs the scenario like 'simulate run' and writes one self-contained HTML
file: the scenario in words, the unit and candidate state machines as SVG, the
probability of each target with its interval, the stage funnel, the achieved
shares against published values, and a per-unit table. Every style, script and
picture is inline: the file opens from disk without a network, reads in full
with JavaScript disabled (charts are inline SVG), and its tables sort by a click
when JavaScript is on. --html - writes the page to stdout.`,
		Example: `  simulate report teaching --html teaching.html
  simulate report cpc20 --trials 2000 --seed 42 --html cpc20.html
  simulate report my.yaml --set 'stages[name=election].elect.surplus=0.3' --html out.html`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("give the output file with --html OUT.html (or --html - for stdout)")
			}
			if err := notInput(out, args); err != nil {
				return err
			}
			if err := checkExtension("--html", out, "html"); err != nil {
				return err
			}
			opts, err := runOptions(cmd, sets)
			if err != nil {
				return err
			}
			sc, err := loadScenario(args, opts)
			if err != nil {
				return err
			}
			m, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			simOpts := sim.Options{Trials: sc.Run.Trials, Seed: sc.Run.Seed, Workers: sc.Run.Workers}
			bar := newProgress(quiet, int64(simOpts.Trials), "trials")
			if bar != nil {
				simOpts.Progress = func(done int) { bar.Set(int64(done)) }
			}
			res, err := sim.Run(cmd.Context(), m, simOpts)
			bar.Done()
			if err != nil {
				return interrupted(cmd, err)
			}
			res.Version = programVersion()
			name := sc.Name
			if len(args) > 0 {
				name = args[0]
			}
			command := fmt.Sprintf("simulate report %s --trials %d --seed %d", shellQuote(name), sc.Run.Trials, sc.Run.Seed)
			for _, s := range sets {
				command += " --set " + shellQuote(s)
			}
			var buf bytes.Buffer
			if err := report.HTML(&buf, sc, res, report.HTMLOptions{Command: command + " --html out.html", Lang: langOf(cmd)}); err != nil {
				return err
			}
			if out == "-" {
				_, err = cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			if err := output.WriteFile(out, buf.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d KB); open it in a browser\n", out, (buf.Len()+1023)/1024)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "html", "", "write the HTML report to this file (- for stdout)")
	fl.IntVarP(&trials, "trials", "n", 0, "number of trials (default: the scenario's run.trials)")
	fl.Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's run.seed)")
	fl.IntVarP(&workers, "workers", "w", 0, "parallel workers; never changes results (default: one per CPU)")
	fl.StringArrayVar(&sets, "set", nil, "override a scenario key (repeatable)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

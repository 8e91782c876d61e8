package main

import (
	"io"

	"github.com/spf13/cobra"

	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

func newGraphCmd() *cobra.Command {
	var machine, format string
	var sets []string
	cmd := &cobra.Command{
		Use:   "graph [FILE|NAME]",
		Short: "Print a state machine of the scenario as a DOT, Mermaid or SVG diagram",
		Long: `graph prints one of the two state machines built from the scenario's stage list:
the electoral unit's pipeline (--machine unit) or a candidate's lifecycle
(--machine candidate), in Graphviz DOT, Mermaid stateDiagram syntax, or as an
SVG picture drawn by simulate itself (no Graphviz needed). With --format svg,
--lang zh adds each state's Chinese name under it.`,
		Example: `  simulate graph teaching --machine candidate --format svg > candidate.svg
  simulate graph --machine unit --format dot | dot -Tsvg > unit.svg
  simulate graph teaching --machine candidate --format mermaid`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "dot", "mermaid", "svg"); err != nil {
				return err
			}
			if err := checkFormat(machine, "unit", "candidate"); err != nil {
				return usagef("unknown --machine %q%s (want unit or candidate)", machine, didYouMean(machine, []string{"unit", "candidate"}))
			}
			ovs, err := setOverrides(sets)
			if err != nil {
				return err
			}
			sc, err := loadScenario(args, scenario.Options{Overrides: ovs})
			if err != nil {
				return err
			}
			// Draw the machines of the compiled model: the very definition
			// (and compiled table) a run of this scenario fires its
			// triggers on.
			model, err := sim.Compile(sc)
			if err != nil {
				return err
			}
			wf := model.Workflow
			m := wf.Unit
			if machine == "candidate" {
				m = wf.Candidate
			}
			var out string
			switch format {
			case "mermaid":
				out = m.Mermaid()
			case "svg":
				opts := report.DiagramOptions{}
				if langOf(cmd).Zh() {
					opts.Sublabel = report.ChineseStateNames(sc)
				}
				out = report.MachineSVG(m, opts)
			default:
				out = m.DOT()
			}
			_, err = io.WriteString(cmd.OutOrStdout(), out)
			return err
		},
	}
	cmd.Flags().StringVarP(&machine, "machine", "m", "unit", "which machine: unit or candidate")
	cmd.Flags().StringVarP(&format, "format", "f", "dot", "diagram format: dot, mermaid or svg")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a scenario key (repeatable)")
	return cmd
}

package main

import (
	"io"

	"github.com/spf13/cobra"

	"simulate/scenario"
	"simulate/workflow"
)

func newGraphCmd() *cobra.Command {
	var machine, format string
	var sets []string
	cmd := &cobra.Command{
		Use:   "graph [FILE|NAME]",
		Short: "Print a state machine of the scenario as a DOT or Mermaid diagram",
		Long: `graph prints one of the two state machines built from the scenario's stage list:
the electoral unit's pipeline (--machine unit) or a candidate's lifecycle
(--machine candidate), in Graphviz DOT or Mermaid stateDiagram syntax.`,
		Example: `  simulate graph --machine unit --format dot | dot -Tsvg > unit.svg
  simulate graph teaching --machine candidate --format mermaid`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "dot", "mermaid"); err != nil {
				return err
			}
			if err := checkFormat(machine, "unit", "candidate"); err != nil {
				return usagef("unknown --machine %q (want unit or candidate)", machine)
			}
			sc, err := loadScenario(args, scenario.Options{Sets: sets})
			if err != nil {
				return err
			}
			wf, err := workflow.Build(sc)
			if err != nil {
				return err
			}
			m := wf.Unit
			if machine == "candidate" {
				m = wf.Candidate
			}
			out := m.DOT()
			if format == "mermaid" {
				out = m.Mermaid()
			}
			_, err = io.WriteString(cmd.OutOrStdout(), out)
			return err
		},
	}
	cmd.Flags().StringVarP(&machine, "machine", "m", "unit", "which machine: unit or candidate")
	cmd.Flags().StringVarP(&format, "format", "f", "dot", "diagram format: dot or mermaid")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a scenario key (repeatable)")
	return cmd
}

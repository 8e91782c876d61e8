package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"simulate/scenario"
	"simulate/sim"
)

func newValidateCmd() *cobra.Command {
	var sets []string
	cmd := &cobra.Command{
		Use:   "validate FILE|NAME",
		Short: "Check a scenario strictly and report every problem with its field path and line",
		Long: `validate loads a scenario exactly as run would (overrides included) and reports
its problems with field paths and YAML lines: first every syntax and type
problem (unknown keys, wrong types, quoted numbers), then, once those are
fixed, every problem with the values (shares that do not sum to 1, seats that
do not sum to the quota, lists that cannot be filled). It exits with status 2
when the scenario is invalid.`,
		Example: `  simulate validate my.yaml
  simulate validate cpc20 --set quota=2000`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ovs, err := setOverrides(sets)
			if err != nil {
				return err
			}
			sc, err := loadScenario(args, scenario.Options{Overrides: ovs})
			if err != nil {
				return err
			}
			if cmd.Context().Err() != nil {
				return errInterrupted
			}
			if _, err := sim.Compile(sc); err != nil {
				return err
			}
			if cmd.Context().Err() != nil {
				return errInterrupted
			}
			fmt.Fprintf(cmd.OutOrStdout(), langOf(cmd).T("%s: valid — %d traits, %d units, %d seats, %d stages, %d targets, %d tracked shares; sha256 %s\n"),
				args[0], len(sc.Traits), len(sc.Units), sc.Quota, len(sc.Stages), len(sc.Targets), len(sc.Shares), sc.Hash())
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a scenario key before validating (repeatable)")
	return cmd
}

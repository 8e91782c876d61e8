package main

import (
	"bytes"
	"os"

	"github.com/spf13/cobra"

	"simulate/report"
	"simulate/sim"
)

func newMergeCmd() *cobra.Command {
	var format string
	var byUnit bool
	cmd := &cobra.Command{
		Use:   "merge PARTIAL...",
		Short: "Combine the partial results of a run split with --shard",
		Long: `merge reads the partial results written by 'simulate run --shard k/n', checks
that they are all the shards of one run (same scenario, seed and trial count,
every shard exactly once), and prints the result exactly as the unsplit run
would have printed it: the output is byte-identical to a single-machine run
with the same seed, whatever the number of shards or machines.`,
		Example: `  for k in 1 2 3 4; do simulate run --trials 40000 --shard $k/4 > part$k.json & done; wait
  simulate merge part*.json --format json > result.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, report.Formats...); err != nil {
				return err
			}
			var parts []*sim.Partial
			for _, path := range args {
				f, err := os.Open(path)
				if err != nil {
					return usagef("%v", err)
				}
				p, err := sim.ReadPartial(f)
				f.Close()
				if err != nil {
					return usagef("%s: %v", path, err)
				}
				parts = append(parts, p)
			}
			tally, err := sim.MergePartials(parts)
			if err != nil {
				return usagef("%v", err)
			}
			res := tally.Result()
			res.Version = programVersion()
			var buf bytes.Buffer
			if err := report.Write(&buf, format, parts[0].Scenario, res, report.Options{ByUnit: byUnit}); err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", report.FormatText, "output format: text, json or csv")
	cmd.Flags().BoolVar(&byUnit, "by-unit", false, "add the funnel for every unit to the text summary")
	return cmd
}

package main

import (
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// it comes from the module build information.
var version = ""

func programVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
		if v != "" {
			return v
		}
	}
	return "dev"
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "simulate",
		Short: "Monte Carlo reachability of seat quotas and structure ratios in multi-stage nominations",
		Long: `simulate models a multi-stage, multi-level nomination workflow (recommendation,
inspection, preliminary and reserve lists, a competitive election) as state
machines built from a YAML scenario, and estimates by Monte Carlo how likely the
scenario's quotas and structure ratios are to be met, and where they are lost.

The default scenario, embedded in the binary, is the election of deputies to the
20th National Congress of the CPC (2022): 38 electoral units, 2,300 seats.`,
		Example: `  simulate run                          # the embedded default scenario (cpc20)
  simulate run teaching --trials 5000   # an embedded scenario by name
  simulate run my.yaml --format json    # your own scenario
  simulate scenarios show teaching > my.yaml
  simulate graph --machine candidate --format mermaid`,
		Version:       programVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("config", "", "config file (default $XDG_CONFIG_HOME/simulate/config.yaml, else ~/.config/simulate/config.yaml)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newRunCmd(), newValidateCmd(), newScenariosCmd(), newGraphCmd(), newMergeCmd(), newTraceCmd(), newExerciseCmd(), newSweepCmd(), newSolveCmd(), newReportCmd(), newCheckCmd(), newCalibrateCmd(), newConfigCmd())
	return root
}

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"sync"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// it comes from the module build information.
var version = ""

// programVersion identifies the build, so that merge and sweep --resume
// never combine files written by different programs: the module version,
// the VCS revision and "+modified" for a build from a changed work tree;
// a build without VCS information (go run, a source tarball) adds a hash of
// its own executable instead.
func programVersion() string {
	if version != "" {
		return version
	}
	buildVersion.once.Do(func() { buildVersion.v = readBuildVersion() })
	return buildVersion.v
}

var buildVersion struct {
	once sync.Once
	v    string
}

func readBuildVersion() string {
	v, revision, modified := "dev", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if len(revision) >= 12 {
		v += "+" + revision[:12]
		if modified {
			v += "+modified"
		}
	}
	if revision == "" || modified {
		// No revision, or one that does not say what was built.
		if sum, err := executableHash(); err == nil {
			v += "+exe." + sum
		}
	}
	return v
}

// executableHash returns the first 12 hex digits of the SHA-256 of the
// running executable.
func executableHash() (string, error) {
	path, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
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
	root.AddCommand(newRunCmd(), newValidateCmd(), newScenariosCmd(), newGraphCmd(), newMergeCmd(), newTraceCmd(), newExerciseCmd(), newSweepCmd(), newSolveCmd(), newReportCmd(), newCheckCmd(), newCalibrateCmd(), newSensitivityCmd(), newConfigCmd(), newSchemaCmd(), newCompareCmd())
	root.AddCommand(newVersionCmd())
	root.AddCommand(newServeCmd())
	finishCommands(root)
	return root
}

// independentUsage is the help of --independent (sweep, solve, sensitivity, compare).
const independentUsage = "give every point its own seed derived from the base seed and the point's values, instead of common random numbers (the base seed at every point)"

package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionInfo is what 'simulate version' reports: the same version string
// that merge and sweep --resume compare, and what it was built from.
type versionInfo struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"revision_time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

func readVersionInfo() versionInfo {
	v := versionInfo{Version: programVersion(), Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	return v
}

func newVersionCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the program's version and what it was built from",
		Long: `version prints the version string that run, sweep and merge write into their
results (merge and sweep --resume refuse files from another version), the VCS
revision the program was built from when known, and the Go version and
platform.`,
		Example: `  simulate version
  simulate version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			v := readVersionInfo()
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(v)
			}
			fmt.Fprintf(w, "simulate %s\n", v.Version)
			if v.Revision != "" {
				mod := ""
				if v.Modified {
					mod = " (modified work tree)"
				}
				fmt.Fprintf(w, "revision %s %s%s\n", v.Revision, v.Time, mod)
			}
			_, err := fmt.Fprintf(w, "built with %s for %s\n", v.Go, v.Platform)
			return err
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

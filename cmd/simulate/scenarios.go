package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"simulate/configs"
	"simulate/internal/i18n"
	"simulate/scenario"
)

func newScenariosCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "List the embedded scenarios",
		Example: `  simulate scenarios
  simulate scenarios show teaching > my.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			L := langOf(cmd)
			tw := i18n.NewTable(cmd.OutOrStdout(), 2, false)
			fmt.Fprintln(tw, L.T("NAME\tUNITS\tSEATS\tTITLE"))
			for _, name := range configs.Names() {
				data, _ := configs.Read(name)
				sc, err := scenario.Load("embedded:"+name, data, scenario.Options{})
				if err != nil {
					return err
				}
				def := ""
				if name == configs.Default {
					def = L.T(" (default)")
				}
				fmt.Fprintf(tw, "%s%s\t%d\t%d\t%s\n", name, def, len(sc.Units), sc.Quota, i18n.NewNames(sc, L).Title())
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "Print an embedded scenario's YAML, to copy and edit",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, ok := configs.Read(args[0])
			if !ok {
				if near := nearestName(args[0], configs.Names()); near != "" {
					return usagef("no embedded scenario %q; did you mean %q?", args[0], near)
				}
				return usagef("no embedded scenario %q (embedded: %s)", args[0], strings.Join(configs.Names(), ", "))
			}
			_, err := cmd.OutOrStdout().Write(data)
			return err
		},
	})
	return cmd
}

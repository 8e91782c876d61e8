package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes a man page for every command from the command tree
// itself (cobra/doc), so the pages say exactly what --help says. It is
// hidden: 'make man' runs it.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "gen-man DIR",
		Short:  "Write the man pages of every command into DIR (make man)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			// The date is SOURCE_DATE_EPOCH's when set, for reproducible pages.
			header := &doc.GenManHeader{Title: "SIMULATE", Section: "1", Source: "simulate " + programVersion(), Manual: "simulate manual"}
			if err := doc.GenManTree(cmd.Root(), header, dir); err != nil {
				return err
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d man pages to %s (read one with: man -l %s/simulate.1)\n", len(entries), dir, dir)
			return nil
		},
	}
}

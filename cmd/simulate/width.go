package main

import (
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// outputWidth is the number of columns the human (text) output of cmd must
// fit, 0 for no limit:
//
//   - --wide: no limit, every table in full;
//   - $COLUMNS, when set to a number (also when the output is piped: set it
//     to fit a pager or a file to a width);
//   - the terminal's width, when stdout is a terminal;
//   - otherwise no limit: piped and redirected output keeps the full layout,
//     so that scripts reading it see no change.
func outputWidth(cmd *cobra.Command, wide bool) int {
	if wide {
		return 0
	}
	if c := strings.TrimSpace(os.Getenv("COLUMNS")); c != "" {
		if n, err := strconv.Atoi(c); err == nil && n > 0 {
			return max(n, minWidth)
		}
	}
	if f, ok := cmd.OutOrStdout().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return max(w, minWidth)
		}
	}
	return 0
}

// minWidth is the narrowest layout: below it tables cannot be split
// usefully, and the terminal wraps what is longer.
const minWidth = 40

// wideUsage is the help of the --wide flag.
const wideUsage = "print tables in full, however wide (default: fit the terminal's width or $COLUMNS)"

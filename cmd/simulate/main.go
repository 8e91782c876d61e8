// Command simulate models a multi-stage, multi-level nomination workflow as
// configurable state machines and runs Monte Carlo experiments on it: are the
// seat quotas and structure ratios reachable, with what probability, and where
// does the pipeline lose them?
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"simulate/scenario"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1
	exitBadInput    = 2
	exitUnreachable = 3
)

// interruptGrace is how long a command may take to stop cleanly after
// SIGINT or SIGTERM (keeping a sweep's finished rows, removing temporary
// files) before the program exits anyway.
const interruptGrace = 900 * time.Millisecond

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the program at once
		time.Sleep(interruptGrace)
		fmt.Fprintln(os.Stderr, "simulate: interrupted")
		os.Exit(exitFailure)
	}()
	root := newRootCmd()
	// Every command writes its results through cmd.OutOrStdout(): a write
	// that fails (a full disk, /dev/full, a closed pipe) fails the command.
	stdout := &checkedWriter{w: os.Stdout}
	root.SetOut(stdout)
	err := root.ExecuteContext(ctx)
	if err == nil && stdout.err != nil {
		err = fmt.Errorf("writing the output: %w", stdout.err)
	}
	os.Exit(exitCode(err))
}

// checkedWriter remembers the first write error.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// errInterrupted is the error of a command stopped by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// interrupted returns errInterrupted when the command's context was
// cancelled (err is then only the cancellation), else err.
func interrupted(cmd *cobra.Command, err error) error {
	if err != nil && cmd.Context() != nil && cmd.Context().Err() != nil {
		return errInterrupted
	}
	return err
}

// ctxReader stops a long read when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p[:min(len(p), 1<<20)])
}

// usageError marks a mistake in how the command was called.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(os.Stderr, "simulate:", errorText(err, errorLang))
	var se *scenario.Error
	var ue usageError
	var re unreachableError
	switch {
	case errors.As(err, &se), errors.As(err, &ue):
		return exitBadInput
	case errors.As(err, &re):
		return exitUnreachable
	}
	return exitFailure
}

// finishCommands runs once the command tree is built. It adds the hidden
// man-page generator, gives every command its value completions, and makes
// every mistake in how a command is called a usage error (exit status 2)
// that says what would be right: an unknown command or flag with the
// nearest name, a wrong number of arguments with the command's usage line.
func finishCommands(root *cobra.Command) {
	root.AddCommand(newManCmd())
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.SetFlagErrorFunc(flagError)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.SuggestionsMinimumDistance = 2
		if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
			// A group that runs (printing its help) has its arguments
			// validated like any other command's: an unknown subcommand
			// is a usage error, not a help page and status 0.
			c.Args = cobra.NoArgs
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
		if c.Name() == "help" && c.HasParent() && c.Parent() == root && c.Run != nil {
			help := c.Run
			c.Run = nil
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if found, rest, err := root.Find(args); err != nil || len(rest) > 0 && found.HasSubCommands() {
					return argsError(found, rest, err)
				}
				help(cmd, args)
				return nil
			}
		}
		if check := c.Args; check != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return argsError(cmd, args, err)
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	registerCompletions(root)
}

// argsError explains a wrong argument list: an unknown subcommand with the
// nearest one, else the command's usage line.
func argsError(cmd *cobra.Command, args []string, err error) error {
	if cmd.HasAvailableSubCommands() && len(args) > 0 {
		var names []string
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, sub.Name())
				names = append(names, sub.Aliases...)
			}
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		near := nearestName(args[0], names)
		if s := cmd.SuggestionsFor(args[0]); near == "" && len(s) > 0 {
			near = s[0]
		}
		if near != "" {
			return usagef("%s; did you mean %q?", msg, near)
		}
		return usagef("%s (commands: %s; see %s --help)", msg, strings.Join(names, ", "), cmd.CommandPath())
	}
	if !cmd.HasSubCommands() && strings.HasPrefix(err.Error(), "unknown command") && len(args) > 0 {
		return usagef("%s takes no arguments, got %q (usage: %s)", cmd.CommandPath(), args[0], cmd.UseLine())
	}
	return usagef("%v (usage: %s)", err, cmd.UseLine())
}

// flagError adds the nearest flag name to an unknown flag.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	var typed string
	switch {
	case strings.HasPrefix(msg, "unknown flag: --"):
		typed = strings.TrimPrefix(msg, "unknown flag: --")
	case strings.HasPrefix(msg, "unknown shorthand flag: "):
		// "unknown shorthand flag: 'x' in -xyz": a long flag typed with one dash?
		if i := strings.Index(msg, " in -"); i >= 0 {
			typed = msg[i+len(" in -"):]
		}
	}
	if typed == "" {
		return usageError{err}
	}
	if name, _, ok := strings.Cut(typed, "="); ok {
		typed = name
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	if near := nearestName(typed, names); near != "" {
		return usagef("%v; did you mean --%s?", err, near)
	}
	return usagef("%v (see %s --help)", err, cmd.CommandPath())
}

// nearestName is the name closest to typed: within a few edits, or the
// only name typed is a prefix of.
func nearestName(typed string, names []string) string {
	if near := scenario.Nearest(typed, names); near != "" {
		return near
	}
	var prefixed []string
	for _, n := range names {
		if len(typed) >= 2 && strings.HasPrefix(n, typed) {
			prefixed = append(prefixed, n)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

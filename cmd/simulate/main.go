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
	"syscall"

	"simulate/scenario"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1
	exitBadInput    = 2
	exitUnreachable = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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

// usageError marks a mistake in how the command was called.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(os.Stderr, "simulate:", err)
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

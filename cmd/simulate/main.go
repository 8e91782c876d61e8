// Command simulate models a multi-stage, multi-level nomination workflow as
// configurable state machines and runs Monte Carlo experiments on it: are the
// seat quotas and structure ratios reachable, with what probability, and where
// does the pipeline lose them?
package main

import (
	"context"
	"errors"
	"fmt"
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
	err := root.ExecuteContext(ctx)
	os.Exit(exitCode(err))
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

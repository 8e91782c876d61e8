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
	"time"

	"github.com/spf13/cobra"

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

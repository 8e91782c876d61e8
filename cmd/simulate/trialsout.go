package main

import (
	"errors"

	"simulate/internal/output"
	"simulate/sim"
	"simulate/trialdata"
)

// trialsOut prepares --trials-out: it checks the path, starts the file and
// sets opts.PerTrial to write every trial's row to it. finish commits the
// file when the run succeeded and removes it otherwise, returning the run's
// error or the file's.
func trialsOut(path string, args []string, m *sim.Model, opts *sim.Options) (finish func(error) error, err error) {
	if path == "" {
		return func(err error) error { return err }, nil
	}
	format, err := trialdata.FormatOf(path)
	if err != nil {
		return nil, usagef("--trials-out %v", err)
	}
	if err := notInput(path, args); err != nil {
		return nil, err
	}
	s, err := output.Create(path)
	if err != nil {
		return nil, usagef("--trials-out: %v", err)
	}
	targets, shares := m.TrialNames()
	w, err := trialdata.New(s, format, targets, shares)
	if err != nil {
		s.Abort()
		return nil, err
	}
	opts.PerTrial = w.Write
	return func(runErr error) error {
		if runErr == nil {
			if runErr = errors.Join(w.Close(), s.Commit()); runErr == nil {
				return nil
			}
		}
		s.Abort()
		return runErr
	}, nil
}

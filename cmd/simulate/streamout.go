package main

import (
	"errors"
	"os"

	"simulate/internal/output"
	"simulate/sweep"
)

// openStreamOut opens the --out of a command that streams its rows to a
// file and can resume it (sweep, sensitivity). A pipe or device
// (/dev/stdout, /dev/null) is written in place: it cannot be resumed, holds
// no earlier rows to protect, and needs no lock file beside it. A regular
// file is locked against a second writer (it would interleave rows), then
// continued by resume (whose mismatch error M is a usage error: the file is
// not this run's) or created, refusing to overwrite a non-empty file without
// --force. header reports whether the file still needs its header; release
// closes the file and drops the lock.
func openStreamOut[R any, M error](out string, resuming, force bool, resume func() (*os.File, []R, bool, error)) (fh *os.File, done []R, header bool, release func(), err error) {
	st, statErr := os.Stat(out)
	regular := statErr != nil || st.Mode().IsRegular()
	if !regular && resuming {
		return nil, nil, false, nil, usagef("cannot resume %s: %s", out, sweep.NotRegular(st.Mode()))
	}
	unlock := func() {}
	if regular {
		u, err := output.Lock(out + ".lock")
		if err != nil {
			return nil, nil, false, nil, err
		}
		unlock = func() { _ = u(); _ = os.Remove(out + ".lock") }
	}
	header = true
	if resuming {
		fh, done, header, err = resume()
		if err != nil {
			unlock()
			var me M
			if errors.As(err, &me) {
				return nil, nil, false, nil, usagef("%v", err)
			}
			return nil, nil, false, nil, err
		}
	} else {
		if regular && statErr == nil && st.Size() > 0 && !force {
			unlock()
			return nil, nil, false, nil, usagef("%s exists: add --resume to continue it, or --force to overwrite it", out)
		}
		if fh, err = os.Create(out); err != nil {
			unlock()
			return nil, nil, false, nil, err
		}
	}
	return fh, done, header, func() { _ = fh.Close(); unlock() }, nil
}

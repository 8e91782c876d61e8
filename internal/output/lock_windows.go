//go:build windows

package output

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// Lock takes an exclusive lock on path (created if absent, as a regular
// file) without waiting: a second process writing the same file gets an
// error at once. Unlock releases it.
func Lock(path string) (unlock func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	ol := new(windows.Overlapped)
	const flags = windows.LOCKFILE_EXCLUSIVE_LOCK | windows.LOCKFILE_FAIL_IMMEDIATELY
	if err := windows.LockFileEx(h, flags, 0, 1, 0, ol); err != nil {
		f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, fmt.Errorf("%s is being written by another process", path)
		}
		return nil, err
	}
	return func() error {
		err := windows.UnlockFileEx(h, 0, 1, 0, ol)
		return errors.Join(err, f.Close())
	}, nil
}

package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Stream is a file written little by little, like WriteFile: a regular or
// new file is written to a temporary file beside it and renamed over it by
// Commit (so an interrupted run leaves any earlier file as it was); a
// device or pipe is written in place.
type Stream struct {
	*os.File
	tmp, path string
	perm      fs.FileMode
}

// Create starts a Stream to path.
func Create(path string) (*Stream, error) {
	target, err := filepath.EvalSymlinks(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target = path
		if l, lerr := os.Readlink(path); lerr == nil {
			if !filepath.IsAbs(l) {
				l = filepath.Join(filepath.Dir(path), l)
			}
			target = l
		}
	case err != nil:
		return nil, err
	}
	perm := fs.FileMode(0o644)
	info, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory", path)
	case info.Mode().IsRegular():
		perm = info.Mode().Perm()
	default:
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &Stream{File: f}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &Stream{File: f, tmp: f.Name(), path: target, perm: perm}, nil
}

// Commit syncs and closes the file and puts it in place.
func (s *Stream) Commit() error {
	if s.tmp == "" {
		return s.Close()
	}
	err := errors.Join(s.Chmod(s.perm), s.Sync(), s.Close())
	if err == nil {
		err = os.Rename(s.tmp, s.path)
	}
	if err != nil {
		os.Remove(s.tmp)
	}
	return err
}

// Abort closes the file and removes the temporary file, leaving path as
// it was.
func (s *Stream) Abort() {
	s.Close()
	if s.tmp != "" {
		os.Remove(s.tmp)
	}
}

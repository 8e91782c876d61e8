// Package output writes the files the program produces without surprising
// the user: a regular file (or a new one) is replaced atomically, keeping
// its permissions; a symbolic link is followed and its target replaced;
// anything else (a device such as /dev/null or /dev/stdout, a pipe) is
// written in place; a directory is refused. Every write, sync and close is
// checked. Lock takes an advisory lock so that two processes do not write one
// file at once.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path as described in the package comment.
func WriteFile(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A dangling link or a new file: write where the path points.
		target = path
		if l, lerr := os.Readlink(path); lerr == nil {
			if !filepath.IsAbs(l) {
				l = filepath.Join(filepath.Dir(path), l)
			}
			target = l
		}
	case err != nil:
		return err
	}
	info, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replace(target, data, 0o644)
	case err != nil:
		return err
	case info.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case info.Mode().IsRegular():
		return replace(target, data, info.Mode().Perm())
	}
	// A device, pipe or socket: write in place, never replace it.
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// replace writes data to a temporary file beside path, syncs it and
// renames it over path, with the given permissions.
func replace(path string, data []byte, perm fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Same reports whether two paths name the same file (after symbolic links);
// paths that do not exist are compared by their cleaned absolute form.
func Same(a, b string) bool {
	ia, ea := os.Stat(a)
	ib, eb := os.Stat(b)
	if ea == nil && eb == nil {
		return os.SameFile(ia, ib)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}

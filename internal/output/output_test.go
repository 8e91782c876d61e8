package output

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteFileKindsOfPath(t *testing.T) {
	dir := t.TempDir()
	// New file: created 0644.
	p := filepath.Join(dir, "new.html")
	require.NoError(t, WriteFile(p, []byte("a")))
	info, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())

	// Existing file: replaced, mode kept.
	require.NoError(t, os.Chmod(p, 0o600))
	require.NoError(t, WriteFile(p, []byte("b")))
	info, _ = os.Stat(p)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	got, _ := os.ReadFile(p)
	assert.Equal(t, "b", string(got))

	// Symbolic link: the link stays, its target is replaced.
	link := filepath.Join(dir, "link.html")
	require.NoError(t, os.Symlink("new.html", link))
	require.NoError(t, WriteFile(link, []byte("c")))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeSymlink != 0, "still a link")
	got, _ = os.ReadFile(p)
	assert.Equal(t, "c", string(got))

	// A device is written in place, never replaced.
	require.NoError(t, WriteFile(os.DevNull, []byte("d")))
	fi, err = os.Stat(os.DevNull)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeDevice != 0, "/dev/null is still a device")

	// A directory is refused.
	assert.ErrorContains(t, WriteFile(dir, []byte("e")), "is a directory")

	// No temporary files left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".tmp")
	}
}

func TestWriteFileReportsAFullDevice(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	assert.Error(t, WriteFile("/dev/full", []byte("x")))
}

func TestLockRefusesASecondWriter(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.csv")
	unlock, err := Lock(p)
	require.NoError(t, err)
	_, err = Lock(p)
	assert.ErrorContains(t, err, "being written by another process")
	require.NoError(t, unlock())
	unlock2, err := Lock(p)
	require.NoError(t, err)
	require.NoError(t, unlock2())
}

func TestSame(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	require.NoError(t, os.WriteFile(a, nil, 0o644))
	require.NoError(t, os.Symlink("a", filepath.Join(dir, "b")))
	assert.True(t, Same(a, filepath.Join(dir, "b")))
	assert.True(t, Same(filepath.Join(dir, "x", "..", "c"), filepath.Join(dir, "c")))
	assert.False(t, Same(a, filepath.Join(dir, "c")))
}

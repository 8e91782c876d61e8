package output

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStream(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trials.csv")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o600))

	// An aborted stream leaves the old file and no temporary file.
	s, err := Create(path)
	require.NoError(t, err)
	_, err = s.WriteString("half")
	require.NoError(t, err)
	s.Abort()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1)

	// A committed one replaces it, keeping its mode.
	s, err = Create(path)
	require.NoError(t, err)
	_, err = s.WriteString("new\n")
	require.NoError(t, err)
	require.NoError(t, s.Commit())
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	_, err = Create(dir)
	assert.ErrorContains(t, err, "is a directory")

	// A device is written in place.
	s, err = Create(os.DevNull)
	require.NoError(t, err)
	_, err = s.WriteString("x")
	require.NoError(t, err)
	require.NoError(t, s.Commit())
	info, err = os.Stat(os.DevNull)
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&os.ModeDevice)
}

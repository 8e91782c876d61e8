//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSweepResumeOfAPipeDoesNotHang: --out /dev/stdout --resume | cat used to
// wait for ever reading back the pipe it was to write.
func TestSweepResumeOfAPipeDoesNotHang(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	type result struct {
		errOut string
		code   int
	}
	done := make(chan result, 1)
	go func() {
		_, errOut, code := execute(t, sweepArgs("--out", fifo, "--resume")...)
		done <- result{errOut, code}
	}()
	select {
	case r := <-done:
		assert.Equal(t, 2, r.code, r.errOut)
		assert.Contains(t, r.errOut, "it is a pipe")
	case <-time.After(10 * time.Second): // only a hang gets here
		t.Fatal("sweep --resume of a pipe hangs")
	}
	_, err := os.Stat(fifo + ".lock")
	assert.True(t, os.IsNotExist(err), "no lock file beside a pipe")
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommandsStopWhenInterrupted: with its context cancelled (what SIGINT
// and SIGTERM do), every long command stops, exits non-zero with a short
// message and writes nothing to stdout. The timeout only catches a hang.
func TestCommandsStopWhenInterrupted(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "part.json")
	sweepFile := filepath.Join(dir, "sweep.csv")
	out, errOut, code := execute(t, "run", "teaching", "--trials", "20", "--shard", "1/1")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, os.WriteFile(part, []byte(out), 0o644))
	_, errOut, code = execute(t, sweepArgs("--out", sweepFile)...)
	require.Equal(t, 0, code, errOut)

	tests := []struct {
		name string
		args []string
	}{
		{"validate", []string{"validate", "cpc20"}},
		{"check", []string{"check", "cpc20"}},
		{"trace", []string{"trace", "cpc20"}},
		{"report", []string{"report", "cpc20", "--trials", "100000", "--html", "-"}},
		{"run", []string{"run", "cpc20", "--trials", "100000"}},
		{"merge partials", []string{"merge", part}},
		{"merge sweep files", []string{"merge", sweepFile}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			type result struct {
				out, errOut string
				code        int
			}
			done := make(chan result, 1)
			go func() {
				out, errOut, code := executeCtx(t, ctx, tc.args...)
				done <- result{out, errOut, code}
			}()
			select {
			case r := <-done:
				assert.NotEqual(t, 0, r.code, r.errOut)
				assert.Contains(t, r.errOut, "interrupted")
				assert.Empty(t, r.out)
			case <-time.After(10 * time.Second):
				t.Fatal("the command did not stop")
			}
		})
	}
}

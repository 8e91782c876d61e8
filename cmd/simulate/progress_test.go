package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTerminal draws progress bars into a buffer, as if stderr were a
// terminal, with bars shown after delay.
func fakeTerminal(t *testing.T, delay time.Duration) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	out, on, after, made := progressOut, progressOn, showProgressAfter, progressMade
	t.Cleanup(func() { progressOut, progressOn, showProgressAfter, progressMade = out, on, after, made })
	progressOut, progressOn, showProgressAfter = &buf, func() bool { return true }, delay
	return &buf
}

func TestProgress(t *testing.T) {
	t.Run("quiet or no terminal draws nothing", func(t *testing.T) {
		buf := fakeTerminal(t, 0)
		assert.Nil(t, newProgress(true, 10, "x"))
		progressOn = func() bool { return false }
		p := newProgress(false, 10, "x")
		assert.Nil(t, p)
		// A nil bar is safe to use.
		p.Set(3)
		p.Describe("y")
		p.SetMax(20)
		assert.Zero(t, p.Max())
		p.Done()
		assert.Empty(t, buf.String())
	})
	t.Run("a quick command shows no bar", func(t *testing.T) {
		buf := fakeTerminal(t, time.Hour)
		p := newProgress(false, 10, "trials")
		require.NotNil(t, p)
		p.Set(5)
		p.Describe("point 2/3")
		p.SetMax(20)
		p.Set(20)
		p.Done()
		assert.Empty(t, buf.String())
	})
	t.Run("a slow command shows one", func(t *testing.T) {
		buf := fakeTerminal(t, 0)
		p := newProgress(false, 10, "trials")
		p.SetMax(40)
		p.Set(20)
		assert.Contains(t, buf.String(), "trials")
		assert.Contains(t, buf.String(), "20/40")
		assert.Equal(t, int64(40), p.Max())
		p.Done()
		n := buf.Len()
		p.Set(30)
		assert.Equal(t, n, buf.Len(), "nothing is drawn after Done")
	})
}

// TestCommandsShowProgress runs the commands that can take long as on a
// terminal: each makes one bar that counts to its end, and --quiet none.
func TestCommandsShowProgress(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		desc string
		max  int64
	}{
		{[]string{"run", "teaching", "--trials", "300"}, "trials", 300},
		{[]string{"report", "teaching", "--trials", "300", "--html", dir + "/r.html"}, "trials", 300},
		{[]string{"trace", "teaching", "--find", "failed_quorum", "--trials", "30"}, "searching trials", 30},
		{[]string{"exercise", "check", "nomination-surplus", "--answer", "1"}, "model run 1", 2000},
	}
	for _, tc := range tests {
		t.Run(tc.args[0], func(t *testing.T) {
			fakeTerminal(t, time.Hour)
			var bars []*progress
			progressMade = func(p *progress) { bars = append(bars, p) }
			execute(t, tc.args...)
			require.Len(t, bars, 1)
			assert.Equal(t, tc.desc, bars[0].desc)
			assert.Equal(t, tc.max, bars[0].max)
			assert.Equal(t, tc.max, bars[0].last)
			assert.True(t, bars[0].done, "the bar is cleared")
			bars = nil
			execute(t, append(tc.args, "--quiet")...)
			assert.Empty(t, bars)
		})
	}
}

package feasible

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

// pollCtx is a context that is cancelled after its Err has been asked n
// times, and counts the polls after that: the work a check does after it
// was interrupted, measured without a clock.
type pollCtx struct {
	context.Context
	n            int64
	polls, after atomic.Int64
}

func (c *pollCtx) Err() error {
	if c.polls.Add(1) > c.n {
		c.after.Add(1)
		return context.Canceled
	}
	return nil
}

func (c *pollCtx) Done() <-chan struct{} { return nil }

func TestCheckStopsSoonAfterItsContextIsCancelled(t *testing.T) {
	data, ok := configs.Read("cpc20")
	require.True(t, ok)
	sc, err := scenario.Load("cpc20", data, scenario.Options{})
	require.NoError(t, err)

	// The whole check polls its context this many times.
	full := &pollCtx{Context: context.Background(), n: 1 << 62}
	_, err = CheckContext(full, sc, Options{})
	require.NoError(t, err)
	total := full.polls.Load()
	require.Greater(t, total, int64(100))

	for _, at := range []int64{0, 10, total / 3, total / 2} {
		ctx := &pollCtx{Context: context.Background(), n: at}
		rep, err := CheckContext(ctx, sc, Options{})
		assert.Nil(t, rep)
		assert.True(t, errors.Is(err, context.Canceled), "%v", err)
		// After the cancellation each remaining question polls once and is
		// dropped: far fewer polls than the work left.
		assert.Less(t, ctx.after.Load(), max(int64(200), (total-at)/4), "cancelled at poll %d of %d", at, total)
	}
}

func TestCheckHonoursItsTimeLimit(t *testing.T) {
	data, ok := configs.Read("cpc20")
	require.True(t, ok)
	sc, err := scenario.Load("cpc20", data, scenario.Options{})
	require.NoError(t, err)
	// A time limit already spent: every question is undecided at once,
	// with the note, and the verdict is unknown.
	rep, err := CheckContext(context.Background(), sc, Options{TimeLimit: time.Millisecond, Start: time.Now().Add(-time.Second)})
	require.NoError(t, err)
	assert.Equal(t, VerdictUnknown, rep.Verdict)
	assert.Zero(t, rep.Solver.Problems, "nothing is built after the deadline")
	assert.Contains(t, rep.Notes[len(rep.Notes)-1], "The time limit (1ms) was reached")
}

package pool

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunCoversEveryItemOnce(t *testing.T) {
	for _, tc := range []struct{ n, workers, chunk int }{{0, 2, 8}, {1, 4, 8}, {100, 1, 8}, {101, 3, 8}, {1000, 7, 1}} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			seen := make([]int32, tc.n)
			var ws atomic.Int32
			err := Run(context.Background(), tc.n, tc.workers, tc.chunk, nil, func(_ context.Context, w, lo, hi int) error {
				require.Less(t, w, Workers(tc.n, tc.workers, tc.chunk))
				ws.Add(1)
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&seen[i], 1)
				}
				return nil
			})
			require.NoError(t, err)
			for i, c := range seen {
				assert.Equal(t, int32(1), c, "item %d", i)
			}
		})
	}
}

func TestRunReturnsTheLowestFailure(t *testing.T) {
	boom := errors.New("boom")
	err := Run(context.Background(), 100, 1, 1, nil, func(_ context.Context, _, lo, _ int) error {
		if lo >= 10 {
			return fmt.Errorf("item %d: %w", lo, boom)
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "item 10")
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int64
	err := Run(ctx, 1_000_000, 2, 1, nil, func(_ context.Context, _, _, _ int) error {
		if ran.Add(1) == 50 {
			cancel()
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, ran.Load(), int64(1000), "no new items after the cancel")
}

func TestProgressEndsWithTheTotal(t *testing.T) {
	last := -1
	require.NoError(t, Run(context.Background(), 37, 2, 4, func(done int) { last = done }, func(context.Context, int, int, int) error { return nil }))
	assert.Equal(t, 37, last)
}
